import type { PgError } from '../errors/index.ts';
import { canceledError, type Verdict } from './http-errors.ts';

export interface RetryPolicy {
  maxRetries: number;
  baseMs: number;
}

/** Exponential growth stops here; a single wait longer than this is not worth holding a query open. */
const MAX_BACKOFF_MS = 30_000;
/** A Retry-After beyond this fails the query at once instead of parking it for minutes. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Exponential backoff with jitter in [50 %, 100 %] of the step, so many sessions
 * hitting the same 429 do not come back in lockstep. Retry-After is a floor.
 */
export function retryDelayMs(retryIndex: number, baseMs: number, retryAfterMs?: number, random = Math.random): number {
  const step = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** retryIndex);
  const backoff = Math.round(step * (0.5 + random() / 2));
  return Math.max(backoff, retryAfterMs ?? 0);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(canceledError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(canceledError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryNotice {
  retry: number;
  delayMs: number;
  error: PgError;
}

/**
 * Runs attempts until one is not retryable or the budget is spent. Only the
 * attempt holds a concurrency slot; the backoff sleep does not.
 */
export async function runWithRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (attemptNo: number) => Promise<{ verdict: Verdict; value: T }>,
  onRetry: (notice: RetryNotice) => void,
): Promise<{ verdict: Verdict; value: T }> {
  for (let attemptNo = 1; ; attemptNo++) {
    const outcome = await attempt(attemptNo);
    const { verdict } = outcome;
    if (verdict.kind !== 'retry') return outcome;
    const retryIndex = attemptNo - 1;
    const tooLong = verdict.retryAfterMs !== undefined && verdict.retryAfterMs > MAX_RETRY_AFTER_MS;
    if (retryIndex >= policy.maxRetries || tooLong) throw verdict.error;
    const delayMs = retryDelayMs(retryIndex, policy.baseMs, verdict.retryAfterMs);
    onRetry({ retry: attemptNo, delayMs, error: verdict.error });
    await sleep(delayMs, signal);
  }
}
