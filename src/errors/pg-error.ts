import { SqlState, type SqlStateCode } from './sql-state.ts';

/** Optional ErrorResponse fields (protocol field letters in comments). */
export interface PgErrorFields {
  detail?: string; // D
  hint?: string; // H
  position?: number; // P
  severity?: 'ERROR' | 'FATAL' | 'PANIC';
}

/**
 * The one error type that crosses layers. Anything below the session throws it;
 * the session turns it into an ErrorResponse. Messages never contain secrets.
 */
export class PgError extends Error {
  override readonly name = 'PgError';
  constructor(
    readonly code: SqlStateCode,
    message: string,
    readonly fields: PgErrorFields = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  static is(err: unknown): err is PgError {
    return err instanceof PgError;
  }
}

/** Wrap anything that is not a PgError as XX000 without leaking internals. */
export function toPgError(err: unknown): PgError {
  if (err instanceof PgError) return err;
  if (err instanceof Error && err.name === 'AbortError') {
    return new PgError(SqlState.QueryCanceled, 'canceling statement due to user request', {}, { cause: err });
  }
  return new PgError(SqlState.InternalError, 'internal error in jsm-pg; see the gateway log', {}, { cause: err });
}
