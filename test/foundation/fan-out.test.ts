import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_API_CALLS } from '../../src/config/properties-other.ts';
import { clearSimCalls, simCalls, startStack, type TestStack } from '../helpers/gateway.ts';

/**
 * Issue 14, findings 5 and 8, over TCP against the simulator (scale small: 60 requests): what one
 * statement may cost the API, and key values that must never reach it as a path.
 */
let stack: TestStack;
let c: pg.Client;
let requestIds: string[];

const apiCalls = async () => (await simCalls(stack.sim)).filter((x) => x.path.startsWith('/rest/'));
const list = (values: readonly string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
const byKeys = (rows: Record<string, unknown>[], ...keys: string[]) =>
  [...rows].sort((a, b) => keys.map((k) => String(a[k]).localeCompare(String(b[k]))).find((d) => d !== 0) ?? 0);

async function errorOf(sql: string): Promise<pg.DatabaseError> {
  try {
    await c.query(sql);
  } catch (err) {
    return err as pg.DatabaseError;
  }
  throw new Error(`expected ${sql.slice(0, 80)}… to fail`);
}

beforeAll(async () => {
  stack = await startStack();
  c = new pg.Client(stack.url);
  await c.connect();
  // Every statement fetches afresh, so the simulator's log shows each one's own calls.
  await c.query("SET jsm.cache = 'bypass'");
  requestIds = (await c.query<{ requestid: string }>('SELECT requestid FROM Requests ORDER BY 1')).rows.map((r) => r.requestid);
});
afterAll(async () => {
  await c?.end();
  await stack?.close();
});
beforeEach(async () => clearSimCalls(stack.sim));

/** Half of the real IDs among made-up ones, `n` values in all. */
function idList(n: number): string[] {
  const real = requestIds.filter((_, i) => i % 2 === 0);
  return [...real, ...Array.from({ length: n - real.length }, (_, i) => String(900_000 + i))];
}

describe('API calls per statement (finding 5)', () => {
  it('an IN list of 5,000 RequestIds lists and filters instead of 5,000 gets, with the same rows as a full scan filtered in SQL', async () => {
    const ids = idList(5000);
    const got = await c.query(`SELECT * FROM Requests WHERE RequestId IN (${list(ids)})`);
    const calls = await apiCalls();
    expect(calls.length).toBeLessThanOrEqual(DEFAULT_MAX_API_CALLS);
    // one list of every request (60 fit in a page; paging may ask one page ahead), no get by key
    expect(calls.every((x) => x.path === '/rest/servicedeskapi/request')).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(2);

    // A materialized CTE keeps the IN out of the scan: every request is fetched, the engine filters.
    const reference = await c.query(`WITH r AS MATERIALIZED (SELECT * FROM Requests) SELECT * FROM r WHERE requestid IN (${list(ids)})`);
    expect(reference.rows).toHaveLength(requestIds.filter((_, i) => i % 2 === 0).length);
    expect(byKeys(got.rows, 'requestid')).toEqual(byKeys(reference.rows, 'requestid'));
  });

  it('a short IN list makes one get per value, or reads the listing once it is known to take fewer calls', async () => {
    const ids = requestIds.slice(0, 3);
    const got = await c.query(`SELECT requestid FROM Requests WHERE RequestId IN (${list(ids)})`);
    expect(got.rows.map((r) => r.requestid).sort()).toEqual([...ids].sort());
    // the tests above read every request: one page at this scale, fewer calls than 3 gets
    expect((await apiCalls()).map((x) => x.path)).toEqual(['/rest/servicedeskapi/request']);
    // a key the listing has not been read for (a desk never listed) stays one get per value
    await clearSimCalls(stack.sim);
    const desk3 = (await c.query("SELECT requestid FROM Requests WHERE RequestId IN (" + list(ids) + ") AND ServiceDeskId = '3'")).rows;
    expect(desk3.length).toBeLessThanOrEqual(3);
    expect((await apiCalls()).map((x) => x.path).sort()).toEqual(ids.map((id) => `/rest/servicedeskapi/request/${id}`).sort());
  });

  it('a child over 1,500 parent keys lists the parents and calls per parent instead of per value and per key lookup', async () => {
    const ids = idList(1500);
    const got = await c.query(`SELECT * FROM RequestComments WHERE RequestId IN (${list(ids)})`);
    const calls = await apiCalls();
    // the request list, then one comments call per existing request (60), where 3,000 were planned
    expect(calls.filter((x) => x.path === '/rest/servicedeskapi/request').length).toBeGreaterThan(0);
    expect(calls.filter((x) => /^\/rest\/servicedeskapi\/request\/[^/]+$/.test(x.path))).toEqual([]);
    expect(calls.length).toBeLessThanOrEqual(requestIds.length + 2);

    const reference = await c.query(`WITH rc AS MATERIALIZED (SELECT * FROM RequestComments) SELECT * FROM rc WHERE requestid IN (${list(ids)})`);
    expect(reference.rows.length).toBeGreaterThan(0);
    expect(byKeys(got.rows, 'requestid', 'id')).toEqual(byKeys(reference.rows, 'requestid', 'id'));
  });

  it('a statement with no plan within the cap is refused with 54000 before any call, and the session goes on', async () => {
    // Keys from a local table drive one comments call each; the API has no call for every request's comments.
    const n = DEFAULT_MAX_API_CALLS + 500;
    await c.query(`CREATE TEMP TABLE wanted AS SELECT (900000 + g)::text AS id FROM generate_series(1, ${n}) g`);
    const err = await errorOf('SELECT c.* FROM RequestComments c JOIN wanted w ON c.RequestId = w.id');
    expect(err.code).toBe('54000');
    expect(err.message).toBe(`statement needs ${n.toLocaleString('en-US')} JSM API calls; the limit is ${DEFAULT_MAX_API_CALLS.toLocaleString('en-US')} per statement`);
    expect(err.detail).toBe(`RequestComments takes ${n.toLocaleString('en-US')} calls as planned (one per key value or parent row), and the API has no call that lists them all.`);
    expect(err.hint).toContain(`SET jsm.max_api_calls = '${n}'`);
    expect(err.hint).toContain('MaxApiCallsPerStatement');
    expect(await apiCalls()).toEqual([]);

    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await c.query('DELETE FROM wanted WHERE id::int > 900005');
    const few = await c.query('SELECT c.id FROM RequestComments c JOIN wanted w ON c.RequestId = w.id');
    expect(few.rows).toEqual([]);
    expect((await apiCalls()).length).toBe(5);
    await c.query('DROP TABLE wanted');
  });
});

describe('key values that cannot be a path segment (finding 8)', () => {
  it('a "/" in a WHERE key value matches no row and never reaches the API', async () => {
    const [id] = requestIds;
    const got = await c.query(`SELECT requestid FROM Requests WHERE RequestId IN ('${id}/comment', '../${id}', '${id}')`);
    expect(got.rows).toEqual([{ requestid: id }]);
    const comments = await c.query(`SELECT id FROM RequestComments WHERE RequestId = '${id}/../${id}'`);
    expect(comments.rows).toEqual([]);
    const calls = await apiCalls();
    expect(calls.map((x) => x.path)).toEqual([`/rest/servicedeskapi/request/${id}`]);
  });

  it('a "/" in a key taken from another relation is refused with 22023, and the session goes on', async () => {
    const [id] = requestIds;
    await c.query(`CREATE TEMP TABLE keys AS SELECT * FROM (VALUES ('${id}/../${id}')) v(id)`);
    const err = await errorOf('SELECT c.id FROM RequestComments c JOIN keys k ON c.RequestId = k.id');
    expect(err.code).toBe('22023');
    expect(err.message).toBe(`invalid JSM identifier ${JSON.stringify(`${id}/../${id}`)}`);
    expect((await apiCalls()).filter((x) => x.path.includes('%2F') || x.path.includes('/../'))).toEqual([]);
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await c.query('DROP TABLE keys');
  });
});
