import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultComparison, type FaultRunResult } from './lib/faults.ts';
import { startHardeningStack, watchProcess, type HardeningStack } from './lib/stack.ts';
import { WORKLOAD } from './lib/workload.ts';

/**
 * The fault run, reduced (issue 14; the full run is bench/faults.ts; 429 bursts, 5xx and resets
 * against the reference PostgreSQL are test/correctness/faults.test.ts): JSM reads while the
 * simulator trickles its bodies, while it is stopped and restarted, and with mixed faults through
 * the shared cache, each compared with the same statement fault-free. Every answer is the fault-free
 * rows or an error with a SQLSTATE, never fewer rows, and no session is lost.
 */
const NAMES = ['Requests of desk 1', 'Request by key', 'Requests join RequestComments by desk', 'RequestComments of one request', 'Requests per desk and status', 'Queues of desk 1'];

describe('fault run (reduced)', () => {
  let stack: HardeningStack;
  const watch = watchProcess();
  let result: FaultRunResult;

  beforeAll(async () => {
    stack = await startHardeningStack();
  });
  afterAll(async () => {
    watch.stop();
    await stack?.close();
  });

  it('gives the fault-free rows or a clear error under slow bodies, restarts and mixed faults', async () => {
    const statements = WORKLOAD.filter((s) => NAMES.includes(s.name));
    expect(statements.length).toBe(NAMES.length);
    result = await runFaultComparison({
      stack,
      statements,
      sessions: 2,
      timeoutMs: 120_000,
      statementTimeoutS: 90,
      phases: [
        { name: 'slow bodies', faults: { slowBodyMs: 100 } },
        { name: 'simulator restarts', restarts: { everyMs: 1500, downMs: 700, min: 2 } },
        { name: 'mixed, shared cache', faults: { latencyMs: 5, rateLimitPerSecond: 20, errorRate: 0.1, resetRate: 0.05, slowBodyMs: 20 }, sharedCache: true, clearCache: true },
        { name: 'after, shared cache', sharedCache: true },
      ],
    });
    for (const p of result.phases) console.info(`${p.phase.name}: ${p.same}/${p.statements} same, errors ${JSON.stringify(Object.fromEntries(p.errors))}, restarts ${p.restarts}`);
    expect(result.unstable).toEqual([]);
    for (const p of result.phases) {
      expect(p.wrong, p.phase.name).toEqual([]);
      expect(p.broken, p.phase.name).toEqual([]);
      expect(p.sessionsLost, p.phase.name).toBe(0);
      expect(p.same, `${p.phase.name}: retries carry most statements through`).toBeGreaterThan(p.statements / 2);
    }
    expect(result.phases[1]!.restarts).toBeGreaterThanOrEqual(2);
    // What the faulty phase left in the shared cache is complete: the next phase sees exactly the fault-free rows.
    expect(result.phases[3]!.same).toBe(result.phases[3]!.statements);
    expect(watch.failures).toEqual([]);
  }, 300_000);
});
