import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

/*
 * Statements that run inside the engine (issue 10): PGlite has no timer signals, so neither a
 * CancelRequest nor statement_timeout reaches a running statement. The gateway stops it by ending
 * the engine's thread and goes on with a fresh engine; the client gets 57014, its prepared
 * statements still work and an open transaction block is failed as PostgreSQL leaves it.
 */

/** CPU-bound, no temporary files: runs for minutes unless stopped. */
const HEAVY = 'SELECT sum(x) FROM (SELECT generate_series(1, 2000000000) AS x) s';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ argv: ['--pool-size', '2'] });
});
afterAll(async () => {
  await stack?.close();
});

async function client(): Promise<pg.Client> {
  const c = new pg.Client(stack.url);
  await c.connect();
  return c;
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: { code?: string; message?: string; detail?: string }) => e);

describe('statement_timeout stops a statement running in the engine', () => {
  it('57014 with the timeout message; the session goes on and its prepared statement still runs', async () => {
    const c = await client();
    try {
      const named = { name: 'desks', text: 'SELECT count(*)::int AS n FROM servicedesks WHERE id <> $1', values: ['0'] };
      const before = (await c.query(named)).rows[0].n as number;
      expect(before).toBeGreaterThan(0);
      await c.query('PREPARE desk_count AS SELECT count(*)::int AS n FROM servicedesks');
      await c.query('PREPARE gone AS SELECT 1');
      await c.query('DEALLOCATE gone');
      await c.query("SET statement_timeout = '300ms'");
      const err = await failure(c.query(HEAVY));
      expect(err?.code).toBe('57014');
      expect(err?.message).toBe('canceling statement due to statement timeout');
      expect(err?.detail).toMatch(/prepared statements are kept/);
      // node-postgres sends only Bind/Execute for a statement it prepared on this connection
      expect((await c.query(named)).rows[0].n).toBe(before);
      // and so do SQL-level PREPAREs, except those deallocated
      expect((await c.query('EXECUTE desk_count')).rows[0].n).toBe(before);
      expect((await failure(c.query('EXECUTE gone')))?.code).toBe('26000');
      // the engine was replaced: SET settings of the session are gone, the client role is kept
      expect((await c.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('0');
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe('jsm_client');
      // JSM reads still work on the new engine
      expect((await c.query('SELECT count(*)::int AS n FROM servicedesks')).rows[0].n).toBe(before);
    } finally {
      await c.end();
    }
  });

  it('inside a transaction block the block is failed (25P02) until ROLLBACK, as after a cancel in PostgreSQL', async () => {
    const c = await client();
    try {
      await c.query('BEGIN');
      await c.query("SET LOCAL statement_timeout = '300ms'");
      expect((await failure(c.query(HEAVY)))?.code).toBe('57014');
      expect((await failure(c.query('SELECT 1')))?.code).toBe('25P02');
      await c.query('ROLLBACK');
      expect((await c.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await c.end();
    }
  });

  it('the timeout set through the startup options stays in force on the new engine', async () => {
    const c = new pg.Client({ connectionString: stack.url, options: '-c statement_timeout=300' });
    await c.connect();
    try {
      expect((await failure(c.query(HEAVY)))?.code).toBe('57014');
      expect((await c.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('300ms');
      expect((await failure(c.query(HEAVY)))?.code).toBe('57014');
    } finally {
      await c.end();
    }
  });
});

describe('statement_timeout over the extended protocol (postgres.js prepares every statement)', () => {
  it('SET then a CPU-bound statement: 57014, and the same prepared statement runs again afterwards', async () => {
    const sql = postgres(stack.url, { max: 1, onnotice: () => undefined });
    try {
      await sql`SET statement_timeout = '300ms'`;
      const heavy = () => sql`SELECT sum(x) FROM (SELECT generate_series(1, ${2_000_000_000}::bigint) AS x) s`;
      const err = await failure(heavy());
      expect(err?.code).toBe('57014');
      expect(err?.message).toBe('canceling statement due to statement timeout');
      const [row] = await sql`SELECT count(*)::int AS n FROM servicedesks WHERE id <> ${'0'}`;
      expect(row!.n).toBeGreaterThan(0);
      await sql`SET statement_timeout = '300ms'`;
      expect((await failure(heavy()))?.code).toBe('57014');
    } finally {
      await sql.end();
    }
  });
});

describe('a cancel request stops a statement running in the engine', () => {
  it('57014 user request; what the statement string created went with the engine, the session answers', async () => {
    const c = await client();
    try {
      await c.query('CREATE TEMP TABLE t (a int)');
      const running = failure(c.query(`INSERT INTO t VALUES (1); ${HEAVY}`));
      // the cancel must arrive while the statement runs; repeat until the query has ended
      let err: { code?: string; message?: string } | undefined;
      for (let i = 0; i < 100 && !err; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await cancel(c);
        err = await Promise.race([running, new Promise<undefined>((r) => setTimeout(() => r(undefined), 200))]);
      }
      expect(err?.code).toBe('57014');
      expect(err?.message).toBe('canceling statement due to user request');
      // the temp table went with the engine; the session answers
      expect((await failure(c.query('SELECT * FROM t')))?.code).toBe('42P01');
      expect((await c.query('SELECT 2 AS two')).rows[0].two).toBe(2);
    } finally {
      await c.end();
    }
  });
});

describe('a heavy statement does not hold other sessions', () => {
  it('19 sessions run mixed statements to the end while one session runs a CPU-bound statement', async () => {
    const heavy = await client();
    await heavy.query("SET statement_timeout = '10min'");
    let heavyDone = false;
    const heavyRun = failure(heavy.query(HEAVY)).finally(() => (heavyDone = true));
    // wait until it runs in its engine
    await new Promise((r) => setTimeout(r, 300));
    const mixed = [
      'SELECT 1',
      'SELECT count(*) FROM servicedesks',
      "SELECT requestid, summary FROM requests WHERE servicedeskid = '1' LIMIT 5",
      "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'jsm' ORDER BY 1",
      'SELECT table_name FROM information_schema.tables WHERE table_schema = \'jsm\' ORDER BY 1',
      'SELECT * FROM sys_tables ORDER BY 1, 2',
    ];
    const others = await Promise.all(Array.from({ length: 19 }, () => client()));
    try {
      const results = await Promise.all(others.map(async (c, i) => {
        let done = 0;
        for (let k = 0; k < 12; k++) {
          await c.query(mixed[(i + k) % mixed.length]!);
          done++;
        }
        return done;
      }));
      expect(results).toEqual(Array(19).fill(12));
      // every one of the 228 statements finished while the heavy one was still running
      expect(heavyDone).toBe(false);
    } finally {
      await Promise.all(others.map((c) => c.end()));
      await cancel(heavy);
      const err = await heavyRun;
      expect(err).toMatchObject({ code: '57014' });
      await heavy.end();
    }
  }, 120_000);
});

/** A CancelRequest for `c`'s session, sent on its own connection as libpq sends it (node-postgres has no cancel API). */
async function cancel(c: pg.Client): Promise<void> {
  const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
  const { createConnection } = await import('node:net');
  const u = new URL(stack.url);
  await new Promise<void>((resolve, reject) => {
    const s = createConnection({ host: u.hostname, port: Number(u.port) }, () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16, 0);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(processID, 8);
      b.writeInt32BE(secretKey, 12);
      s.end(b);
    });
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}
