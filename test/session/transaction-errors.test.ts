import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { compileJava, parseChecks, type JavaPrograms } from '../clients/helpers/java.ts';
import { libpqEnv, run } from '../clients/helpers/run.ts';

/**
 * Issue 9: inside a transaction block the client sees each failing statement's own SQLSTATE
 * (not 25P02 from a failed EXPLAIN or fetch before it), from three real clients, and the session
 * goes on after ROLLBACK. The gateway's JSM credential is wrong, so any fetch fails upstream
 * (401 → 28000); the first two statements fail before any fetch.
 */
const FAILING: [sql: string, code: string][] = [
  ['SELECT nope FROM Requests', '42703'],
  ["SELECT 1/0 FROM Requests WHERE ServiceDeskId = '1'", '22012'],
  ["SELECT * FROM Requests WHERE ServiceDeskId = '1'", '28000'],
];

describeWithTools(['psql', 'psycopg2', 'java', 'pgjdbc'], 'errors inside transaction blocks keep their SQLSTATE', (tools) => {
  let stack: TestStack;
  let java: JavaPrograms;
  beforeAll(async () => {
    [stack, java] = await Promise.all([
      startStack({ connection: 'APIToken=not-the-token' }),
      compileJava(['TransactionErrors'], tools.java.path!, tools.pgjdbc.path!),
    ]);
  });
  afterAll(async () => {
    await stack?.close();
    await java?.dispose();
  });

  it('psql inside BEGIN', async () => {
    const script = ['\\set VERBOSITY verbose', ...FAILING.flatMap(([sql]) => ['BEGIN;', `${sql};`, 'SELECT 2;', 'ROLLBACK;']), "SELECT 'alive';"].join('\n');
    const r = await run(tools.psql.path!, ['-X', '-A', '-t'], { env: libpqEnv(stack), input: script });
    const codes = [...r.stderr.matchAll(/ERROR:\s+([0-9A-Z]{5}):/g)].map((m) => m[1]);
    // each failing statement, then the SELECT 2 after it in the aborted transaction
    expect(codes).toEqual(FAILING.flatMap(([, code]) => [code, '25P02']));
    expect(r.stdout).toContain('alive');
  });

  it('psycopg2 (autocommit off by default)', async () => {
    const program = `
import sys, psycopg2
c = psycopg2.connect(sys.argv[1])
for sql in sys.argv[2:]:
    try:
        c.cursor().execute(sql)
        print("ok")
    except psycopg2.Error as e:
        print(e.pgcode)
    c.rollback()
cur = c.cursor(); cur.execute("SELECT 1"); print("alive", cur.fetchone()[0])
`;
    const dsn = `host=127.0.0.1 port=${stack.port} dbname=jsm user=demo password=demo`;
    const r = await run(tools.psycopg2.path!, ['-c', program, dsn, ...FAILING.map(([sql]) => sql)]);
    expect(r.stdout.trim().split('\n'), r.stderr).toEqual([...FAILING.map(([, code]) => code), 'alive 1']);
  });

  it('pgjdbc with autocommit off', async () => {
    const r = await java.run('TransactionErrors', [`jdbc:postgresql://127.0.0.1:${stack.port}/jsm`, 'demo', 'demo', ...FAILING.map(([sql]) => sql)]);
    const checks = parseChecks(r.stdout);
    expect(checks.done, r.stdout + r.stderr).toBe(true);
    expect(FAILING.map((_, i) => checks.rows.get(`stmt${i}`))).toEqual(FAILING.map(([, code]) => code));
    expect(checks.ok.has('alive')).toBe(true);
  });
});
