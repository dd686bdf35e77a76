import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { libpqEnv, run } from './helpers/run.ts';

describeWithTools(['psql'], 'psql (libpq)', (tools) => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    stack = await startStack();
    dir = await mkdtemp(join(tmpdir(), 'jsm-pg-psql-'));
  });
  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** psql without ~/.psqlrc, stopping at the first error; each -c is one command. */
  const psql = (commands: string[], extra: string[] = []) =>
    run(tools.psql.path!, ['-X', '-v', 'ON_ERROR_STOP=1', ...extra, ...commands.flatMap((c) => ['-c', c])], { env: libpqEnv(stack) });

  const ok = async (commands: string[], extra: string[] = []) => {
    const r = await psql(commands, extra);
    expect(r.stderr, r.stderr).not.toMatch(/ERROR|FATAL/);
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('\\l lists the jsm database', async () => {
    const out = await ok(['\\l']);
    expect(out).toMatch(/^\s*jsm\s*\|/m);
  });

  it('\\dn lists the JSM and user-view schemas', async () => {
    const out = await ok(['\\dn']);
    expect(out).toMatch(/^\s*jsm\s*\|/m);
    expect(out).toMatch(/^\s*userviews\s*\|/m);
  });

  it('\\dv lists the JSM relations (guarded views, DESIGN.md §6)', async () => {
    const out = await ok(['\\dv jsm.*']);
    expect(out).toMatch(/\|\s*requests\s*\|\s*view/);
    expect(out).toMatch(/\|\s*servicedesks\s*\|\s*view/);
    await ok(['\\dt']);
    await ok(['\\d']);
  });

  it('\\df lists the user\'s functions, not the gateway\'s internals', async () => {
    const df = await ok(['\\df']);
    expect(df).toMatch(/\|\s*clear_cache\s*\|/);
    expect(df).not.toMatch(/fetched|write_guard|\bload\b/);
    const jsm = await ok(['\\df+ jsm.*']);
    expect(jsm).not.toMatch(/fetched|write_guard/);
  });

  it('\\dt and \\dv show no internal rows tables of pg_jsm_rows', async () => {
    const dt = await ok(['\\dt']);
    expect(dt).not.toMatch(/pg_jsm_rows/);
    const dv = await ok(['\\dv']);
    expect(dv).toMatch(/\|\s*requests\s*\|\s*view/);
    expect(dv).not.toMatch(/pg_jsm_rows/);
  });

  it('\\d+ of a JSM relation shows no child tables or triggers', async () => {
    const out = await ok(['\\d+ requests']);
    expect(out).not.toMatch(/Child tables|Triggers|write_guard/);
  });

  it('EXPLAIN and EXPLAIN ANALYZE show the API calls', async () => {
    const plan = await ok(['EXPLAIN SELECT * FROM requests']);
    expect(plan).toMatch(/JSM API calls:/);
    expect(plan).toMatch(/Requests: GET \/rest\/servicedeskapi\/request \(1 call, paged\)/);
    const analyzed = await ok(["EXPLAIN ANALYZE SELECT * FROM requests WHERE servicedeskid = '1'"]);
    expect(analyzed).toMatch(/Execution Time/);
    expect(analyzed).toMatch(/JSM API calls:/);
    expect(analyzed).toMatch(/Pushed: servicedeskid = '1'/);
    expect(analyzed).toMatch(/Actual: \d+ API calls?, \d+ pages?, \d+ rows? in [\d.]+ ms/);
  });

  it('\\d and \\d+ describe a relation with its columns and comments', async () => {
    const d = await ok(['\\d requests']);
    expect(d).toContain('View "jsm.requests"');
    expect(d).toMatch(/requestid\s*\|\s*text/);
    const dplus = await ok(['\\d+ requests']);
    expect(dplus).toContain('The ID of the request.');
    expect(dplus).toMatch(/createddate\s*\|\s*timestamp with time zone/);
    // the keys drivers read (pgjdbc getPrimaryKeys/getImportedKeys) are in the catalogs
    const keys = await ok(["SELECT conname, contype FROM pg_constraint WHERE conrelid = 'jsm.requests'::regclass ORDER BY 1"], ['-A', '-t']);
    expect(keys).toContain('requests_pkey|p');
    expect(keys).toContain('requests_servicedeskid_fkey|f');
  });

  it('\\x switches to expanded output for a JSM query', async () => {
    const out = await ok(['\\x', "SELECT id, projectname FROM servicedesks WHERE id = '1'"]);
    expect(out).toContain('Expanded display is on.');
    expect(out).toMatch(/-\[ RECORD 1 \]-*\nid\s+\| 1\nprojectname\s+\| \S/);
  });

  it('a join with an aggregate', async () => {
    const out = await ok(['SELECT d.projectname, count(*) AS n FROM requests r JOIN servicedesks d ON d.id = r.servicedeskid GROUP BY 1 ORDER BY 1'], ['-A', '-t']);
    const lines = out.trim().split('\n');
    expect(lines.length).toBe(3);
    expect(lines.reduce((s, l) => s + Number(l.split('|')[1]), 0)).toBe(60);
  });

  it('\\copy (query) to a file writes every row', async () => {
    const file = join(dir, 'requests.csv');
    const out = await ok([`\\copy (SELECT requestid, summary, createddate FROM requests WHERE servicedeskid = '1' ORDER BY requestid) to '${file}' csv header`]);
    const n = Number(/COPY (\d+)/.exec(out)?.[1]);
    expect(n).toBeGreaterThan(0);
    const csv = (await readFile(file, 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('requestid,summary,createddate');
    expect(csv.length).toBe(n + 1);
    const count = await ok(["SELECT count(*) FROM requests WHERE servicedeskid = '1'"], ['-A', '-t']);
    expect(Number(count.trim())).toBe(n);
  });

  it('\\copy table to stdout', async () => {
    const out = await ok(['\\copy servicedesks to stdout']);
    expect(out.trim().split('\n').length).toBe(3);
  });

  it('a script with an error in the middle: ON_ERROR_STOP stops it, without it psql carries on', async () => {
    const script = join(dir, 'script.sql');
    const body = (stop: boolean) => `${stop ? '\\set ON_ERROR_STOP on\n' : ''}SELECT 'before' AS marker;\nSELECT nosuchcolumn FROM requests;\nSELECT * FROM nosuchtable;\nSELECT 'after:' || count(*) AS marker FROM servicedesks;\n`;
    const env = libpqEnv(stack);

    await writeFile(script, body(true));
    const stopped = await run(tools.psql.path!, ['-X', '-A', '-t', '-f', script], { env });
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toContain('before');
    expect(stopped.stdout).not.toContain('after');
    expect(stopped.stderr).toMatch(/column "nosuchcolumn" does not exist/);
    expect(stopped.stderr).not.toMatch(/nosuchtable/);

    await writeFile(script, body(false));
    const carried = await run(tools.psql.path!, ['-X', '-A', '-t', '-f', script], { env });
    expect(carried.code).toBe(0);
    expect(carried.stdout).toContain('after:3');
    expect(carried.stderr).toMatch(/column "nosuchcolumn" does not exist/);
    expect(carried.stderr).toMatch(/relation "nosuchtable" does not exist/);
  });

  it('a transaction in a script: an error aborts it, ROLLBACK recovers', async () => {
    const script = join(dir, 'tx.sql');
    await writeFile(script, "BEGIN;\nSELECT count(*) FROM requests;\nSELECT 1/0;\nSELECT 'in failed tx';\nROLLBACK;\nSELECT 'recovered:' || count(*) FROM servicedesks;\n");
    const r = await run(tools.psql.path!, ['-X', '-A', '-t', '-f', script], { env: libpqEnv(stack) });
    expect(r.stderr).toMatch(/division by zero/);
    expect(r.stderr).toMatch(/current transaction is aborted/);
    expect(r.stdout).toContain('recovered:3');
  });

  it('variables and \\gset from standard input', async () => {
    const r = await run(tools.psql.path!, ['-X', '-v', 'ON_ERROR_STOP=1', '-A', '-t'], {
      env: libpqEnv(stack),
      input: "SELECT count(*) AS n FROM requests WHERE servicedeskid = '2' \\gset\n\\echo n=:n\n",
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/n=\d+/);
  });
});
