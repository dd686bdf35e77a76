import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls, startStack, type TestStack } from '../helpers/gateway.ts';

const REQUESTS = '/rest/servicedeskapi/request';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

/** Runs `fn` and returns the PostgreSQL error code it rejected with. */
async function sqlState(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  throw new Error('expected an error');
}

describe('node-postgres (pg)', () => {
  let c: pg.Client;
  beforeAll(async () => {
    c = new pg.Client({ connectionString: stack.url, application_name: 'jsm-pg node-postgres test' });
    await c.connect();
  });
  afterAll(async () => c?.end());

  it('simple query: several statements in one string, the last result per statement', async () => {
    const res = (await c.query("SELECT count(*)::int AS n FROM servicedesks; SELECT requestid FROM requests WHERE servicedeskid = '1' ORDER BY requestid LIMIT 2")) as unknown as pg.QueryResult[];
    expect(res).toHaveLength(2);
    expect(res[0]!.rows[0].n).toBe(3);
    expect(res[1]!.rows).toHaveLength(2);
  });

  it('extended query: parameters reach the API as filters, and typed values come back', async () => {
    await clearSimCalls(stack.sim);
    const r = await c.query('SELECT requestid, servicedeskid, createddate, currentstatuscategory = $2 AS done FROM requests WHERE servicedeskid = $1 ORDER BY requestid', ['2', 'DONE']);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.rows.every((x) => x.servicedeskid === '2')).toBe(true);
    expect(r.rows[0].createddate).toBeInstanceOf(Date);
    expect(typeof r.rows[0].done).toBe('boolean');
    const calls = await simCalls(stack.sim);
    expect(calls.filter((x) => x.path === REQUESTS).every((x) => x.query.serviceDeskId === '2')).toBe(true);
  });

  it('a named prepared statement run repeatedly with different values', async () => {
    const counts: number[] = [];
    for (const desk of ['1', '2', '3', '1']) {
      const r = await c.query({ name: 'by-desk', text: 'SELECT count(*)::int AS n FROM requests WHERE servicedeskid = $1', values: [desk] });
      counts.push(r.rows[0].n);
    }
    expect(counts[0]).toBe(counts[3]);
    expect(counts.slice(0, 3).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('queued queries on one client (sent before the earlier ones answer) all complete in order', async () => {
    const results = await Promise.all([
      c.query('SELECT 1 AS x'),
      c.query("SELECT count(*)::int AS n FROM requests WHERE servicedeskid = '3'"),
      c.query('SELECT $1::text AS echo', ['hello']),
      c.query('SELECT id FROM servicedesks ORDER BY id'),
    ]);
    expect(results[0]!.rows[0].x).toBe(1);
    expect(results[1]!.rows[0].n).toBeGreaterThan(0);
    expect(results[2]!.rows[0].echo).toBe('hello');
    expect(results[3]!.rows.map((r) => r.id)).toEqual(['1', '2', '3']);
  });

  it('errors carry their SQLSTATE and the session goes on', async () => {
    expect(await sqlState(() => c.query('SELEC 1'))).toBe('42601');
    expect(await sqlState(() => c.query('SELECT * FROM nosuchtable'))).toBe('42P01');
    expect(await sqlState(() => c.query('SELECT nosuchcolumn FROM requests WHERE servicedeskid = $1', ['1']))).toBe('42703');
    expect(await sqlState(() => c.query('SELECT * FROM nosuchtable WHERE x = $1', ['1']))).toBe('42P01');
    const r = await c.query("SELECT count(*)::int AS n FROM requests WHERE servicedeskid = '1'");
    expect(r.rows[0].n).toBeGreaterThan(0);
  });

  it('an error inside a transaction: 25P02 until ROLLBACK, then normal again', async () => {
    await c.query('BEGIN');
    await c.query("SELECT count(*) FROM requests WHERE servicedeskid = '1'");
    expect(await sqlState(() => c.query('SELECT 1/0'))).toBe('22012');
    expect(await sqlState(() => c.query('SELECT count(*) FROM servicedesks'))).toBe('25P02');
    await c.query('ROLLBACK');
    const r = await c.query('SELECT count(*)::int AS n FROM servicedesks');
    expect(r.rows[0].n).toBe(3);
  });

  it('a pool of clients answering at once', async () => {
    const pool = new pg.Pool({ connectionString: stack.url, max: 3 });
    try {
      const answers = await Promise.all(['1', '2', '3', '1', '2', '3'].map((d) => pool.query('SELECT count(*)::int AS n FROM requests WHERE servicedeskid = $1', [d])));
      expect(answers.reduce((s, r, i) => (i < 3 ? s + r.rows[0].n : s), 0)).toBe(60);
    } finally {
      await pool.end();
    }
  });
});

describe('postgres.js', () => {
  let sql: postgres.Sql;
  beforeAll(() => {
    // one connection: concurrent queries are pipelined on it
    sql = postgres(stack.url, { max: 1, onnotice: () => undefined, connection: { application_name: 'jsm-pg postgres.js test' } });
  });
  afterAll(async () => sql?.end({ timeout: 5 }));

  it('simple protocol: a multi-statement string', async () => {
    const res = await sql.unsafe("SELECT count(*)::int AS n FROM servicedesks; SELECT 'two' AS t").simple();
    const [first, second] = res as unknown as { n?: number; t?: string }[][];
    expect(first![0]!.n).toBe(3);
    expect(second![0]!.t).toBe('two');
  });

  it('extended protocol with parameters and prepared statements', async () => {
    for (let i = 0; i < 3; i++) {
      const rows = await sql`SELECT requestid, createddate, servicedeskid FROM requests WHERE servicedeskid = ${'1'} ORDER BY requestid`;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.servicedeskid === '1')).toBe(true);
      expect(rows[0]!.createddate).toBeInstanceOf(Date);
    }
  });

  it('pipelined queries on one connection, JSM reads among them', async () => {
    await clearSimCalls(stack.sim);
    const [a, b, c, d, e] = await Promise.all([
      sql`SELECT count(*)::int AS n FROM requests WHERE servicedeskid = ${'2'}`,
      sql`SELECT ${42}::int AS answer`,
      sql`SELECT id, projectname FROM servicedesks WHERE id = ${'3'}`,
      sql`SELECT count(*)::int AS n FROM requests WHERE servicedeskid = ${'3'}`,
      sql`SELECT requestid FROM requests WHERE requestid = ${'10001'}`,
    ]);
    expect(a[0]!.n).toBeGreaterThan(0);
    expect(b[0]!.answer).toBe(42);
    expect(c[0]!.id).toBe('3');
    expect(d[0]!.n).toBeGreaterThan(0);
    expect(e.map((r) => r.requestid)).toEqual(['10001']);
  });

  it('a cursor reads in batches (Execute with a row limit, portal suspended between)', async () => {
    const seen: string[] = [];
    let batches = 0;
    await sql.begin(async (tx) => {
      await tx`SELECT requestid FROM requests ORDER BY createddate`.cursor(7, (rows) => {
        batches++;
        for (const r of rows) seen.push(r.requestid as string);
      });
    });
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(batches).toBe(9);
  });

  it('errors in a pipeline fail only their own query; the connection goes on', async () => {
    const results = await Promise.allSettled([
      sql`SELECT 1 AS ok`,
      sql.unsafe('SELEC 1'),
      sql`SELECT * FROM nosuchtable`,
      sql`SELECT count(*)::int AS n FROM servicedesks`,
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('42601');
    expect((results[2] as PromiseRejectedResult).reason.code).toBe('42P01');
    const after = await sql`SELECT count(*)::int AS n FROM requests WHERE servicedeskid = ${'1'}`;
    expect(after[0]!.n).toBeGreaterThan(0);
  });

  it('a transaction rolled back by an error, then a good one', async () => {
    await expect(sql.begin(async (tx) => {
      await tx`SELECT count(*) FROM requests`;
      await tx`SELECT 1/0`;
    })).rejects.toMatchObject({ code: '22012' });
    const n = await sql.begin(async (tx) => (await tx`SELECT count(*)::int AS n FROM requests`)[0]!.n as number);
    expect(n).toBe(60);
  });
});

describe('two clients reading the same thing at once (one in-flight fetch, shared)', () => {
  const LATENCY_MS = 1_500;
  let a: postgres.Sql;
  let b: postgres.Sql;
  beforeAll(async () => {
    a = postgres(stack.url, { max: 1, onnotice: () => undefined });
    b = postgres(stack.url, { max: 1, onnotice: () => undefined });
    // sessions open before the API turns slow; earlier tests cached every desk, so read past the cache
    await Promise.all([a`SET jsm.cache = 'bypass'`, b`SET jsm.cache = 'bypass'`]);
    stack.sim.setFaults({ latencyMs: LATENCY_MS });
  });
  afterAll(async () => {
    stack.sim.setFaults({ latencyMs: 0 });
    await Promise.all([a?.end({ timeout: 5 }), b?.end({ timeout: 5 })]);
  });

  // execute(): a postgres.js query is otherwise sent only once awaited
  const desk = (sql: postgres.Sql, id: string) => sql`SELECT count(*)::int AS n FROM requests WHERE servicedeskid = ${id}`.execute();

  it('cancelling the client that started the fetch does not fail the other one', async () => {
    await clearSimCalls(stack.sim);
    const first = desk(a, '2');
    const firstDone = first.then(() => 'done', (e: { code?: string }) => e.code);
    await new Promise((r) => setTimeout(r, 200));
    const second = desk(b, '2');
    await new Promise((r) => setTimeout(r, 200));
    await first.cancel();
    expect(await firstDone).toBe('57014');
    const rows = await second;
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect((await simCalls(stack.sim)).filter((c) => c.query.serviceDeskId === '2')).toHaveLength(1);
  });

  it('cancelling the client that joined the fetch answers it at once and leaves the first to finish', async () => {
    await clearSimCalls(stack.sim);
    const first = desk(a, '3');
    let firstSettled = false;
    first.then(() => (firstSettled = true), () => (firstSettled = true));
    await new Promise((r) => setTimeout(r, 200));
    const second = desk(b, '3');
    const secondDone = second.then(() => 'done', (e: { code?: string }) => e.code);
    await new Promise((r) => setTimeout(r, 200));
    await second.cancel();
    expect(await secondDone).toBe('57014');
    // "At once": the cancel was answered while the one shared API call was still out (the
    // simulator had not replied to it, status 0) and the first client was still waiting on it.
    const shared = (await simCalls(stack.sim)).filter((c) => c.query.serviceDeskId === '3');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.status).toBe(0);
    expect(firstSettled).toBe(false);
    expect((await first)[0]!.n).toBeGreaterThan(0);
    expect((await simCalls(stack.sim)).filter((c) => c.query.serviceDeskId === '3').map((c) => c.status)).toEqual([200]);
  });
});
