/**
 * Fault injection. Random decisions come from PRNGs seeded with the
 * simulator's seed and draw the same amount per call whatever the settings,
 * so one seed and one call sequence always give the same faults. Write
 * faults draw from a stream of their own, so turning them on (or adding them
 * at all) leaves the reset/error sequence of a seed as it was. The rate
 * limiter is a token bucket on wall-clock time, like the real one.
 */
import { createRng, deriveSeed } from './prng.ts';
import { NO_FAULTS, type SimFaults } from './types.ts';

export type FaultDecision =
  | { kind: 'ok' }
  | { kind: 'reset' }
  | { kind: 'error'; status: number }
  /** A write answered 500 before its handler runs. */
  | { kind: 'write-error' }
  /** A write whose handler runs and whose response is then dropped. */
  | { kind: 'lost-response' };

/** Settings that are shares of calls. */
const RATES = new Set<keyof SimFaults>(['errorRate', 'resetRate', 'writeErrorRate', 'lostResponseRate']);

export class FaultController {
  private current: SimFaults = { ...NO_FAULTS };
  private draw!: () => number;
  private writeDraw!: () => number;
  private tokens = 0;
  private refilledAt = 0;

  constructor(
    private readonly seed: number,
    initial: Partial<SimFaults> = {},
  ) {
    this.reset();
    this.set(initial);
  }

  get(): SimFaults {
    return { ...this.current };
  }

  /** Turns every fault off and reseeds, so a reset simulator replays the same decisions. */
  reset(): void {
    this.current = { ...NO_FAULTS };
    this.draw = createRng(deriveSeed(this.seed, 'faults')).next;
    this.writeDraw = createRng(deriveSeed(this.seed, 'write-faults')).next;
  }

  /** Applies the given keys, keeps the others; throws on values outside their range. */
  set(patch: Partial<SimFaults>): void {
    const next = { ...this.current };
    for (const [key, value] of Object.entries(patch) as Array<[keyof SimFaults, unknown]>) {
      if (!(key in NO_FAULTS)) throw new RangeError(`Unknown fault setting '${key}'.`);
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be a non-negative number.`);
      if (RATES.has(key) && value > 1) throw new RangeError(`${key} must be between 0 and 1.`);
      next[key] = value;
    }
    if (next.rateLimitPerSecond !== this.current.rateLimitPerSecond) {
      this.tokens = next.rateLimitPerSecond;
      this.refilledAt = Date.now();
    }
    this.current = next;
  }

  /** Takes a token; when none is left returns the seconds until one will be (for Retry-After). */
  takeToken(now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const rate = this.current.rateLimitPerSecond;
    if (rate <= 0) return { ok: true };
    const capacity = Math.max(1, rate);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / rate)) };
  }

  /**
   * The fault for one call that passed the rate limiter. Every call draws two
   * values from each stream, reads and writes alike, so whether a call is a
   * write never shifts the decisions of the calls after it.
   */
  decide(isWrite: boolean): FaultDecision {
    const resetDraw = this.draw();
    const errorDraw = this.draw();
    const writeErrorDraw = this.writeDraw();
    const lostDraw = this.writeDraw();
    const f = this.current;
    if (resetDraw < f.resetRate) return { kind: 'reset' };
    if (errorDraw < f.errorRate) return { kind: 'error', status: errorDraw < f.errorRate / 2 ? 500 : 503 };
    if (isWrite && writeErrorDraw < f.writeErrorRate) return { kind: 'write-error' };
    if (isWrite && lostDraw < f.lostResponseRate) return { kind: 'lost-response' };
    return { kind: 'ok' };
  }
}

/** The calls write faults apply to: anything under /rest/ that may change the site. */
export const isWriteCall = (method: string, path: string): boolean =>
  (method === 'POST' || method === 'PUT' || method === 'DELETE') && path.startsWith('/rest/');
