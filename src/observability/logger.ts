// The gateway's structured logger. Secrets are removed twice: by field path (pino's
// redact) and, for string arguments, by pattern (redactText), because a secret pasted
// into a message bypasses field-based redaction.
import pino from 'pino';
import { REDACTED, redactText, SECRET_FIELD_NAMES } from './redact.ts';

export { redactConnectionString, redactText, REDACTED, isSecretName } from './redact.ts';

function pathKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`;
}

/** Each secret name at the top level and up to two objects deep (e.g. req.headers.authorization). */
export const REDACT_PATHS: readonly string[] = Object.freeze(
  [...new Set(SECRET_FIELD_NAMES)].flatMap((name) => {
    const key = pathKey(name);
    return [key.startsWith('.') ? key.slice(1) : key, `*${key}`, `*.*${key}`];
  }),
);

// Error messages can quote input (a connection string, a response body), so they are scrubbed too.
function scrubError(err: Error): pino.SerializedError {
  const out = pino.stdSerializers.err(err);
  // Anything thrown may arrive here, not only Error objects.
  if (typeof out !== 'object' || out === null) return typeof out === 'string' ? (redactText(out) as never) : out;
  out.message = redactText(out.message);
  if (out.stack) out.stack = redactText(out.stack);
  return out;
}

export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  level: string;
  /** `json`: one object a line; `pretty`: one readable line each. Default: pretty on a terminal. */
  format?: LogFormat;
  /** Defaults to standard error so standard output stays free for command results. */
  destination?: NodeJS.WritableStream;
}

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Keys a pretty line shows in its own place (or, for the process id, not at all). */
const PRETTY_OWN_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function clock(time: unknown): string {
  const d = new Date(typeof time === 'number' ? time : Date.now());
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * One JSON log line as people read it: `12:00:01.234 INFO  session started user=alice …`, an error's
 * stack indented below. It formats what pino already serialized, so the redaction done there holds.
 */
export function prettyLine(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = (LEVEL_NAMES[rec.level as number] ?? String(rec.level)).padEnd(5);
  const fields = Object.entries(rec)
    .filter(([k]) => !PRETTY_OWN_KEYS.has(k))
    .map(([k, v]) => `${k}=${prettyValue(v)}`);
  let line = [clock(rec.time), level, typeof rec.msg === 'string' ? rec.msg : '', ...fields].filter((p) => p !== '').join(' ');
  const err = rec.err as { type?: string; message?: string; stack?: string } | string | undefined;
  if (typeof err === 'string') line += ` err=${prettyValue(err)}`;
  else if (err && typeof err === 'object') {
    line += ` err=${prettyValue(err.message ?? '')}`;
    if (err.stack) line += `\n${err.stack.replace(/^/gm, '    ')}`;
  }
  return `${line}\n`;
}

/** A pino destination that writes each line pretty to `out`. */
function prettyDestination(out: NodeJS.WritableStream): pino.DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line)) };
}

/** The format when none is asked for: pretty for a person at a terminal, JSON for a collector. */
export function defaultLogFormat(stream: { isTTY?: boolean } = process.stderr): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}

export function createLogger(opts: LoggerOptions): pino.Logger {
  const out = opts.destination ?? (pino.destination({ fd: 2, sync: true }) as unknown as NodeJS.WritableStream);
  const format = opts.format ?? (opts.destination ? 'json' : defaultLogFormat());
  const destination = format === 'pretty' ? prettyDestination(out) : out;
  return pino(
    {
      level: opts.level,
      base: { pid: process.pid },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      serializers: { err: scrubError },
      hooks: {
        logMethod(args, method) {
          const [first, second] = args as unknown[];
          // pino would use a lone Error's raw message as msg; give it the scrubbed one instead.
          if (first instanceof Error && typeof second !== 'string') args.splice(1, 0, first.message);
          const scrubbed = args.map((a: unknown) => (typeof a === 'string' ? redactText(a) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination as pino.DestinationStream,
  );
}
