import type { Logger } from 'pino';
import { Engine } from './engine.ts';

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

  /** One boot at a time: each holds this thread for a while, so queries get turns between boots. */
  private refill(): void {
    if (this.closed || this.warming > 0 || this.idle.length >= this.opts.size) return;
    setImmediate(() => {
      if (this.closed || this.warming > 0 || this.idle.length >= this.opts.size) return;
      this.addIdle().then(
        () => this.refill(),
        (err) => this.opts.logger?.error({ err }, 'engine warm-up failed'),
      );
    });
  }
}
