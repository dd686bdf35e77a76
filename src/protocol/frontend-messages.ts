/**
 * Decoders for frontend messages. Each reads the whole body and fails with 08P01 when the bytes do
 * not match the message's layout (a count larger than the data, a string without its terminator,
 * bytes left over), so the same decoders are the gateway's validation of what clients send.
 */
import { PgError, SqlState } from '../errors/index.ts';

export const FrontendCode = {
  Query: 0x51, Parse: 0x50, Bind: 0x42, Execute: 0x45, Describe: 0x44, Close: 0x43, Sync: 0x53, Flush: 0x48,
  Terminate: 0x58, Password: 0x70, CopyData: 0x64, CopyDone: 0x63, CopyFail: 0x66, FunctionCall: 0x46,
} as const;

export const malformed = (what: string) => new PgError(SqlState.ProtocolViolation, `invalid ${what} message format`);

class Reader {
  private off: number;
  constructor(private readonly buf: Uint8Array, start: number, private readonly what: string) {
    this.off = start;
  }
  private need(n: number): void {
    if (n < 0 || this.off + n > this.buf.length) throw malformed(this.what);
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.off);
    if (end < 0) throw malformed(this.what);
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.off, end - this.off).toString('utf8');
    this.off = end + 1;
    return s;
  }
  byte(): number {
    this.need(1);
    return this.buf[this.off++]!;
  }
  int16(): number {
    this.need(2);
    const v = (this.buf[this.off]! << 8) | this.buf[this.off + 1]!;
    this.off += 2;
    return v & 0x8000 ? v - 0x10000 : v;
  }
  /** A count: int16, never negative. */
  count(): number {
    const n = this.int16();
    if (n < 0) throw malformed(this.what);
    return n;
  }
  int32(): number {
    this.need(4);
    const b = this.buf;
    const v = (b[this.off]! << 24) | (b[this.off + 1]! << 16) | (b[this.off + 2]! << 8) | b[this.off + 3]!;
    this.off += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
  /** An int32 length, then that many bytes; -1 is NULL. */
  value(): Uint8Array | null {
    const len = this.int32();
    if (len === -1) return null;
    return this.bytes(len);
  }
  rest(): Uint8Array {
    return this.bytes(this.buf.length - this.off);
  }
  end(): void {
    if (this.off !== this.buf.length) throw malformed(this.what);
  }
}

/** Body starts after the type byte and the length. */
const body = (msg: Uint8Array, what: string) => new Reader(msg, 5, what);

export function readQuery(msg: Uint8Array): string {
  const r = body(msg, 'Query');
  const sql = r.cstring();
  r.end();
  return sql;
}

export interface ParseMessage { name: string; sql: string; paramTypes: number[] }
export function readParse(msg: Uint8Array): ParseMessage {
  const r = body(msg, 'Parse');
  const name = r.cstring();
  const sql = r.cstring();
  const n = r.count();
  const paramTypes: number[] = [];
  for (let i = 0; i < n; i++) paramTypes.push(r.int32());
  r.end();
  return { name, sql, paramTypes };
}

export interface BindMessage { portal: string; statement: string; formats: number[]; values: (Uint8Array | null)[]; resultFormats: number[] }
export function readBind(msg: Uint8Array): BindMessage {
  const r = body(msg, 'Bind');
  const portal = r.cstring();
  const statement = r.cstring();
  const formats = int16List(r);
  const nv = r.count();
  const values: (Uint8Array | null)[] = [];
  for (let i = 0; i < nv; i++) values.push(r.value());
  const resultFormats = int16List(r);
  r.end();
  return { portal, statement, formats, values, resultFormats };
}

function int16List(r: Reader): number[] {
  const n = r.count();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.int16());
  return out;
}

export function readExecute(msg: Uint8Array): { portal: string; maxRows: number } {
  const r = body(msg, 'Execute');
  const portal = r.cstring();
  const maxRows = r.int32();
  r.end();
  return { portal, maxRows };
}

export const readExecutePortal = (msg: Uint8Array) => readExecute(msg).portal;

/** Describe and Close: 'S' (statement) or 'P' (portal), then the name. */
function readTarget(msg: Uint8Array, what: string): { kind: 'S' | 'P'; name: string } {
  const r = body(msg, what);
  const kind = String.fromCharCode(r.byte());
  if (kind !== 'S' && kind !== 'P') throw malformed(what);
  const name = r.cstring();
  r.end();
  return { kind, name };
}

export const readClose = (msg: Uint8Array) => readTarget(msg, 'Close');
export const readDescribe = (msg: Uint8Array) => readTarget(msg, 'Describe');

export function readCopyFail(msg: Uint8Array): string {
  const r = body(msg, 'CopyFail');
  const reason = r.cstring();
  r.end();
  return reason;
}

export interface FunctionCallMessage { oid: number; formats: number[]; args: (Uint8Array | null)[]; resultFormat: number }
export function readFunctionCall(msg: Uint8Array): FunctionCallMessage {
  const r = body(msg, 'FunctionCall');
  const oid = r.int32();
  const formats = int16List(r);
  const n = r.count();
  const args: (Uint8Array | null)[] = [];
  for (let i = 0; i < n; i++) args.push(r.value());
  const resultFormat = r.int16();
  r.end();
  return { oid, formats, args, resultFormat };
}

/** Sync, Flush, Terminate and CopyDone carry nothing. */
export function readEmpty(msg: Uint8Array, what: string): void {
  body(msg, what).end();
}

/** Startup-phase packets have no type byte: length, then a code. */
export const StartupCode = { Protocol3: 196608, SslRequest: 80877103, CancelRequest: 80877102, GssEncRequest: 80877104 } as const;

export function startupCode(msg: Uint8Array): number {
  return msg.length >= 8 ? new Reader(msg, 4, 'startup packet').int32() : -1;
}

/**
 * StartupMessage parameters: name/value pairs ended by an empty name, which must be the last byte
 * (PostgreSQL: "invalid startup packet layout: expected terminator as last byte").
 */
export function readStartupParams(msg: Uint8Array): Record<string, string> {
  const r = new Reader(msg, 8, 'startup packet');
  const params: Record<string, string> = {};
  for (;;) {
    const k = r.cstring();
    if (!k) break;
    params[k] = r.cstring();
  }
  r.end();
  return params;
}

export function readCancelRequest(msg: Uint8Array): { pid: number; secret: number } {
  const r = new Reader(msg, 8, 'CancelRequest');
  const pid = r.int32();
  const secret = r.int32();
  r.end();
  return { pid, secret };
}

/** SASLInitialResponse: mechanism, then length-prefixed data (-1: none); SASLResponse: raw data. */
export function readSaslInitial(msg: Uint8Array): { mechanism: string; data: string } {
  const r = body(msg, 'SASLInitialResponse');
  const mechanism = r.cstring();
  const data = r.value();
  r.end();
  return { mechanism, data: data ? Buffer.from(data).toString('utf8') : '' };
}

export const readSaslResponse = (msg: Uint8Array) => Buffer.from(body(msg, 'SASLResponse').rest()).toString('utf8');

/** PasswordMessage after AuthenticationCleartextPassword: one C string. */
export function readPasswordMessage(msg: Uint8Array): string {
  const r = body(msg, 'PasswordMessage');
  const password = r.cstring();
  r.end();
  return password;
}

/** What a startup-phase packet asks for. */
export type StartupPacket =
  | { kind: 'ssl' }
  | { kind: 'gssenc' }
  | { kind: 'cancel'; pid: number; secret: number }
  | { kind: 'startup'; minor: number; params: Record<string, string> };

/**
 * Decodes a packet of the startup phase (length included). Protocol 3.x with any minor version is
 * a startup: PostgreSQL answers newer minors with NegotiateProtocolVersion rather than refusing.
 */
export function readStartupPacket(msg: Uint8Array): StartupPacket {
  const code = startupCode(msg);
  switch (code) {
    case StartupCode.SslRequest:
    case StartupCode.GssEncRequest:
      if (msg.length !== 8) throw malformed(code === StartupCode.SslRequest ? 'SSLRequest' : 'GSSENCRequest');
      return { kind: code === StartupCode.SslRequest ? 'ssl' : 'gssenc' };
    case StartupCode.CancelRequest:
      return { kind: 'cancel', ...readCancelRequest(msg) };
  }
  if (code >>> 16 !== 3) {
    throw new PgError(SqlState.ProtocolViolation, `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.0`);
  }
  return { kind: 'startup', minor: code & 0xffff, params: readStartupParams(msg) };
}
