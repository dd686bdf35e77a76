import { PgError, SqlState } from '../errors/index.ts';

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A time setting as current_setting() shows it ('0', '1500ms', '5s', '2min'), in milliseconds; 0 when unset or unreadable. */
export function settingMilliseconds(value: string | null | undefined): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value ?? '');
  if (!m) return 0;
  const unit = m[2] ? UNIT_MS[m[2].toLowerCase()] : 1; // a bare number is milliseconds, as for PostgreSQL
  return unit === undefined ? 0 : Number(m[1]) * unit;
}

/**
 * When a statement's JSM work must stop: the tighter of the gateway's Timeout (the property or
 * `SET jsm.timeout`) and PostgreSQL's own statement_timeout, which drivers and ORMs set and which
 * the engine cannot enforce while the gateway waits on the API. Each cancels with its own message.
 */
export function statementDeadline(timeoutMs: number, statementTimeout: string | null | undefined): { ms: number; error(): PgError } | undefined {
  const pgMs = settingMilliseconds(statementTimeout);
  const candidates = [
    { ms: timeoutMs, error: () => new PgError(SqlState.QueryCanceled, `canceling statement due to Timeout (${timeoutMs / 1000} s)`) },
    { ms: pgMs, error: () => new PgError(SqlState.QueryCanceled, 'canceling statement due to statement timeout') },
  ].filter((c) => c.ms > 0);
  return candidates.sort((a, b) => a.ms - b.ms)[0];
}
