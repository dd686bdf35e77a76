import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, connect, outcomeKey, run } from './lib/client.ts';
import { digestRows, runLoad, runLoadInChild, waitForNoSessions } from './lib/load.ts';
import { startHardeningStack, watchProcess, type HardeningStack } from './lib/stack.ts';
import { WORKLOAD } from './lib/workload.ts';

/**
 * The load test, reduced (issue 14; the full run with timings and memory is bench/load.ts): 20
 * sessions connect at once and each sends statements of the mixed workload (catalog queries, JSM
 * reads, joins, aggregates). Correctness only: every session connects, every statement answers with
 * rows, every session gets the same rows as one session alone did for the same statement, and the
 * gateway lets every session go when its client closes. No timing or memory threshold here.
 */
const SESSIONS = 20;
const PER_SESSION = 6;
/**
 * A bound, not a target: sessions that connect at once beyond the warm pool wait for engine boots
 * (a second or two each, one per core at a time), and other test files share the CPU.
 */
const CONNECT_BOUND_MS = 300_000;

describe('load (reduced)', () => {
  let stack: HardeningStack;
  const watch = watchProcess();

  beforeAll(async () => {
    stack = await startHardeningStack({ argv: ['--max-sessions', String(SESSIONS + 5)] });
  });
  afterAll(async () => {
    watch.stop();
    await stack?.close();
  });

  it(`${SESSIONS} concurrent sessions × ${PER_SESSION} mixed statements: all connect, all answer, all agree with one session`, async () => {
    const deterministic = WORKLOAD.filter((s) => s.deterministic);
    // One session alone, every statement once: the rows each statement should give.
    const reference = new Map<string, string>();
    const c = await connect(stack.url, 120_000);
    if (!c.ok) throw new Error(c.message);
    for (const s of deterministic) {
      const out = await run(c.session, s.sql, { timeoutMs: 120_000 });
      expect(out.kind, `${s.name}: ${outcomeKey(out)}`).toBe('rows');
      if (out.kind === 'rows') reference.set(s.name, digestRows(out.rows));
    }
    await close(c.session);

    const crowd = await runLoad({ url: stack.url, sessions: SESSIONS, durationMs: 10 * 60_000, statementsPerSession: PER_SESSION, seed: 14, digests: true, connectTimeoutMs: CONNECT_BOUND_MS, queryTimeoutMs: 120_000 });
    expect(Object.fromEntries(crowd.connectFailures)).toEqual({});
    expect(crowd.connected).toBe(SESSIONS);
    expect(crowd.records.length).toBe(SESSIONS * PER_SESSION);
    const failed = crowd.records.filter((r) => r.outcome !== 'ok').map((r) => `session ${r.session}: ${r.name} → ${r.outcome}`);
    expect(failed).toEqual([]);
    expect(crowd.sessionsLost).toBe(0);
    const disagree = crowd.records.filter((r) => reference.has(r.name) && r.digest !== reference.get(r.name)).map((r) => `session ${r.session}: ${r.name}`);
    expect(disagree, 'rows differ from the single session').toEqual([]);
    expect(new Set(crowd.records.map((r) => r.kind))).toEqual(new Set(['trivial', 'catalog', 'jsm']));

    expect(await waitForNoSessions(stack.gateway, 60_000), 'every session is released after its client closed').toBeGreaterThanOrEqual(0);
    expect(watch.failures).toEqual([]);
  }, 600_000);

  it('the gateway still takes new sessions after the crowd left (clients in a process of their own, paced)', async () => {
    // the way bench/load.ts runs them: off the gateway's event loop, Poisson arrivals
    const after = await runLoadInChild({ url: stack.url, sessions: 3, durationMs: 10 * 60_000, statementsPerSession: 3, ratePerSession: 20, seed: 15, connectTimeoutMs: CONNECT_BOUND_MS });
    expect(after.connected).toBe(3);
    expect(after.records.length).toBe(9);
    expect(after.records.filter((r) => r.outcome !== 'ok')).toEqual([]);
  }, 400_000);
});
