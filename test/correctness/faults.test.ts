import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simCalls } from '../helpers/gateway.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { compareQuery, isError, type CorrectnessQuery } from './compare.ts';
import { ENTITY_QUERIES } from './queries-entities.ts';
import { REQUEST_QUERIES } from './queries-requests.ts';
import { availableQueries, startSuiteEnv, type SuiteEnv } from './suite.ts';

/**
 * The same statements while JSM misbehaves: 429 bursts (a 20 calls/s token bucket), 5% 5xx and 2%
 * connection resets, with the cache bypassed. Each must give the reference's rows or fail with a
 * clear error (FDW/upstream HV…, canceled 57014, connection 08…, resources 53…): never fewer rows.
 */
const postgres = requireTool('postgres');
const FAULTS = { latencyMs: 5, rateLimitPerSecond: 20, errorRate: 0.05, resetRate: 0.02, slowBodyMs: 0 };
const CLEAR_ERROR = /^(HV|57014|08|53)/;

/** Groups whose statements build on each other (a cursor, a transaction): kept whole. */
const STATEFUL = new Set(['prepared statements', 'transactions and cursors', 'client search_path']);

/** Statements whose calls are few enough to run many of them under a 20 calls/s limit. */
const SUBSET: CorrectnessQuery[] = [
  ...REQUEST_QUERIES.filter((q, i) => STATEFUL.has(q.origin) || i % 2 === 0),
  ...ENTITY_QUERIES.filter((q) => ['children by parent key', 'children across parents', 'catalog entities', 'parent-scoped rows'].includes(q.origin)),
];

describe.skipIf(!postgres.available)('correctness under faults (cache bypassed)', () => {
  let env: SuiteEnv;
  let gateway: pg.Client;
  let reference: pg.Client;

  beforeAll(async () => {
    env = await startSuiteEnv('small');
    [gateway, reference] = await Promise.all([env.gatewayClient(), env.referenceClient()]);
    await gateway.query("SET jsm.cache = 'bypass'");
    const res = await fetch(`${env.stack.sim.url}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(FAULTS) });
    expect(res.ok).toBe(true);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gateway?.end(), reference?.end()]);
    await env?.close();
  });

  it('gives the reference rows or a clear error for every statement, and the session survives', async () => {
    const queries = availableQueries(SUBSET).queries;
    const wrong: string[] = [];
    const errors: string[] = [];
    for (const q of queries) {
      const { diff, gateway: g, reference: r } = await compareQuery(gateway, reference, q);
      if (!diff) continue;
      if (isError(g) && !isError(r) && CLEAR_ERROR.test(g.code)) errors.push(`${g.code} ${g.message}: ${q.sql}`);
      else wrong.push(diff);
    }
    const statuses = new Map<number, number>();
    for (const c of await simCalls(env.stack.sim)) statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
    console.info(`faults: ${queries.length} statements, ${queries.length - errors.length - wrong.length} same rows, ${errors.length} clear errors, ${wrong.length} wrong; API answers by status ${JSON.stringify(Object.fromEntries(statuses))}`);
    if (errors.length) console.info(`  clear errors:\n  ${errors.join('\n  ')}`);
    if (wrong.length) console.error(`faults: ${wrong.length} statements gave wrong rows or an unclear error\n\n${wrong.join('\n\n')}`);
    expect(wrong.length, `${wrong.length} of ${queries.length} statements gave wrong rows or an unclear error (see the log above)`).toBe(0);
    // Retries should carry most statements through; a run of errors alone would prove nothing.
    expect(errors.length).toBeLessThan(queries.length / 2);
    expect(statuses.get(429) ?? 0, 'rate limiting happened').toBeGreaterThan(0);
    expect([...statuses].filter(([s]) => s >= 500).length, '5xx answers happened').toBeGreaterThan(0);
    expect((await gateway.query('SELECT 1 AS ok')).rows).toEqual([{ ok: '1' }]);
  }, 170_000);
});
