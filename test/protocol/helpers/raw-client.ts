/**
 * A byte-level PostgreSQL client for hostile-input tests: it sends exactly the bytes it is given and
 * records everything the gateway answers, with just enough of the protocol (startup, SCRAM-SHA-256)
 * to reach each connection state.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import net from 'node:net';

/** Type byte, int32 length (itself included), body. */
export function msg(type: string | number, body: Uint8Array = Buffer.alloc(0), length = body.length + 4): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out[0] = typeof type === 'number' ? type : type.charCodeAt(0);
  out.writeInt32BE(length | 0, 1);
  Buffer.from(body).copy(out, 5);
  return out;
}

export const cstr = (s: string) => Buffer.from(s + '\0', 'utf8');
export const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
export const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n | 0);
  return b;
};

/** An untyped startup-phase packet: int32 length, then `body` (code and fields). */
export function startupPacket(body: Uint8Array, length = body.length + 4): Buffer {
  return Buffer.concat([int32(length), body]);
}

export const PROTOCOL_3 = 196608;
export const SSL_REQUEST = 80877103;
export const CANCEL_REQUEST = 80877102;
export const GSSENC_REQUEST = 80877104;

export function startupMessage(params: Record<string, string>, version = PROTOCOL_3): Buffer {
  const pairs = Object.entries(params).flatMap(([k, v]) => [cstr(k), cstr(v)]);
  return startupPacket(Buffer.concat([int32(version), ...pairs, Buffer.from([0])]));
}

export const query = (sql: string) => msg('Q', cstr(sql));
export const sync = () => msg('S');

export interface BackendMessage { type: string; body: Buffer }

/** Splits backend bytes into messages; a trailing partial message is left out. */
export function parseBackend(bytes: Buffer): BackendMessage[] {
  const out: BackendMessage[] = [];
  let off = 0;
  while (off + 5 <= bytes.length) {
    const len = bytes.readInt32BE(off + 1);
    if (off + 1 + len > bytes.length) break;
    out.push({ type: String.fromCharCode(bytes[off]!), body: bytes.subarray(off + 5, off + 1 + len) });
    off += 1 + len;
  }
  return out;
}

/** Fields of an ErrorResponse or NoticeResponse by their one-letter codes. */
export function errorFields(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  let off = 0;
  while (off < body.length && body[off] !== 0) {
    const end = body.indexOf(0, off + 1);
    fields[String.fromCharCode(body[off]!)] = body.subarray(off + 1, end).toString('utf8');
    off = end + 1;
  }
  return fields;
}

export class RawClient {
  received = Buffer.alloc(0);
  closed = false;
  private readonly waiters = new Set<() => void>();
  readonly closedPromise: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.received = Buffer.concat([this.received, d]);
      this.notify();
    });
    // Writes into a connection the gateway has closed fail with EPIPE/ECONNRESET: expected here.
    socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) => socket.once('close', () => {
      this.closed = true;
      this.notify();
      resolve();
    }));
  }

  static async connect(port: number, opts: { localAddress?: string } = {}): Promise<RawClient> {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: opts.localAddress });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Connects and logs in with SCRAM-SHA-256; resolves once ReadyForQuery has arrived. */
  static async login(port: number, user = 'demo', password = 'demo', opts: { localAddress?: string } = {}): Promise<RawClient> {
    const c = await RawClient.connect(port, opts);
    await c.authenticate(user, password);
    await c.until((m) => m.some((x) => x.type === 'Z' || x.type === 'E'));
    const err = c.error();
    if (err) throw new Error(`login failed: ${err.C} ${err.M}`);
    c.received = Buffer.alloc(0);
    return c;
  }

  /**
   * Startup and the SCRAM exchange; leaves whatever followed the password check in `received`.
   * `beforeProof` runs between the server's first message and the client's proof.
   */
  async authenticate(user: string, password: string, beforeProof?: () => Promise<void>): Promise<void> {
    this.send(startupMessage({ user, database: 'jsm' }));
    await this.until((m) => m.some((x) => x.type === 'R' || x.type === 'E'));
    if (this.error()) return;
    const nonce = randomBytes(18).toString('base64');
    const clientFirstBare = `n=,r=${nonce}`;
    this.received = Buffer.alloc(0);
    this.send(msg('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(Buffer.byteLength(clientFirstBare) + 3), Buffer.from(`n,,${clientFirstBare}`)])));
    await this.until((m) => m.some((x) => x.type === 'R' || x.type === 'E'));
    const cont = this.messages().find((x) => x.type === 'R');
    if (!cont) return;
    const serverFirst = cont.body.subarray(4).toString('utf8');
    const attrs = new Map(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)] as const));
    const salted = pbkdf2Sync(password, Buffer.from(attrs.get('s')!, 'base64'), Number(attrs.get('i')), 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${attrs.get('r')}`;
    const signature = createHmac('sha256', storedKey).update(`${clientFirstBare},${serverFirst},${withoutProof}`).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    await beforeProof?.();
    this.received = Buffer.alloc(0);
    this.send(msg('p', Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)));
  }

  send(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  messages(): BackendMessage[] {
    return parseBackend(this.received);
  }

  /** Fields of the first ErrorResponse received, if any. */
  error(): Record<string, string> | undefined {
    const e = this.messages().find((m) => m.type === 'E');
    return e && errorFields(e.body);
  }

  /** Waits until `done(messages)` holds or the connection closes. */
  async until(done: (messages: BackendMessage[]) => boolean): Promise<void> {
    while (!done(this.messages()) && !this.closed) await new Promise<void>((resolve) => this.waiters.add(resolve));
  }

  /** Waits for the gateway to close the connection; returns its ErrorResponse, if it sent one. */
  async closedWith(): Promise<Record<string, string> | undefined> {
    await this.closedPromise;
    return this.error();
  }

  /** Sends `bytes` in pieces of at most `chunk` bytes, waiting for the socket to drain; stops once the gateway closes. */
  async stream(total: number, chunk = 64 * 1024, fill = 0x41): Promise<number> {
    const piece = Buffer.alloc(chunk, fill);
    let sent = 0;
    while (sent < total && !this.closed && !this.socket.destroyed) {
      const ok = this.socket.write(piece);
      sent += chunk;
      if (!ok) await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
    return sent;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }
}
