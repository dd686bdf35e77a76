import type { PgError } from '../errors/index.ts';

/** Encoders for the backend messages the gateway writes itself (the engine writes the rest). */
/** Type byte, int32 length (itself included), body: every protocol message after startup. */
export function frame(type: string, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const cstr = (s: string) => Buffer.from(s + '\0', 'utf8');
const int32 = (n: number) => {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n);
  return b;
};

export const authenticationOk = () => frame('R', int32(0));
/** Passthrough logins: the client's JSM secret, sent in clear inside TLS, is checked against JSM. */
export const authenticationCleartextPassword = () => frame('R', int32(3));
export const authenticationSasl = (mechanisms: string[]) =>
  frame('R', Buffer.concat([int32(10), ...mechanisms.map(cstr), Buffer.from([0])]));
export const authenticationSaslContinue = (data: string) => frame('R', Buffer.concat([int32(11), Buffer.from(data, 'utf8')]));
export const authenticationSaslFinal = (data: string) => frame('R', Buffer.concat([int32(12), Buffer.from(data, 'utf8')]));
export const parameterStatus = (name: string, value: string) => frame('S', Buffer.concat([cstr(name), cstr(value)]));
export const backendKeyData = (pid: number, secret: number) => frame('K', Buffer.concat([int32(pid), int32(secret)]));
/** Sent when a client asks for a newer protocol minor version or `_pq_.` options than the gateway speaks. */
export const negotiateProtocolVersion = (newestMinor: number, unrecognized: string[]) =>
  frame('v', Buffer.concat([int32(newestMinor), int32(unrecognized.length), ...unrecognized.map(cstr)]));
export const readyForQuery = (status: 'I' | 'T' | 'E') => frame('Z', Buffer.from(status, 'latin1'));

/** CopyInResponse: overall format (0 text, 1 binary) and the same format for each of `columns`. */
export function copyInResponse(format: 0 | 1, columns: number): Buffer {
  const body = Buffer.alloc(3 + 2 * columns);
  body.writeInt8(format, 0);
  body.writeInt16BE(columns, 1);
  for (let i = 0; i < columns; i++) body.writeInt16BE(format, 3 + 2 * i);
  return frame('G', body);
}
export const emptyQueryResponse = () => frame('I', Buffer.alloc(0));
export const commandComplete = (tag: string) => frame('C', cstr(tag));

export type Severity = 'ERROR' | 'FATAL' | 'NOTICE' | 'WARNING' | 'INFO' | 'LOG';

function fields(severity: Severity, code: string, text: string, extra: { detail?: string; hint?: string; position?: number }): Buffer {
  const parts: Buffer[] = [
    Buffer.from('S'), cstr(severity), Buffer.from('V'), cstr(severity), Buffer.from('C'), cstr(code), Buffer.from('M'), cstr(text),
  ];
  if (extra.detail) parts.push(Buffer.from('D'), cstr(extra.detail));
  if (extra.hint) parts.push(Buffer.from('H'), cstr(extra.hint));
  if (extra.position) parts.push(Buffer.from('P'), cstr(String(extra.position)));
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

export function errorResponse(err: PgError, severity: 'ERROR' | 'FATAL' = err.fields.severity === 'FATAL' ? 'FATAL' : 'ERROR'): Buffer {
  return frame('E', fields(severity, err.code, err.message, err.fields));
}

export function noticeResponse(text: string, opts: { code?: string; severity?: Severity; detail?: string; hint?: string } = {}): Buffer {
  return frame('N', fields(opts.severity ?? 'NOTICE', opts.code ?? '00000', text, opts));
}

/** Single-column text result set, for answers the gateway composes itself (EXPLAIN lines). */
export function rowDescription(columns: string[]): Buffer {
  const parts = [Buffer.alloc(2)];
  parts[0]!.writeInt16BE(columns.length);
  for (const name of columns) {
    const meta = Buffer.alloc(18);
    meta.writeInt32BE(0, 0); // table oid
    meta.writeInt16BE(0, 4); // attnum
    meta.writeInt32BE(25, 6); // text
    meta.writeInt16BE(-1, 10);
    meta.writeInt32BE(-1, 12);
    meta.writeInt16BE(0, 16); // text format
    parts.push(cstr(name), meta);
  }
  return frame('T', Buffer.concat(parts));
}

export function dataRow(values: (string | null)[]): Buffer {
  const parts = [Buffer.alloc(2)];
  parts[0]!.writeInt16BE(values.length);
  for (const v of values) {
    if (v === null) parts.push(int32(-1));
    else {
      const b = Buffer.from(v, 'utf8');
      parts.push(int32(b.length), b);
    }
  }
  return frame('D', Buffer.concat(parts));
}
