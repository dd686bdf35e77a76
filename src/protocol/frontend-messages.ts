/** Decoders for the frontend messages the gateway must understand (the engine parses the rest itself). */
export const FrontendCode = {
  Query: 0x51, Parse: 0x50, Bind: 0x42, Execute: 0x45, Describe: 0x44, Close: 0x43, Sync: 0x53, Flush: 0x48,
  Terminate: 0x58, Password: 0x70, CopyData: 0x64, CopyDone: 0x63, CopyFail: 0x66, FunctionCall: 0x46,
} as const;

class Reader {
  private off: number;
  constructor(private readonly buf: Uint8Array, start: number) {
    this.off = start;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.off);
    if (end < 0) throw new RangeError('unterminated string in protocol message');
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.off, end - this.off).toString('utf8');
    this.off = end + 1;
    return s;
  }
  int16(): number {
    const v = (this.buf[this.off]! << 8) | this.buf[this.off + 1]!;
    this.off += 2;
    return v & 0x8000 ? v - 0x10000 : v;
  }
  int32(): number {
    const v = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.off, 4).readInt32BE(0);
    this.off += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    const b = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
}

/** Body starts after the type byte and the length. */
const body = (msg: Uint8Array) => new Reader(msg, 5);

export const readQuery = (msg: Uint8Array) => body(msg).cstring();

export interface ParseMessage { name: string; sql: string; paramTypes: number[] }
export function readParse(msg: Uint8Array): ParseMessage {
  const r = body(msg);
  const name = r.cstring();
  const sql = r.cstring();
  const n = r.int16();
  const paramTypes: number[] = [];
  for (let i = 0; i < n; i++) paramTypes.push(r.int32());
  return { name, sql, paramTypes };
}

export interface BindMessage { portal: string; statement: string; formats: number[]; values: (Uint8Array | null)[] }
export function readBind(msg: Uint8Array): BindMessage {
  const r = body(msg);
  const portal = r.cstring();
  const statement = r.cstring();
  const nf = r.int16();
  const formats: number[] = [];
  for (let i = 0; i < nf; i++) formats.push(r.int16());
  const nv = r.int16();
  const values: (Uint8Array | null)[] = [];
  for (let i = 0; i < nv; i++) {
    const len = r.int32();
    values.push(len < 0 ? null : r.bytes(len));
  }
  return { portal, statement, formats, values };
}

export const readExecutePortal = (msg: Uint8Array) => body(msg).cstring();

export function readClose(msg: Uint8Array): { kind: 'S' | 'P'; name: string } {
  const kind = String.fromCharCode(msg[5]!) as 'S' | 'P';
  return { kind, name: new Reader(msg, 6).cstring() };
}

/** Startup-phase packets have no type byte: length, then a code. */
export const StartupCode = { Protocol3: 196608, SslRequest: 80877103, CancelRequest: 80877102, GssEncRequest: 80877104 } as const;

export function startupCode(msg: Uint8Array): number {
  return msg.length >= 8 ? Buffer.from(msg.buffer, msg.byteOffset, msg.length).readInt32BE(4) : -1;
}

export function readStartupParams(msg: Uint8Array): Record<string, string> {
  const r = new Reader(msg, 8);
  const params: Record<string, string> = {};
  for (;;) {
    const k = r.cstring();
    if (!k) break;
    params[k] = r.cstring();
  }
  return params;
}

export function readCancelRequest(msg: Uint8Array): { pid: number; secret: number } {
  const b = Buffer.from(msg.buffer, msg.byteOffset, msg.length);
  return { pid: b.readInt32BE(8), secret: b.readInt32BE(12) };
}

/** SASLInitialResponse: mechanism, then length-prefixed data; SASLResponse: raw data. */
export function readSaslInitial(msg: Uint8Array): { mechanism: string; data: string } {
  const r = body(msg);
  const mechanism = r.cstring();
  const len = r.int32();
  return { mechanism, data: len < 0 ? '' : Buffer.from(r.bytes(len)).toString('utf8') };
}

export const readSaslResponse = (msg: Uint8Array) => Buffer.from(msg.subarray(5)).toString('utf8');
