import type { Logger } from 'pino';
import { Engine } from './engine.ts';

export interface EnginePoolOptions {
  snapshot: Blob;
  /** Idle engines kept warm. */
  size: number;
  /** Run on every engine before a session gets it (per-session temp tables, settings). */
  prepare: (engine: Engine) => Promise<void>;
  logger?: Logger;
}

const REFILL_DELAY_MS = 1_500;

/**
 * Hands out one engine per session from a warm pool and takes it back reset. Engines are reused,
 * not churned: create/close churn has crashed V8 in PGlite's tracker, and a boot costs ~400 ms.
 */
export class EnginePool {
  private readonly idle: Engine[] = [];
  private warming = 0;
  private refillTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: EnginePoolOptions) {}

  async warm(): Promise<void> {
    await Promise.all(Array.from({ length: this.opts.size }, () => this.addIdle()));
  }

  async acquire(): Promise<Engine> {
    const engine = this.idle.pop() ?? (await this.fresh());
    this.scheduleRefill();
    return engine;
  }

  /** Reset and return to the pool, or close when the pool is full or the reset fails. */
  async release(engine: Engine): Promise<void> {
    if (this.closed || engine.closed || this.idle.length >= this.opts.size) {
      await engine.close().catch(() => undefined);
      return;
    }
    try {
      // Sync ends any half-sent extended-protocol batch; then leave no transaction, cursor, setting or temp table behind.
      await engine.execRaw(Uint8Array.from([0x53, 0, 0, 0, 4]));
      await engine.exec('ROLLBACK');
      await engine.exec('DISCARD ALL');
      await this.opts.prepare(engine);
      this.idle.push(engine);
    } catch (err) {
      this.opts.logger?.warn({ err }, 'engine reset failed; closing it');
      await engine.close().catch(() => undefined);
    }
  }

  stats(): { idle: number; warming: number } {
    return { idle: this.idle.length, warming: this.warming };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refillTimer);
    await Promise.all(this.idle.splice(0).map((e) => e.close().catch(() => undefined)));
  }

  private async fresh(): Promise<Engine> {
    const engine = await Engine.boot(this.opts.snapshot);
    await this.opts.prepare(engine);
    return engine;
  }

  private async addIdle(): Promise<void> {
    this.warming++;
    try {
      const engine = await this.fresh();
      if (this.closed) await engine.close();
      else this.idle.push(engine);
    } finally {
      this.warming--;
    }
  }

  /**
   * Boots replacements only if the pool is still short a moment later. A boot takes a second or
   * more of this thread, and a client that connects, runs a few statements and leaves (psql -c,
   * scripts, health checks) hands its engine back reset (~0.1 s) before then: booting at once made
   * every such connection's first statements wait behind a boot, and then closed the spare.
   */
  private scheduleRefill(): void {
    if (this.refillTimer || this.closed) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      this.refill();
    }, REFILL_DELAY_MS);
    this.refillTimer.unref();
  }

  /** One boot at a time: each holds this thread for a second or more, so queries get turns between boots. */
  private refill(): void {
    if (this.closed || this.warming > 0 || this.idle.length >= this.opts.size) return;
    this.addIdle().then(
      () => this.refill(),
      (err) => this.opts.logger?.error({ err }, 'engine warm-up failed'),
    );
  }
}
