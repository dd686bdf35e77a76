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
