import type { PgError } from '../errors/index.ts';
import { messages } from '../protocol/engine-messages.ts';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * A statement that makes the engine itself raise the gateway's error, so the error lands where
 * the protocol expects it and an open transaction is marked failed exactly as Postgres would.
 */
export function raiseStatement(err: PgError): string {
  const parts = [`ERRCODE = ${lit(err.code)}`, `MESSAGE = ${lit(err.message)}`];
  if (err.fields.detail) parts.push(`DETAIL = ${lit(err.fields.detail)}`);
  if (err.fields.hint) parts.push(`HINT = ${lit(err.fields.hint)}`);
  return `DO $jsmpg$ BEGIN RAISE EXCEPTION USING ${parts.join(', ')}; END $jsmpg$`;
}

/** Drops the PL/pgSQL context (W) and source location fields from ErrorResponses in engine output. */
export function stripRaiseContext(out: Uint8Array): Uint8Array {
  return Buffer.concat([...messages(out)].map((m) => (m[0] === 0x45 /* E */ ? rewriteError(Buffer.from(m.buffer, m.byteOffset, m.byteLength)) : m)));
}

function rewriteError(msg: Buffer): Buffer {
  const fields: Buffer[] = [];
  let i = 5;
  while (i < msg.length && msg[i] !== 0) {
    const end = msg.indexOf(0, i + 1);
    const code = String.fromCharCode(msg[i]!);
    if (!['W', 'F', 'L', 'R'].includes(code)) fields.push(msg.subarray(i, end + 1));
    i = end + 1;
  }
  const body = Buffer.concat([...fields, Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head[0] = 0x45;
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
