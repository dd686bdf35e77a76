import type { Logger } from 'pino';
import { Engine, msSinceEngineUse } from './engine.ts';

/**
 * A boot holds this thread for up to a second, and every session takes a fresh engine: booting
 * replacements while sessions run statements starved them (8 clients' SELECT 1 fell from ~3,000/s
 * to ~5/s while the pool refilled). Replacements boot only once no engine has run anything for
 * this long; a session arriving at an empty pool boots its own.
 */
const QUIET_MS = 300;

export interface EnginePoolOptions {
  snapshot: Blob;
  /** Idle engines kept warm. */
  size: number;
  /** Run on every engine before a session gets it (per-session temp tables). */
  prepare: (engine: Engine) => Promise<void>;
  logger?: Logger;
}

/**
 * Hands out one pristine engine per session, booted from the schema snapshot ahead of demand.
 * Engines are never reused: `DISCARD ALL` keeps permanent objects (tables, views, functions,
 * roles, grants), so a cleaned engine could carry one session's objects and rows into the next
 * (DESIGN.md §6). A closed session's engine is closed, and its memory goes with it.
 */
export class EnginePool {
  private readonly idle: Engine[] = [];
  private warming = 0;
  private closed = false;
  private refillTimer?: NodeJS.Timeout;

  constructor(private readonly opts: EnginePoolOptions) {}

  async warm(): Promise<void> {
    await Promise.all(Array.from({ length: this.opts.size }, () => this.addIdle()));
  }

  async acquire(): Promise<Engine> {
    const engine = this.idle.shift() ?? (await this.fresh());
    this.refill();
    return engine;
  }

  async release(engine: Engine): Promise<void> {
    await engine.close().catch((err) => this.opts.logger?.warn({ err }, 'engine close failed'));
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
    try {
      await this.opts.prepare(engine);
    } catch (err) {
      await engine.close().catch(() => undefined);
      throw err;
    }
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

  /** Open, no boot under way, and fewer idle engines than asked for. */
  private short(): boolean {
    return !this.closed && this.warming === 0 && this.idle.length < this.opts.size;
  }

  /** One boot at a time, in a quiet moment (see QUIET_MS). */
  private refill(): void {
    if (this.refillTimer || !this.short()) return;
    const quietIn = Math.max(0, QUIET_MS - msSinceEngineUse());
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      if (!this.short()) return;
      if (msSinceEngineUse() < QUIET_MS) return this.refill();
      this.addIdle().then(
        () => this.refill(),
        (err) => this.opts.logger?.error({ err }, 'engine warm-up failed'),
      );
    }, quietIn);
    this.refillTimer.unref();
  }
}
