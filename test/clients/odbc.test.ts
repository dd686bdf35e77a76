import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { start } from './helpers/run.ts';

const KEYS_SQL = "SELECT RequestKey FROM Requests WHERE ServiceDeskId = '1' ORDER BY 1";

describeWithTools(['isql', 'psqlodbc'], 'psqlODBC (unixODBC isql)', (tools) => {
  let stack: TestStack;
  let dir: string;
  let logDir: string;
  let reference: string[];

  beforeAll(async () => {
    stack = await startStack();
    dir = await mkdtemp(join(tmpdir(), 'jsm-pg-odbc-'));
    logDir = join(dir, 'logs');
    await mkdir(logDir);
    // psqlODBC's communication log shows the statements the driver really sent (DECLARE/FETCH or
    // not); it is switched on in the driver's section (which also names the directory) and the DSN's.
    await writeFile(join(dir, 'odbcinst.ini'), `[PostgreSQL Unicode]\nDriver=${tools.psqlodbc.path}\nCommLog=1\nLogdir=${logDir}\n`);
    const dsn = (name: string, extra: string) =>
      `[${name}]\nDriver=PostgreSQL Unicode\nServername=127.0.0.1\nPort=${stack.port}\nDatabase=jsm\nSSLMode=disable\nCommLog=1\n${extra}\n`;
    // Tableau reads through psqlODBC with declare/fetch: a WITH HOLD cursor fetched 10 rows at a time.
    await writeFile(join(dir, 'odbc.ini'), dsn('jsm_declare', 'UseDeclareFetch=1\nFetch=10') + dsn('jsm_plain', 'UseDeclareFetch=0'));
    const c = new pg.Client(stack.url);
    await c.connect();
    reference = (await c.query(KEYS_SQL)).rows.map((r) => r.requestkey as string);
    await c.end();
  });
  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs statements (one a line) through isql in one connection; returns its output and the driver's log. */
  async function isql(dsn: string, statements: string[]) {
    const running = start(tools.isql.path!, ['-b', '-v', '-d|', dsn, 'demo', 'demo'], {
      env: { ODBCSYSINI: dir, ODBCINI: join(dir, 'odbc.ini') },
      input: statements.join('\n') + '\n',
      timeoutMs: 40_000,
    });
    const r = await running.done;
    // psqlodbc_<program>_<user><pid>.log
    const logName = (await readdir(logDir)).find((f) => new RegExp(`^psqlodbc_.*\\D${running.child.pid}\\.log$`).test(f));
    const log = logName ? await readFile(join(logDir, logName), 'utf8') : '';
    return { ...r, lines: r.stdout.split('\n').filter((l) => l.trim() !== ''), log };
  }

  it('UseDeclareFetch=1, Fetch=10: the rows node-postgres gets, through DECLARE … CURSOR and FETCH 10', async () => {
    expect(reference.length).toBeGreaterThan(20);
    const r = await isql('jsm_declare', [KEYS_SQL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual(reference);
    expect(r.log).toMatch(/declare "[^"]+" cursor with hold for SELECT RequestKey/i);
    expect((r.log.match(/fetch 10 in "/gi) ?? []).length).toBeGreaterThanOrEqual(Math.ceil(reference.length / 10));
  });

  it('UseDeclareFetch=0: the same rows in one result', async () => {
    const r = await isql('jsm_plain', [KEYS_SQL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual(reference);
    expect(r.log).toContain('SELECT RequestKey');
    expect(r.log).not.toMatch(/declare "/i);
  });

  for (const dsn of ['jsm_declare', 'jsm_plain']) {
    it(`${dsn}: an error is reported with its SQLSTATE and the connection goes on`, async () => {
      const r = await isql(dsn, [
        'SELECT * FROM NoSuchRelation',
        "SELECT RequestKey, RequestParticipants FROM Requests WHERE RequestId = '10001'",
        "SELECT count(*) FROM Requests WHERE ServiceDeskId = '1'",
      ]);
      expect(r.stdout + r.stderr).toContain('[42P01]');
      expect(r.lines.slice(-2)).toEqual(['TEST-1|Emil Engel, Julia Jensen', String(reference.length)]);
    });
  }
});
