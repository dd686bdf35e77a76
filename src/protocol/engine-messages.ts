/** Frontend messages the session composes to drive its engine (same framing as backend messages). */
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
