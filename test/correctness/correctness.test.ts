import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCatalog, engineName } from '../../src/catalog/registry.ts';
import { requireTool } from '../helpers/require-tool.ts';
import type { CorrectnessQuery } from './compare.ts';
import { allQueries, runQueries, startSuiteEnv, type SuiteEnv } from './suite.ts';

/**
 * Every statement of the suite through the gateway and against a native PostgreSQL holding the
 * simulator's dataset under the same schema: the rows must be the same.
 */
const postgres = requireTool('postgres');

describe.skipIf(!postgres.available)('correctness: gateway vs reference PostgreSQL (small)', () => {
  let env: SuiteEnv;
  let gateway: pg.Client;
  let reference: pg.Client;
  let queries: CorrectnessQuery[] = [];

  beforeAll(async () => {
    env = await startSuiteEnv('small');
    [gateway, reference] = await Promise.all([env.gatewayClient(), env.referenceClient()]);
    const all = await allQueries(reference);
    queries = all.queries;
    if (all.notes.length) console.info(`correctness: ${all.notes.length} notes\n  ${all.notes.join('\n  ')}`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gateway?.end(), reference?.end()]);
    await env?.close();
  });

  it('loads every catalog relation into the reference with unique keys', () => {
    for (const t of getCatalog().tables) {
      expect(env.reference.counts[engineName(t.name)], t.name).toBeGreaterThan(0);
      expect(env.reference.duplicates[engineName(t.name)], `${t.name}: dataset items sharing a key`).toBe(0);
    }
  });

  it('runs at least 150 statements', () => {
    expect(queries.length).toBeGreaterThanOrEqual(150);
  });

  it('gives the same rows as the reference for every statement', async () => {
    const report = await runQueries(gateway, reference, queries);
    console.info(`correctness: ${report.total} statements, ${report.total - report.diffs.length} same rows`);
    if (report.diffs.length) console.error(`correctness: ${report.diffs.length} of ${report.total} statements differ\n\n${report.diffs.join('\n\n')}`);
    expect(report.diffs.length, `${report.diffs.length} of ${report.total} statements differ (see the log above)`).toBe(0);
  }, 150_000);
});
