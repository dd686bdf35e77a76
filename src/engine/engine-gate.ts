import { availableParallelism } from 'node:os';

/**
 * How many engine requests run at once in the process, first come first served. Every session's
 * engine is a thread of its own, and the operating system shares the cores between all that are
 * runnable: fifty sessions each sending its next statement as soon as the last one answered kept
 * dozens of engine threads runnable, and a boot, one more thread among them, got a fiftieth of the
 * machine: connects beyond the warm pool waited 30 s and more (bench/load.ts without --rate).
 *
 * Four requests per core run at once (fewer left cores idle between short requests: pgbench's
 * eight clients of SELECT 1 lost a fifth of their throughput at two per core), one per core while
 * connects have waited long for engines (`narrow`, set by the pool): the boots then get their
 * share of the machine. A request that runs longer than `sliceMs` (a heavy query, pg_sleep) gives
 * its place back while it goes on, so a long statement never holds up the others.
 */
export class EngineGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The pools whose connects have waited long (a process may have several gateways: tests). */
  private readonly overdue = new Set<object>();

  constructor(readonly cores = Math.max(1, availableParallelism()), readonly sliceMs = 20) {}

  get limit(): number {
    return this.overdue.size ? this.cores : 4 * this.cores;
  }

  /** One request per core while any pool says its boots are overdue, else four. */
  narrow(pool: object, on: boolean): void {
    if (on === this.overdue.has(pool)) return;
    if (on) this.overdue.add(pool);
    else this.overdue.delete(pool);
    this.admit();
  }

  /** Waits for a place; the returned release gives it back (once; by itself after sliceMs). */
  async enter(): Promise<() => void> {
    if (this.running < this.limit && this.waiting.length === 0) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.running--;
      this.admit();
    };
    const timer = setTimeout(release, this.sliceMs);
    timer.unref();
    return release;
  }

  /** Requests waiting for a place now. */
  get queued(): number {
    return this.waiting.length;
  }

  private admit(): void {
    while (this.waiting.length && this.running < this.limit) {
      this.running++;
      this.waiting.shift()!();
    }
  }
}

/** The process's gate (every engine thread's requests pass it). */
export const ENGINE_GATE = new EngineGate();
