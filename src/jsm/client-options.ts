import { PgError, SqlState } from '../errors/index.ts';
import type { RetryPolicy } from './retry.ts';
import type { JsmClientOptions } from './types.ts';

/** JsmClientOptions with defaults applied and numbers checked. */
export interface ResolvedOptions {
  timeoutMs: number;
  maxConcurrency: number;
  retry: RetryPolicy;
  language: string | undefined;
}

function numberOption(name: keyof JsmClientOptions, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new PgError(SqlState.InvalidParameterValue, `JSM client option ${name} must be a number >= ${min}`);
  }
  return value;
}

export function resolveOptions(opts: JsmClientOptions): ResolvedOptions {
  return {
    timeoutMs: numberOption('timeoutMs', opts.timeoutMs, 60_000, 0),
    maxConcurrency: Math.floor(numberOption('maxConcurrency', opts.maxConcurrency, 8, 1)),
    retry: {
      maxRetries: Math.floor(numberOption('maxRetries', opts.maxRetries, 5, 0)),
      baseMs: numberOption('retryBaseMs', opts.retryBaseMs, 250, 0),
    },
    language: opts.language || undefined,
  };
}
