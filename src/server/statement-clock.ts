// Statement outcome and latency as the client sees them: from a Query or Sync received to the
// ReadyForQuery sent, failed when an ErrorResponse went out in between. Measured on the wire, so
// the session needs to know nothing about metrics.
import { SqlState } from '../errors/index.ts';
import { StatementOutcome, type GatewayMetrics } from '../observability/metrics.ts';
import { FrontendCode } from '../protocol/frontend-messages.ts';

const ERROR_RESPONSE = 0x45; // 'E'
const READY_FOR_QUERY = 0x5a; // 'Z'
/** ErrorResponse bodies kept for their fields; severity and code come first, so a prefix is enough. */
const ERROR_PREFIX = 1024;

/** Messages whose answer ends with ReadyForQuery (extended-protocol messages wait for their Sync). */
const STARTS: ReadonlySet<number> = new Set([FrontendCode.Query, FrontendCode.Sync, FrontendCode.FunctionCall]);

export interface ErrorFields {
  /** The non-localized severity (V) when present, else S. */
  severity: string;
  code: string;
}

/** Severity and SQLSTATE of an ErrorResponse body (possibly cut short: missing fields stay empty). */
export function readErrorFields(body: Uint8Array): ErrorFields {
  let severity = '';
  let localized = '';
  let code = '';
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const type = body[i]!;
    const end = body.indexOf(0, i + 1);
    const value = Buffer.from(body.buffer, body.byteOffset + i + 1, (end < 0 ? body.length : end) - i - 1).toString('utf8');
    if (type === 0x56) severity = value; // V
    else if (type === 0x53) localized = value; // S
    else if (type === 0x43) code = value; // C
    if (end < 0) break;
    i = end + 1;
  }
  return { severity: severity || localized, code };
}

/**
 * Follows one connection's traffic: `received` for every client message, `sent` for every chunk of
 * backend output (whole messages or not: a message split over chunks is read across them).
 */
export class StatementClock {
  #started: number | undefined;
  #error: ErrorFields | undefined;
  // the backend message being read: its header bytes, then its body
  readonly #header = Buffer.alloc(5);
  #headerHave = 0;
  #bodyLeft = 0;
  #body: Buffer | undefined;
  #bodyHave = 0;

  constructor(private readonly metrics: Pick<GatewayMetrics, 'statement'>, private readonly now = () => performance.now()) {}

  received(code: number): void {
    if (this.#started === undefined && STARTS.has(code)) this.#started = this.now();
  }

  sent(out: Uint8Array): void {
    let off = 0;
    while (off < out.length) {
      if (this.#headerHave < 5) {
        const n = Math.min(5 - this.#headerHave, out.length - off);
        this.#header.set(out.subarray(off, off + n), this.#headerHave);
        this.#headerHave += n;
        off += n;
        if (this.#headerHave < 5) return;
        this.#bodyLeft = Math.max(0, this.#header.readInt32BE(1) - 4);
        const type = this.#header[0];
        this.#body = type === ERROR_RESPONSE || type === READY_FOR_QUERY ? Buffer.alloc(Math.min(this.#bodyLeft, ERROR_PREFIX)) : undefined;
        this.#bodyHave = 0;
      }
      const n = Math.min(this.#bodyLeft, out.length - off);
      if (this.#body && this.#bodyHave < this.#body.length) {
        const keep = Math.min(n, this.#body.length - this.#bodyHave);
        this.#body.set(out.subarray(off, off + keep), this.#bodyHave);
        this.#bodyHave += keep;
      }
      this.#bodyLeft -= n;
      off += n;
      if (this.#bodyLeft === 0) {
        this.#message(this.#header[0]!, this.#body);
        this.#headerHave = 0;
        this.#body = undefined;
      }
    }
  }

  #message(type: number, body: Buffer | undefined): void {
    if (type === ERROR_RESPONSE && body) {
      const fields = readErrorFields(body);
      this.#error ??= fields;
      // FATAL ends the connection: no ReadyForQuery will come
      if (fields.severity === 'FATAL' || fields.severity === 'PANIC') this.#finish();
    } else if (type === READY_FOR_QUERY) {
      this.#finish();
    }
  }

  #finish(): void {
    const started = this.#started;
    const error = this.#error;
    this.#started = undefined;
    this.#error = undefined;
    if (started === undefined) return;
    const seconds = Math.max(0, this.now() - started) / 1000;
    if (!error) this.metrics.statement(StatementOutcome.Ok, seconds);
    else this.metrics.statement(error.code === SqlState.QueryCanceled ? StatementOutcome.Canceled : StatementOutcome.Error, seconds, error.code);
  }
}
