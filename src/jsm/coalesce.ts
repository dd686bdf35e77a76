import { canceledError } from './http-errors.ts';

interface Shared<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

export interface CoalescedResult<T> {
  promise: Promise<T>;
  joined: boolean;
}

/**
 * Lets identical GETs in flight at the same time share one HTTP call. The call
 * runs on its own abort controller and is cancelled only when every caller
 * waiting on it has gone, so one session's cancel cannot fail another's query.
 */
export class InflightRegistry<T> {
  readonly #calls = new Map<string, Shared<T>>();

  get size(): number {
    return this.#calls.size;
  }

  /**
   * `join: false` always starts a new call (cache refresh) and makes it the one
   * later callers join.
   */
  run(key: string, signal: AbortSignal | undefined, join: boolean, start: (signal: AbortSignal) => Promise<T>): CoalescedResult<T> {
    if (signal?.aborted) return { promise: Promise.reject(canceledError(signal)), joined: false };
    const existing = join ? this.#calls.get(key) : undefined;
    if (existing) return { promise: this.#wait(key, existing, signal), joined: true };
    const controller = new AbortController();
    const shared: Shared<T> = { controller, waiters: 0, promise: start(controller.signal) };
    this.#calls.set(key, shared);
    const settle = (): void => {
      if (this.#calls.get(key) === shared) this.#calls.delete(key);
    };
    shared.promise.then(settle, settle);
    return { promise: this.#wait(key, shared, signal), joined: false };
  }

  /** New callers for these keys start fresh calls (used after a write); callers already waiting are unaffected. */
  forgetWhere(predicate: (key: string) => boolean): void {
    for (const key of [...this.#calls.keys()]) if (predicate(key)) this.#calls.delete(key);
  }

  #wait(key: string, shared: Shared<T>, signal: AbortSignal | undefined): Promise<T> {
    shared.waiters++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        shared.waiters--;
        if (shared.waiters === 0) {
          // Nobody is left: drop it before aborting so a newcomer cannot join a dying call.
          if (this.#calls.get(key) === shared) this.#calls.delete(key);
          shared.controller.abort();
        }
        reject(canceledError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(
        (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }
}
