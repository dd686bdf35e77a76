import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCase, runSqlFuzz, type FuzzResult } from './lib/fuzz.ts';
import { waitForNoSessions } from './lib/load.ts';
import { startHardeningStack, watchProcess, type HardeningStack } from './lib/stack.ts';

/**
 * The SQL fuzzer, reduced (issue 14): a few hundred seeded statements of every shape over the
 * catalog's relations, each followed by `SELECT 1` on the same session and on another one. Every
 * statement must answer in time with rows or an error carrying a SQLSTATE, both sessions must keep
 * answering, and nothing may escape as an uncaught exception. The full run is bench/fuzz-sql.ts;
 * JSM_PG_FUZZ_SEED picks another seed.
 */
const SEED = Number(process.env.JSM_PG_FUZZ_SEED ?? 14);
const COUNT = 300;

describe('SQL fuzzer (reduced)', () => {
  let stack: HardeningStack;
  const watch = watchProcess();
  let result: FuzzResult;

  beforeAll(async () => {
    stack = await startHardeningStack();
  });
  afterAll(async () => {
    watch.stop();
    await stack?.close();
  });

  it(`${COUNT} statements (seed ${SEED}): each answers with rows or a SQLSTATE, and both sessions survive`, async () => {
    result = await runSqlFuzz({ url: stack.url, seed: SEED, count: COUNT, timeoutMs: 20_000, rotateEvery: 50, processFailures: () => watch.failures.length });
    const summary = [...result.outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    console.info(`sql fuzz seed ${SEED}: ${result.cases} statements in ${(result.wallMs / 1000).toFixed(1)} s: ${summary}`);
    if (result.internal.length) console.info(`XX000 answers:\n  ${result.internal.map((x) => `${x.message}: ${describeCase(x.case)}`).join('\n  ')}`);
    const findings = result.findings.map((f) => `${f.problem}: ${describeCase(f.case)}`);
    expect(findings, findings.join('\n')).toEqual([]);
    expect(watch.failures).toEqual([]);
    expect(await waitForNoSessions(stack.gateway, 30_000), 'every fuzz session was released after it closed').toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('exercised both paths: most shapes gave rows, and broken SQL gave errors', () => {
    expect(result.outcomes.get('ok') ?? 0).toBeGreaterThan(COUNT / 4);
    expect(result.byShape.get('malformed')?.get('ok') ?? 0).toBeLessThan([...(result.byShape.get('malformed')?.values() ?? [])].reduce((a, b) => a + b, 0));
    expect(result.outcomes.get('42601') ?? 0, 'syntax errors').toBeGreaterThan(0);
    expect(result.outcomes.get('42703') ?? 0, 'unknown columns').toBeGreaterThan(0);
    expect(result.outcomes.get('22012') ?? 0, 'division by zero').toBeGreaterThan(0);
    expect(result.byShape.size).toBeGreaterThanOrEqual(18);
  });
});
