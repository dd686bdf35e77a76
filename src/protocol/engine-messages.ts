/** Frontend messages the session composes to drive its engine (same framing as backend messages). */
import { PgError, SqlState, type SqlStateCode } from '../errors/index.ts';
import { frame } from './backend-messages.ts';

export const queryMessage = (sql: string) => frame('Q', Buffer.from(sql + '\0', 'utf8'));

/** Parse + Bind + Execute of an unnamed statement without parameters. */
export function extendedRun(sql: string): Buffer {
  const parse = frame('P', Buffer.concat([Buffer.from('\0' + sql + '\0', 'utf8'), Buffer.from([0, 0])]));
  const bind = frame('B', Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]));
  const exec = frame('E', Buffer.from([0, 0, 0, 0, 0]));
  return Buffer.concat([parse, bind, exec]);
}

/** Transaction status of the last ReadyForQuery in engine output, if it ends with one. */
export function trailingStatus(out: Uint8Array): 'I' | 'T' | 'E' | undefined {
  const n = out.length;
  if (n >= 6 && out[n - 6] === 0x5a && out[n - 5] === 0 && out[n - 4] === 0 && out[n - 3] === 0 && out[n - 2] === 5)
    return String.fromCharCode(out[n - 1]!) as 'I' | 'T' | 'E';
  return undefined;
}

export const syncMessage = () => Uint8Array.from([0x53, 0, 0, 0, 4]);

/** Each backend message of a chunk of engine output, in order. */
export function* messages(out: Uint8Array): Generator<Uint8Array> {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  let off = 0;
  while (off + 5 <= buf.length) {
    const end = off + 1 + buf.readInt32BE(off + 1);
    yield buf.subarray(off, end);
    off = end;
  }
}

/** Engine output without its ReadyForQuery messages (a statement that is not the last of what the client sent). */
export function withoutReadyForQuery(out: Uint8Array): Uint8Array {
  const kept = [...messages(out)].filter((m) => m[0] !== 0x5a);
  return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
}

/** Whether engine output holds an ErrorResponse. */
export function hasError(out: Uint8Array): boolean {
  for (const m of messages(out)) if (m[0] === 0x45) return true;
  return false;
}

/** Engine output without `count` ParseComplete/BindComplete messages after the first `skip` of them. */
export function withoutCompletions(out: Uint8Array, skip: number, count: number): Uint8Array {
  let seen = 0;
  const kept = [...messages(out)].filter((m) => {
    if (m[0] !== 0x31 && m[0] !== 0x32) return true;
    seen++;
    return seen <= skip || seen > skip + count;
  });
  return Buffer.concat(kept);
}

const cstring = (s: string) => Buffer.from(s + '\0', 'utf8');
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

export const parseMessage = (name: string, sql: string, paramTypes: readonly number[] = []) =>
  frame('P', Buffer.concat([cstring(name), cstring(sql), int16(paramTypes.length), ...paramTypes.map(int32)]));

export function bindMessage(portal: string, statement: string, formats: readonly number[], values: readonly (Uint8Array | null)[], resultFormats: readonly number[] = []): Buffer {
  const parts: Buffer[] = [cstring(portal), cstring(statement), int16(formats.length), ...formats.map(int16), int16(values.length)];
  for (const v of values) parts.push(...(v === null ? [int32(-1)] : [int32(v.length), Buffer.from(v)]));
  parts.push(int16(resultFormats.length), ...resultFormats.map(int16));
  return frame('B', Buffer.concat(parts));
}

export const executeMessage = (portal: string, maxRows = 0) => frame('E', Buffer.concat([cstring(portal), int32(maxRows)]));
export const describeMessage = (kind: 'S' | 'P', name: string) => frame('D', Buffer.concat([Buffer.from(kind, 'latin1'), cstring(name)]));
export const closeMessage = (kind: 'S' | 'P', name: string) => frame('C', Buffer.concat([Buffer.from(kind, 'latin1'), cstring(name)]));

/**
 * Engine output with the first CommandComplete's tag replaced (a query that shows what a gateway
 * statement did answers with that statement's tag), and the CloseComplete right after it dropped
 * when `dropClose` (the close of the gateway's own statement, which the client never sent).
 */
export function withCommandTag(out: Uint8Array, tag: string, dropClose = false): Uint8Array {
  const kept: Uint8Array[] = [];
  let state: 'before' | 'after' | 'done' = 'before';
  for (const m of messages(out)) {
    if (state === 'before' && m[0] === 0x43) {
      kept.push(frame('C', cstring(tag)));
      state = dropClose ? 'after' : 'done';
      continue;
    }
    if (state === 'after') {
      state = 'done';
      if (m[0] === 0x33) continue;
    }
    kept.push(m);
  }
  return Buffer.concat(kept);
}

/** The first ErrorResponse of engine output as a PgError (its SQLSTATE, message, detail, hint). */
export function engineError(out: Uint8Array): PgError | undefined {
  for (const m of messages(out)) {
    if (m[0] !== 0x45) continue;
    const f: Record<string, string> = {};
    let i = 5;
    while (i < m.length && m[i] !== 0) {
      const end = m.indexOf(0, i + 1);
      f[String.fromCharCode(m[i]!)] = Buffer.from(m.buffer, m.byteOffset + i + 1, (end < 0 ? m.length : end) - i - 1).toString('utf8');
      if (end < 0) break;
      i = end + 1;
    }
    return new PgError((f.C ?? SqlState.InternalError) as SqlStateCode, f.M ?? 'error in the SQL engine', { detail: f.D, hint: f.H });
  }
  return undefined;
}
