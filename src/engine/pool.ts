import type { Logger } from 'pino';
import { Engine } from './engine.ts';

export interface EnginePoolOptions {
  snapshot: Blob;
  /** Idle engines kept warm. */
  size: number;
  /**
   * SQL run on every engine, in its thread, before a session gets it (per-session temp tables, the
   * site's views): asked for at each boot, so that engines booted later get what changed since.
   */
  prepare: () => string;
  logger?: Logger;
}

/**
 * Hands out one pristine engine per session, booted from the schema snapshot ahead of demand.
 * Engines are never reused: `DISCARD ALL` keeps permanent objects (tables, views, functions,
 * roles, grants), so a cleaned engine could carry one session's objects and rows into the next
 * (DESIGN.md §6). A closed session's engine thread ends, and its memory goes with it.
 *
 * Boots run in the engines' own threads, so they never hold the main thread; replacements boot one
 * at a time so that they take at most one core from running sessions.
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
    let engine = this.idle.shift();
    // an idle engine whose thread died (out of memory) is no use
    while (engine?.closed) engine = this.idle.shift();
    this.refill();
    return engine ?? this.fresh();
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

  private fresh(): Promise<Engine> {
    return Engine.boot(this.opts.snapshot, { prepare: this.opts.prepare() });
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

  /** One boot at a time until the pool is full again. */
  private refill(): void {
    if (this.closed || this.warming > 0 || this.idle.length >= this.opts.size) return;
    this.addIdle().then(
      () => this.refill(),
      (err) => this.opts.logger?.error({ err }, 'engine warm-up failed'),
    );
  }
}
