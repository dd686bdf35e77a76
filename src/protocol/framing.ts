import { PgError, SqlState } from '../errors/index.ts';

/**
 * Incremental framing of what a client sends: bytes in as they arrive, whole messages out. The
 * header (length, and the type byte after startup) is handed to a check as soon as it is complete,
 * before any of the body is kept, so a message that may not be read is refused without buffering it.
 */

/** A message header as declared by the client. `type` is null for startup-phase packets. */
export interface FrameHeader {
  readonly type: number | null;
  /** The int32 length field as sent (it counts itself; a negative value is what the client sent). */
  readonly length: number;
}

/** Throws (a PgError) when a message with this header may not be read in the connection's state. */
export type HeaderCheck = (header: FrameHeader) => void;

export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Total size of the message whose header has passed the check, while its body is awaited. */
  private pending = 0;
  /** Startup packets have no type byte; everything after them has one. */
  typed = false;

  constructor(private readonly check: HeaderCheck) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.size += chunk.length;
  }

  /** Bytes received and not yet returned as messages. */
  get buffered(): number {
    return this.size;
  }

  /** Up to `n` of the bytes not yet returned, without consuming them. */
  peek(n: number): Buffer {
    const k = Math.min(n, this.size);
    const out = Buffer.allocUnsafe(k);
    let off = 0;
    for (const c of this.chunks) {
      if (off === k) break;
      off += c.copy(out, off, 0, Math.min(c.length, k - off));
    }
    return out;
  }

  /** The next whole message (header included), or undefined until more bytes arrive. */
  next(): Buffer | undefined {
    if (this.pending === 0) {
      const headerSize = this.typed ? 5 : 4;
      if (this.size < headerSize) return undefined;
      const h = this.peek(headerSize);
      const header: FrameHeader = this.typed ? { type: h[0]!, length: h.readInt32BE(1) } : { type: null, length: h.readInt32BE(0) };
      // A length counts its own four bytes; less cannot be framed at all (and would never advance).
      if (header.length < 4) throw new PgError(SqlState.ProtocolViolation, this.typed ? 'invalid message length' : 'invalid length of startup packet');
      this.check(header);
      this.pending = header.length + (this.typed ? 1 : 0);
    }
    if (this.size < this.pending) return undefined;
    const msg = this.take(this.pending);
    this.pending = 0;
    return msg;
  }

  private take(n: number): Buffer {
    this.size -= n;
    const first = this.chunks[0]!;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }
}
