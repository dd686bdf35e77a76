/**
 * MaxRows (seed: "Limits the number of rows returned when no aggregation or GROUP BY is used in the
 * query. This takes precedence over LIMIT clauses"): the session cuts the engine's answer to a
 * statement the planner marked (PlannedStatement.maxRows), at the protocol level, so every form a
 * client sends (simple query, Execute, Execute with a fetch size) is cut alike and the statement
 * itself runs unchanged. The planner pushes one row more than the cap to the API when it may, so a
 * cut is known without reading everything; a NOTICE says when rows were left out.
 */
import * as be from '../protocol/backend-messages.ts';
import { messages } from '../protocol/engine-messages.ts';

const DATA_ROW = 0x44;
/** COPY … TO STDOUT sends each row as one CopyData. */
const COPY_DATA = 0x64;
const COMMAND_COMPLETE = 0x43;
const PORTAL_SUSPENDED = 0x73;

export interface CapResult {
  readonly out: Uint8Array;
  /** Rows of this portal sent so far, this answer included. */
  readonly sent: number;
  /** The portal is suspended and not yet at the cap: its next Execute continues the count. */
  readonly open: boolean;
}

function notice(cap: number): Uint8Array {
  return be.noticeResponse(`the result was cut to ${cap} row${cap === 1 ? '' : 's'} by MaxRows`, {
    detail: 'MaxRows limits the rows a query without aggregation or GROUP BY returns, LIMIT included.',
    hint: "SET jsm.max_rows = '0' returns every row in this session (or change the MaxRows connection property).",
  });
}

/**
 * Engine output with at most `cap - sent` DataRows: later ones are dropped, and when any was the
 * statement completes there (a suspended portal is reported complete) after the NOTICE.
 */
export function capRows(out: Uint8Array, cap: number, sent = 0, copy = false): CapResult {
  const row = copy ? COPY_DATA : DATA_ROW;
  const kept: Uint8Array[] = [];
  let rows = 0;
  let cut = false;
  let open = false;
  for (const m of messages(out)) {
    if (m[0] === row) {
      if (sent + rows < cap) {
        rows++;
        kept.push(m);
      } else cut = true;
      continue;
    }
    if (m[0] === COMMAND_COMPLETE || m[0] === PORTAL_SUSPENDED) {
      if (cut) {
        kept.push(notice(cap), be.commandComplete(`${copy ? 'COPY' : 'SELECT'} ${rows}`));
        continue;
      }
      if (m[0] === PORTAL_SUSPENDED) open = true;
      kept.push(m);
      continue;
    }
    kept.push(m);
  }
  return { out: Buffer.concat(kept), sent: sent + rows, open: open && !cut };
}
