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

export interface LoggerOptions {
  level: string;
  /** Defaults to standard error so standard output stays free for command results. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions): pino.Logger {
  const destination = opts.destination ?? pino.destination({ fd: 2, sync: true });
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
