import { availableParallelism, cpus } from 'node:os';
import type { Logger } from 'pino';
import { Engine } from './engine.ts';
import { ENGINE_GATE } from './engine-gate.ts';

export interface EnginePoolOptions {
  snapshot: Blob;
  /** Idle engines kept warm. */
  size: number;
  /**
   * SQL run on every engine, in its thread, before a session gets it (per-session temp tables, the
   * site's views): asked for at each boot, so that engines booted later get what changed since.
   */
  prepare: () => string;
  /**
   * Boots running at once for sessions waiting (default: one per core but one, at least one), and
   * for the warm-up (default: one per core). Once the oldest waiting session has waited
   * `longWaitMs`, one per core (if more).
   */
  maxBoots?: number;
  /** How long the oldest waiting session waits before boots run on every core (default LONG_WAIT_MS). */
  longWaitMs?: number;
  /**
   * Whether a background refill may start a boot now (default: when the machine has a core idle,
   * `spareCpu`). Asked again every REFILL_RECHECK_MS while it says no.
   */
  refillAllowed?: () => boolean;
  logger?: Logger;
}

/** How often a refill held back for want of CPU asks again. */
const REFILL_RECHECK_MS = 500;
/** A refill held back this long boots anyway (one engine, then it waits again): a machine that is never idle still gets its pool back, slowly. */
const REFILL_MAX_WAIT_MS = 10_000;

/** A connect waiting this long for an engine gets boots on every core (see EnginePool). */
const LONG_WAIT_MS = 8_000;

interface Waiter { resolve: (e: Engine) => void; reject: (err: unknown) => void; since: number }

/**
 * Hands out one pristine engine per session, booted from the schema snapshot ahead of demand.
 * Engines are never reused: `DISCARD ALL` keeps permanent objects (tables, views, functions,
 * roles, grants), so a cleaned engine could carry one session's objects and rows into the next
 * (DESIGN.md §6). A closed session's engine thread ends, and its memory goes with it.
 *
 * Boots run in the engines' own threads, so they never hold the main thread, but each takes a core
 * for a few hundred milliseconds. So: sessions that find the pool empty wait first come, first
 * served, for at most `maxBoots` boots at once, one per core once a connect has waited long, and
 * running statements fewer at once (engine-gate.ts) once it has waited longer still (a crowd's
 * connects then finish one after the other instead of all late together, and running sessions
 * keep CPU); every finished boot serves the oldest waiting
 * session before it refills the pool; and the refill, which nobody waits for, boots one engine at a
 * time and only while the machine has a core idle (a crowd that just emptied the pool keeps its
 * CPU for its statements; the pool fills again when it quiets down), or after REFILL_MAX_WAIT_MS
 * held back (a machine that is never idle).
 */
export class EnginePool {
  private readonly idle: Engine[] = [];
  private readonly waiters: Waiter[] = [];
  private booting = 0;
  private closed = false;
  private recheck?: NodeJS.Timeout;
  /** Since when a refill has been held back for want of CPU. */
  private heldSince?: number;
  /** A refill boot failed: the next one waits for the next acquire (no retry loop against a broken engine). */
  private refillFailed = false;
  private readonly maxBoots: number;
  private readonly urgentBoots: number;
  private readonly refillAllowed: () => boolean;

  constructor(private readonly opts: EnginePoolOptions) {
    // a core is left to the sessions already running, whose statements a crowd's boots would starve,
    // until a connect has waited long (then its wait outweighs their latency: bench/README.md, load.ts)
    this.maxBoots = Math.max(1, opts.maxBoots ?? availableParallelism() - 1);
    this.urgentBoots = Math.max(this.maxBoots, availableParallelism());
    this.refillAllowed = opts.refillAllowed ?? spareCpu();
  }

  /** Boots engines until `count` (default: the pool's size) are idle, one per core at a time (no session runs yet); rejects when a boot fails. */
  async warm(count = this.opts.size): Promise<void> {
    const lanes = Math.min(this.opts.maxBoots ?? availableParallelism(), Math.max(0, count - this.idle.length));
    await Promise.all(Array.from({ length: lanes }, () => this.warmLane(count)));
  }

  async acquire(): Promise<Engine> {
    this.refillFailed = false;
    // an idle engine whose thread died (out of memory) is no use
    let engine = this.idle.shift();
    while (engine?.closed) engine = this.idle.shift();
    if (engine && this.waiters.length === 0) {
      this.schedule();
      return engine;
    }
    if (engine) this.idle.unshift(engine);
    const waiting = new Promise<Engine>((resolve, reject) => this.waiters.push({ resolve, reject, since: performance.now() }));
    this.schedule();
    return waiting;
  }

  async release(engine: Engine): Promise<void> {
    await engine.close().catch((err) => this.opts.logger?.warn({ err }, 'engine close failed'));
  }

  stats(): { idle: number; warming: number; waiting: number } {
    return { idle: this.idle.length, warming: this.booting, waiting: this.waiters.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    ENGINE_GATE.narrow(this, false);
    clearTimeout(this.recheck);
    for (const w of this.waiters.splice(0)) w.reject(new Error('the engine pool closed'));
    await Promise.all(this.idle.splice(0).map((e) => e.close().catch(() => undefined)));
  }

  private async warmLane(count: number): Promise<void> {
    // boots in flight land with waiting sessions first, so they count against those before the pool
    while (!this.closed && this.idle.length + this.booting - this.waiters.length < count) await this.boot();
  }

  /** One boot; its engine goes to the oldest waiting session, else to the idle list. A failure goes to the oldest waiting session too. */
  private async boot(): Promise<void> {
    this.booting++;
    let engine: Engine;
    try {
      engine = await Engine.boot(this.opts.snapshot, { prepare: this.opts.prepare() });
    } catch (err) {
      this.booting--;
      const waiter = this.waiters.shift();
      if (waiter) waiter.reject(err);
      this.schedule();
      if (!waiter) throw err;
      return;
    }
    this.booting--;
    const waiter = this.waiters.shift();
    if (this.closed) await engine.close();
    else if (waiter) waiter.resolve(engine);
    else this.idle.push(engine);
    this.schedule();
  }

  /** Starts the boots waiting sessions need (up to maxBoots), then a refill boot when nothing else boots and the CPU allows. */
  private schedule(): void {
    if (this.closed) return;
    // a failure goes to a waiting session; one that finds none (served meanwhile) is only logged
    // (checked at every boot's end, which comes often while connects wait)
    const waited = this.waiters.length > 0 ? performance.now() - this.waiters[0]!.since : 0;
    const long = this.opts.longWaitMs ?? LONG_WAIT_MS;
    // and, later still (a machine whose statements leave boots no room), statements make room for them (engine-gate.ts)
    ENGINE_GATE.narrow(this, waited >= 1.5 * long);
    const lanes = waited >= long ? this.urgentBoots : this.maxBoots;
    while (this.booting < lanes && this.booting < this.waiters.length) this.boot().catch((err) => this.opts.logger?.error({ err }, 'engine boot failed'));
    if (this.waiters.length > 0 || this.booting > 0 || this.idle.length >= this.opts.size || this.refillFailed || this.recheck) return;
    this.heldSince ??= performance.now();
    if (!this.refillAllowed() && performance.now() - this.heldSince < REFILL_MAX_WAIT_MS) {
      this.recheck = setTimeout(() => {
        this.recheck = undefined;
        this.schedule();
      }, REFILL_RECHECK_MS).unref();
      return;
    }
    this.heldSince = undefined;
    this.boot().catch((err) => {
      this.refillFailed = true;
      this.opts.logger?.error({ err }, 'engine warm-up failed');
    });
  }
}

/**
 * A check that says whether the machine has at least one core idle (its CPUs' idle time over the
 * wall time since the last check; half a core on a one-core machine), so that a background boot
 * takes no CPU from running sessions, this gateway's or another process's.
 */
export function spareCpu(cores = availableParallelism(), now = () => performance.now(), idleMs = machineIdleMs): () => boolean {
  const needed = cores > 1 ? 1 : 0.5;
  let last = { wall: now(), idle: idleMs() };
  return () => {
    const sample = { wall: now(), idle: idleMs() };
    const wall = sample.wall - last.wall;
    // too short a window says nothing: wait for the next check; too long a one (the pool was full
    // for a while) would average a burst that just started with the quiet before: measure afresh
    if (wall < REFILL_RECHECK_MS / 2) return false;
    if (wall > 4 * REFILL_RECHECK_MS) {
      last = sample;
      return false;
    }
    const idleCores = (sample.idle - last.idle) / wall;
    last = sample;
    return idleCores >= needed;
  };
}

/** Milliseconds the machine's CPUs have been idle since boot, all cores together. */
function machineIdleMs(): number {
  return cpus().reduce((sum, c) => sum + c.times.idle, 0);
}
