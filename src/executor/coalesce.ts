import { setMaxListeners } from 'node:events';
import { canceledError } from '../jsm/http-errors.ts';

interface Shared<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * Identical work in flight at the same time is done once (a dashboard firing one question from
 * several connections). The work runs on an abort signal of its own, aborted only when every
 * caller waiting on it has been cancelled: one session's cancel (Ctrl-C, Timeout) neither fails the
 * others' statements nor waits for their work to end.
 */
export class Coalescer<T> {
  readonly #work = new Map<string, Shared<T>>();
  /** Callers that joined work already in flight. */
  joined = 0;

  /** Keys with work in flight. */
  get size(): number {
    return this.#work.size;
  }

  run(key: string, signal: AbortSignal, start: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(canceledError(signal));
    let shared = this.#work.get(key);
    if (shared) this.joined++;
    else {
      const controller = new AbortController();
      // every page, retry and child call of the shared work listens to it at once (each detaches when settled)
      setMaxListeners(0, controller.signal);
      const entry: Shared<T> = { promise: start(controller.signal), controller, waiters: 0 };
      const settle = (): void => {
        if (this.#work.get(key) === entry) this.#work.delete(key);
      };
      entry.promise.then(settle, settle);
      this.#work.set(key, (shared = entry));
    }
    return this.#wait(key, shared, signal);
  }

  /**
   * Later callers of the keys starting with `prefix` (all keys by default) start new work instead of
   * joining what is in flight, which may have read JSM before a clear; callers already waiting keep it.
   */
  forget(prefix = ''): void {
    for (const key of [...this.#work.keys()]) if (key.startsWith(prefix)) this.#work.delete(key);
  }

  #wait(key: string, shared: Shared<T>, signal: AbortSignal): Promise<T> {
    shared.waiters++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (--shared.waiters === 0) {
          // Nobody is left: drop it before aborting so a newcomer cannot join work being stopped.
          if (this.#work.get(key) === shared) this.#work.delete(key);
          shared.controller.abort(signal.reason);
        }
        reject(canceledError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (settle: () => void): void => {
        if (signal.aborted) return; // already answered by onAbort
        signal.removeEventListener('abort', onAbort);
        shared.waiters--;
        settle();
      };
      shared.promise.then(
        (value) => done(() => resolve(value)),
        (err: unknown) => done(() => reject(err)),
      );
    });
  }
}
