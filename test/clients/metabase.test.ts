import { afterAll, beforeAll, expect, it } from 'vitest';
import { clearSimCalls, simCalls, startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { compileJava, parseChecks, type CheckLines, type JavaPrograms } from './helpers/java.ts';

type Call = Awaited<ReturnType<typeof simCalls>>[number];

/** One API call as the cache sees it: method, path and every query parameter. */
const callKey = (c: Call) => `${c.method} ${c.path}?${Object.entries(c.query).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&')}`;

function duplicates(calls: Call[]): string[] {
  const seen = new Map<string, number>();
  for (const c of calls) seen.set(callKey(c), (seen.get(callKey(c)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${n}x ${k}`);
}

describeWithTools(['java', 'pgjdbc'], 'Metabase PostgreSQL driver sequence (pgjdbc)', (tools) => {
  let stack: TestStack;
  let java: JavaPrograms;
  let url: string;
  beforeAll(async () => {
    [stack, java] = await Promise.all([startStack(), compileJava(['Checks', 'MetabaseSequence'], tools.java.path!, tools.pgjdbc.path!)]);
    url = `jdbc:postgresql://127.0.0.1:${stack.port}/jsm`;
  });
  afterAll(async () => {
    stack?.sim.setFaults({ latencyMs: 0 });
    await stack?.close();
    await java?.dispose();
  });

  const phase = async (...args: string[]): Promise<CheckLines> => {
    const r = await java.run('MetabaseSequence', [url, 'demo', 'demo', ...args]);
    const checks = parseChecks(r.stdout);
    expect(Object.fromEntries(checks.failed), r.stderr).toEqual({});
    expect(checks.done, r.stdout + r.stderr).toBe(true);
    return checks;
  };

  it('connection statements: SET, SHOW TRANSACTION ISOLATION LEVEL, SET SESSION CHARACTERISTICS, BEGIN READ ONLY, SHOW timezone', async () => {
    const c = await phase('connect');
    expect([...c.ok.keys()]).toEqual([
      'setExtraFloatDigits', 'setApplicationName', 'showTransactionIsolation', 'setSessionCharacteristicsReadUncommitted',
      'showTimezone', 'readOnlyTransaction', 'afterReadOnly',
    ]);
  });

  it('the same question a second time is served from the cache', async () => {
    await clearSimCalls(stack.sim);
    const first = await phase('question', '2', '1');
    const firstCalls = await simCalls(stack.sim);
    expect(firstCalls.length).toBeGreaterThan(0);
    expect(duplicates(firstCalls)).toEqual([]);
    await clearSimCalls(stack.sim);
    const second = await phase('question', '2', '1');
    expect(second.rows.get('answer')).toBe(first.rows.get('answer'));
    expect((await simCalls(stack.sim)).map(callKey)).toEqual([]);
  });

  it('a dashboard firing the question from 5 connections at once makes each API call once', async () => {
    // slow API: the five statements are all in flight together, so only coalescing can save calls
    stack.sim.setFaults({ latencyMs: 400 });
    await clearSimCalls(stack.sim);
    const c = await phase('question', '3', '5');
    stack.sim.setFaults({ latencyMs: 0 });
    const calls = await simCalls(stack.sim);
    expect(calls.some((x) => x.query.serviceDeskId === '3')).toBe(true);
    expect(duplicates(calls)).toEqual([]);
    expect(c.rows.get('answer')).toMatch(/^\[\[/);
  });

  it('sync: schemas, tables with privileges, columns with comments, foreign keys, fingerprints and field values', async () => {
    await clearSimCalls(stack.sim);
    const c = await phase('sync');
    for (const name of ['syncSchemas', 'syncTablePrivileges', 'syncDescribeDatabase', 'syncDescribeFields', 'syncDescribeFks', 'syncTimezone',
      'fingerprint servicedesks', 'fingerprint requests', 'fieldValues requests.currentstatus', 'fieldValues requests.servicedeskid', 'fieldValues servicedesks.projectname'])
      expect(c.ok.has(name), name).toBe(true);
    expect(Number(c.rows.get('fingerprint.requests'))).toBe(60);
    // metadata is answered by the engine alone; the scans read each API call once
    expect(duplicates(await simCalls(stack.sim))).toEqual([]);
  });
});
