import { canceledError } from './http-errors.ts';

interface Waiter {
  grant: () => void;
}

/**
 * FIFO counting semaphore. A waiter whose signal aborts leaves the queue at once
 * and never takes a slot; release functions are idempotent so error paths can
 * call them unconditionally.
 */
export class Semaphore {
  #limit: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = Semaphore.#checked(limit);
  }

  static #checked(limit: number): number {
    return Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : 1;
  }

  get limit(): number {
    return this.#limit;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  setLimit(limit: number): void {
    this.#limit = Semaphore.#checked(limit);
    this.#drain();
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(canceledError(signal));
    if (this.#active < this.#limit && this.#queue.length === 0) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(canceledError(signal));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      this.#queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      this.#drain();
    };
  }

  #drain(): void {
    while (this.#active < this.#limit && this.#queue.length > 0) {
      const next = this.#queue.shift() as Waiter;
      this.#active++;
      next.grant();
    }
  }
}
