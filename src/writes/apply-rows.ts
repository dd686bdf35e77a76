import { engineName } from '../catalog/registry.ts';
import type { TableDecl, WriteForm, WriteOp } from '../catalog/types.ts';
import { PgError, SqlState, toPgError } from '../errors/index.ts';
import type { GatewayStatementContext } from '../executor/gateway-statement.ts';
import { fillPath, paramOf } from '../executor/fetch-scan.ts';
import { mapRow, readPath } from '../executor/row-mapper.ts';
import { writeOutcomeUnknown } from '../jsm/http-errors.ts';
import { bindingOf, bodyOf, pathOf, sentColumns, type Values } from './row-forms.ts';

export interface PlannedRow {
  /** 1-based position in the statement's rows (named in errors and sys_identity order). */
  readonly no: number;
  readonly form: WriteForm;
  /** The row as the statement gives it (engine names), values checked. */
  readonly values: Values;
}

export type RowOutcome =
  | { readonly no: number; readonly status: 'applied'; readonly row: Values }
  | { readonly no: number; readonly status: 'failed' | 'unknown' | 'skipped'; readonly error: PgError; readonly row: Values };

/**
 * Applies the rows through the API. Rows that share a path (one request's participants, its
 * transitions) go one after another, in statement order, since JSM applies them to the same
 * object; different paths go in parallel within `ctx.concurrency`. A call that fails leaves the
 * others running; once the statement is canceled, rows not yet sent are skipped.
 */
export async function applyRows(ctx: GatewayStatementContext, table: TableDecl, op: WriteOp, rows: readonly PlannedRow[]): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  const lanes = new Map<string, PlannedRow[]>();
  for (const r of rows) {
    const key = pathOf(table, r.form, r.values);
    lanes.set(key, [...(lanes.get(key) ?? []), r]);
  }
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const r of lane) outcomes.push(await applyOne(ctx, table, op, r));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, queue.length)) }, worker));
  return outcomes.sort((a, b) => a.no - b.no);
}

async function applyOne(ctx: GatewayStatementContext, table: TableDecl, op: WriteOp, r: PlannedRow): Promise<RowOutcome> {
  if (ctx.signal.aborted) return { no: r.no, status: 'skipped', error: canceled(ctx), row: r.values };
  const { form } = r;
  const path = pathOf(table, form, r.values);
  const body = bodyOf(table, form, r.values);
  const opts = { signal: ctx.signal };
  try {
    const response = form.method === 'POST' ? await ctx.jsm.post<unknown>(path, body, opts) : form.method === 'PUT' ? await ctx.jsm.put<unknown>(path, body, opts) : await ctx.jsm.delete<unknown>(path, body, opts);
    const row = answeredRow(table, form, r.values, response);
    if (row) return { no: r.no, status: 'applied', row };
    // JSM answered 2xx but its page of rows does not have the row (it ignores e.g. the reporter as a participant)
    const error = new PgError(SqlState.FdwError, `JSM accepted the call but did not add the row (it is not among the ${table.name} it answered with)`);
    return { no: r.no, status: 'failed', error, row: r.values };
  } catch (err) {
    const error = toPgError(err);
    // A lost answer is settled by reading the row back where the form says how; else it stays unknown.
    if (!ctx.signal.aborted && writeOutcomeUnknown(err) && form.settle) {
      const settled = await settle(ctx, table, op, form, r.values).catch(() => undefined);
      if (settled === true) return { no: r.no, status: 'applied', row: r.values };
      if (settled === false) return { no: r.no, status: 'failed', error, row: r.values };
    }
    const unknown = ctx.signal.aborted || writeOutcomeUnknown(err);
    return { no: r.no, status: unknown ? 'unknown' : 'failed', error, row: r.values };
  }
}

const canceled = (ctx: GatewayStatementContext) =>
  ctx.signal.reason instanceof PgError ? ctx.signal.reason : new PgError(SqlState.QueryCanceled, 'canceling statement due to user request');

/** Whether the row answers to what the statement sent: the form's own columns (not its path's) hold the values sent. */
function matches(form: WriteForm, sent: Values, got: Values, op?: WriteOp): boolean {
  return form.columns.every((c) => {
    const col = engineName(c);
    const want = sent[col];
    if (want === null || want === undefined) return true;
    const readAs = op?.readAs?.[c]?.[String(want)] ?? want;
    return String(got[col]) === String(readAs);
  });
}

/**
 * The row as the API answered it, over the row as sent (columns the answer does not carry, such
 * as the request key of a comment, keep the statement's values): the item itself, or the one of
 * a page of items that answers to the row.
 */
function answeredRow(table: TableDecl, form: WriteForm, sent: Values, response: unknown): Values | undefined {
  if (form.returns === 'none' || response === undefined || response === null) return sent;
  const binding = bindingOf(table, form, sent);
  const map = (item: unknown) => mapRow(table, item, binding, paramOf(table));
  let got: Values | undefined;
  if (form.returns === 'item') got = map(response);
  else {
    const items = readPath(response, 'values');
    got = (Array.isArray(items) ? items : []).map(map).find((row) => matches(form, sent, row));
    if (form.method === 'DELETE') return got ? undefined : sent;
    if (!got) return undefined;
  }
  if (!got) return sent;
  const out: Values = { ...sent };
  for (const [k, v] of Object.entries(got)) if (v !== null && v !== undefined && !table.columns.find((c) => engineName(c.name) === k)?.writeOnly) out[k] = v;
  return out;
}

/**
 * Reads the row back after a lost answer: true when the write shows (the row is there, or gone
 * for a delete, or holds the values sent), false when it does not, undefined when it cannot tell.
 */
async function settle(ctx: GatewayStatementContext, table: TableDecl, op: WriteOp, form: WriteForm, sent: Values): Promise<boolean | undefined> {
  const binding: Record<string, string> = {};
  const sentCols = sentColumns(table, form);
  for (const [, param] of table.list.path.matchAll(/\{(\w+)\}/g)) {
    const col = table.filters.find((f) => f.param === param && f.endpoint !== 'get' && sent[engineName(f.column)] !== null && sent[engineName(f.column)] !== undefined)?.column;
    if (!col) return undefined;
    binding[param!] = String(sent[engineName(col)]);
  }
  const keys = table.columns.filter((c) => c.key && sentCols.has(engineName(c.name)) && !c.bind);
  const path = fillPath(table.list.path, binding);
  let found: Values | undefined;
  for await (const page of ctx.jsm.paginate<unknown>(path, table.list.query ?? {}, { signal: ctx.signal, style: table.list.paging === 'none' ? undefined : table.list.paging })) {
    for (const item of page) {
      const row = mapRow(table, item, binding, paramOf(table));
      const same = keys.length ? keys.every((k) => String(row[engineName(k.name)]) === String(sent[engineName(k.name)])) : matches(form, sent, row);
      if (same) found = row;
    }
  }
  if (form.settle === 'present') return found !== undefined;
  if (form.settle === 'absent') return found === undefined;
  return found ? matches(form, sent, found, op) : false;
}
