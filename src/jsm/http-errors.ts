import { PgError, SqlState } from '../errors/index.ts';
import { transportSecurityError } from './tls/transport-errors.ts';

/**
 * The single place that turns HTTP outcomes into retry decisions and PgErrors.
 * Messages carry the origin, method and path only: never the query string
 * (JQL and search terms), headers or request bodies.
 */
export interface RequestContext {
  method: string;
  /** Base path + request path, without the query. */
  path: string;
  origin: string;
  principal: string;
  checkProperties: string;
  /** e.g. "AuthScheme APIToken sends User and APIToken". */
  authHint: string;
  timeoutMs: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export type Verdict =
  | { kind: 'ok' }
  | { kind: 'absent'; error: PgError }
  | { kind: 'retry'; error: PgError; retryAfterMs?: number }
  | { kind: 'fail'; error: PgError };

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
// Refused before the request left: safe to resend even a POST.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// Broken mid-exchange: JSM may already have acted, so only idempotent calls are resent.
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const MAX_JSM_MESSAGE = 500;

export const isIdempotent = (method: string): boolean => IDEMPOTENT.has(method);

const where = (ctx: RequestContext): string => `${ctx.method} ${ctx.path}`;

function header(res: RawResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** JSM's own explanation: servicedesk `errorMessage`, platform `errorMessages` / `errors`, gateway `message`. */
export function jsmErrorMessage(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v.trim() && !parts.includes(v.trim())) parts.push(v.trim());
  };
  add(b.errorMessage);
  if (Array.isArray(b.errorMessages)) b.errorMessages.forEach(add);
  if (b.errors && typeof b.errors === 'object') {
    for (const [field, msg] of Object.entries(b.errors as Record<string, unknown>)) add(`${field}: ${String(msg)}`);
  }
  add(b.message);
  const joined = parts.join('; ');
  if (!joined) return undefined;
  return joined.length > MAX_JSM_MESSAGE ? `${joined.slice(0, MAX_JSM_MESSAGE)}…` : joined;
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function authFailure(ctx: RequestContext, hint = ctx.authHint): PgError {
  return new PgError(
    SqlState.InvalidAuthorizationSpecification,
    `JSM rejected the credentials for ${ctx.principal} at ${ctx.origin}: check ${ctx.checkProperties}`,
    { detail: where(ctx), hint },
  );
}

function rateLimited(ctx: RequestContext, retryAfterMs: number | undefined): PgError {
  const wait = retryAfterMs === undefined ? '' : ` (JSM asked to wait ${Math.ceil(retryAfterMs / 1000)} s)`;
  return new PgError(SqlState.FdwTooManyHandles, `JSM rate limit reached at ${ctx.origin}; retry later${wait}`, {
    detail: where(ctx),
    hint: 'Lower MaxConcurrency or run fewer queries at once against this site',
  });
}

function httpFailure(ctx: RequestContext, res: RawResponse, summary: string): PgError {
  const jsm = jsmErrorMessage(res.text);
  return new PgError(SqlState.FdwError, summary, {
    detail: `${where(ctx)} returned HTTP ${res.status}${jsm ? `: ${jsm}` : ''}`,
  }, { cause: { httpStatus: res.status } });
}

/**
 * Whether a write that failed may still have been applied by JSM: its response was lost (the
 * connection dropped after the request went out, or it timed out) or JSM failed with a 5xx other
 * than 503 (which it answers before doing anything). 4xx, 429 and 503 were refused, not applied.
 */
export function writeOutcomeUnknown(err: unknown): boolean {
  if (!(err instanceof PgError)) return true;
  const cause = err.cause as { httpStatus?: number; timedOut?: boolean } | undefined;
  if (typeof cause?.httpStatus === 'number') return cause.httpStatus >= 500 && cause.httpStatus !== 503;
  if (cause?.timedOut) return true;
  return err.code === SqlState.FdwError && RESET_CODES.has(errorCode(err.cause) ?? '');
}

export function judgeResponse(res: RawResponse, ctx: RequestContext, nowMs = Date.now()): Verdict {
  const { status } = res;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const loginReason = header(res, 'x-seraph-loginreason') ?? '';
  if (status === 401) {
    // OAuth 1.0a: Jira says what was wrong (signature_invalid, token_rejected, …), which names no secret
    const problem = /oauth_problem="?([a-z_]+)/.exec(String(header(res, 'www-authenticate') ?? ''))?.[1];
    return { kind: 'fail', error: authFailure(ctx, problem ? `JSM's oauth_problem: ${problem}; ${ctx.authHint}` : ctx.authHint) };
  }
  if (status === 403 && loginReason.includes('AUTHENTICATION_DENIED')) {
    // Data Center locks the account behind a CAPTCHA after repeated failed logins.
    return { kind: 'fail', error: authFailure(ctx, 'JSM requires a CAPTCHA: log in once in a browser, then reconnect') };
  }
  if (status === 403) {
    const jsm = jsmErrorMessage(res.text);
    return {
      kind: 'fail',
      error: new PgError(SqlState.InsufficientPrivilege, `JSM denied ${ctx.principal} access${jsm ? `: ${jsm}` : ''}`, {
        detail: where(ctx),
      }),
    };
  }
  if (status === 404) {
    const jsm = jsmErrorMessage(res.text);
    return {
      kind: 'absent',
      error: new PgError(SqlState.UndefinedObject, `JSM object not found${jsm ? `: ${jsm}` : ''}`, { detail: where(ctx) }),
    };
  }
  if (status === 400) {
    const jsm = jsmErrorMessage(res.text) ?? 'bad request';
    return {
      kind: 'fail',
      error: new PgError(SqlState.InvalidParameterValue, `JSM rejected the request: ${jsm}`, { detail: where(ctx) }),
    };
  }
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(header(res, 'retry-after'), nowMs);
    const error =
      status === 429 ? rateLimited(ctx, retryAfterMs) : httpFailure(ctx, res, `JSM at ${ctx.origin} is unavailable`);
    return { kind: 'retry', error, retryAfterMs };
  }
  if (status >= 300 && status < 400) {
    const location = header(res, 'location');
    let target = 'elsewhere';
    try {
      if (location) target = new URL(location, ctx.origin).origin;
    } catch {
      // An unparsable Location is reported as "elsewhere".
    }
    return {
      kind: 'fail',
      error: new PgError(SqlState.FdwError, `JSM redirected the request to ${target}`, {
        detail: where(ctx),
        hint: 'Set BaseUrl to the address JSM is served from (check http vs https and the context path)',
      }),
    };
  }
  const error = httpFailure(ctx, res, `JSM request failed with HTTP ${status}`);
  const transient = status >= 500 && status !== 501 && status !== 505;
  return transient && isIdempotent(ctx.method) ? { kind: 'retry', error } : { kind: 'fail', error };
}

function errorCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
  const nested = errorCode(e.cause) ?? (Array.isArray(e.errors) ? errorCode(e.errors[0]) : undefined);
  return nested ?? (typeof e.code === 'string' ? e.code : undefined);
}

/** Transport-level failures (no HTTP status). Timeouts and cancellation are decided by the transport itself. */
export function judgeNetworkError(err: unknown, ctx: RequestContext): Verdict {
  const code = errorCode(err) ?? 'unknown error';
  const security = transportSecurityError(code, err, ctx.origin, where(ctx));
  if (security) return { kind: 'fail', error: security };
  if (CONNECT_CODES.has(code) || code === 'ENOTFOUND') {
    const error = new PgError(
      SqlState.FdwUnableToEstablishConnection,
      `could not connect to JSM at ${ctx.origin}: ${code}`,
      { detail: where(ctx), hint: 'Check the URL connection property and that the site is reachable from the gateway\'s machine (proxy, firewall, VPN).' },
      { cause: err },
    );
    return code === 'ENOTFOUND' ? { kind: 'fail', error } : { kind: 'retry', error };
  }
  const error = new PgError(
    SqlState.FdwError,
    `connection to JSM at ${ctx.origin} failed: ${code}`,
    { detail: where(ctx) },
    { cause: err },
  );
  return RESET_CODES.has(code) && isIdempotent(ctx.method) ? { kind: 'retry', error } : { kind: 'fail', error };
}

export function timeoutError(ctx: RequestContext): PgError {
  return new PgError(SqlState.QueryCanceled, `JSM request timed out after ${ctx.timeoutMs} ms`, {
    detail: where(ctx),
    hint: 'Raise the Timeout connection property, or narrow the query',
  }, { cause: { timedOut: true } });
}

/**
 * The gateway may abort with its own PgError as the reason (statement timeout,
 * session close); that error is surfaced unchanged.
 */
export function canceledError(signal?: AbortSignal): PgError {
  const reason: unknown = signal?.reason;
  if (reason instanceof PgError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new PgError(SqlState.QueryCanceled, 'canceling statement due to statement timeout');
  }
  return new PgError(SqlState.QueryCanceled, 'canceling statement due to user request');
}

export function malformedResponse(ctx: RequestContext, what: string): PgError {
  return new PgError(SqlState.FdwError, `JSM returned ${what}`, {
    detail: where(ctx),
    hint: 'Check that BaseUrl points at Jira Service Management, not a login page or proxy',
  });
}
