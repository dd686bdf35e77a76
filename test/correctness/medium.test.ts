import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/require-tool.ts';
import { ENTITY_QUERIES, VIEW_QUERIES } from './queries-entities.ts';
import { REQUEST_QUERIES } from './queries-requests.ts';
import { availableQueries, runQueries, startSuiteEnv, type SuiteEnv } from './suite.ts';

/**
 * The hand-written statements once more at scale medium (1,000 requests, five desks): paging
 * across many pages, parent fan-out over hundreds of requests, the shared cache under wider data.
 */
const postgres = requireTool('postgres');

describe.skipIf(!postgres.available)('correctness: gateway vs reference PostgreSQL (medium)', () => {
  let env: SuiteEnv;
  let gateway: pg.Client;
  let reference: pg.Client;

  beforeAll(async () => {
    // its child relations over all 1,000 requests take 1,001 calls: more than the default per-statement cap
    env = await startSuiteEnv('medium', 'MaxApiCallsPerStatement=0');
    [gateway, reference] = await Promise.all([env.gatewayClient(), env.referenceClient()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gateway?.end(), reference?.end()]);
    await env?.close();
  });

  it('gives the same rows as the reference for every hand-written statement', async () => {
    const { queries } = availableQueries([...VIEW_QUERIES, ...REQUEST_QUERIES, ...ENTITY_QUERIES]);
    const report = await runQueries(gateway, reference, queries);
    console.info(`correctness (medium): ${report.total} statements, ${report.total - report.diffs.length} same rows`);
    if (report.diffs.length) console.error(`correctness (medium): ${report.diffs.length} of ${report.total} statements differ\n\n${report.diffs.join('\n\n')}`);
    expect(report.diffs.length, `${report.diffs.length} of ${report.total} statements differ (see the log above)`).toBe(0);
  }, 170_000);
});
