/**
 * Issue 13 item 4: habits of the seed's users that cost little. A number compared with a text ID
 * column works like the quoted ID (and is pushed to the API the same way); SELECT TOP n and
 * [bracketed] names are rewritten, or refused with a hint that gives the PostgreSQL form.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls } from '../helpers/gateway.ts';
import { useStackAndClient } from '../helpers/stack-client.ts';

const t = useStackAndClient({}, ["SET jsm.cache = 'bypass'"]);

const plan = async (sql: string) => (await t.client.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');

async function callsOf(sql: string, values?: unknown[]) {
  await clearSimCalls(t.stack.sim);
  const rows = (await t.client.query(sql, values)).rows;
  return { rows, calls: (await simCalls(t.stack.sim)).map((x) => `${x.method} ${x.path} ${JSON.stringify(x.query)}`).sort() };
}

describe('a number against a text ID column', () => {
  it('RequestId = 10001 reads what RequestId = \'10001\' reads, with the same API calls', async () => {
    const id = (await t.client.query('SELECT RequestId FROM Requests ORDER BY RequestId LIMIT 1')).rows[0].requestid as string;
    expect(id).toMatch(/^\d+$/);
    const quoted = await callsOf(`SELECT RequestKey, Summary FROM Requests WHERE RequestId = '${id}'`);
    const number = await callsOf(`SELECT RequestKey, Summary FROM Requests WHERE RequestId = ${id}`);
    expect(number.rows).toHaveLength(1);
    expect(number.rows).toEqual(quoted.rows);
    expect(number.calls).toEqual(quoted.calls);
    expect(await plan(`SELECT * FROM Requests WHERE RequestId = ${id}`)).toContain(`Pushed: requestid = '${id}'`);
    // the other way round, <>, IN, and a parameter a driver types as an integer (pgjdbc setInt)
    expect((await t.client.query(`SELECT count(*)::int AS n FROM Requests WHERE ${id} = RequestId`)).rows[0].n).toBe(1);
    // IN with numbers is an OR of equalities to the engine: pushed as the quoted IN is (one get per ID)
    const inQuoted = await callsOf(`SELECT RequestKey FROM Requests WHERE RequestId IN ('${id}', '99999999')`);
    const inNumbers = await callsOf(`SELECT RequestKey FROM Requests WHERE RequestId IN (${id}, 99999999)`);
    expect(inNumbers.rows).toHaveLength(1);
    expect(inNumbers.calls).toEqual(inQuoted.calls);
    // the same API side in EXPLAIN (one get per ID, or the listing when it is known to take fewer calls)
    const apiSide = (p: string) => p.slice(p.indexOf('JSM API calls:')).split('\n').filter((l) => !l.includes('Left to the engine')).join('\n');
    const inPlan = await plan(`SELECT * FROM Requests WHERE RequestId IN (${id}, 99999999)`);
    expect(apiSide(inPlan)).toBe(apiSide(await plan(`SELECT * FROM Requests WHERE RequestId IN ('${id}', '99999999')`)));
    expect(inPlan).toMatch(new RegExp(`Pushed: requestid IN \\('${id}', '99999999'\\)|Chosen: listed and filtered`));
    const all = (await t.client.query('SELECT count(*)::int AS n FROM Requests')).rows[0].n as number;
    expect((await t.client.query(`SELECT count(*)::int AS n FROM Requests WHERE RequestId <> ${id}`)).rows[0].n).toBe(all - 1);
    expect((await t.client.query('SELECT count(*)::int AS n FROM Requests WHERE RequestId = $1::int4', [Number(id)])).rows[0].n).toBe(1);
    const comments = await t.client.query(`SELECT count(*)::int AS n FROM RequestComments WHERE RequestId = ${id}`);
    expect(comments.rows[0].n).toBe((await t.client.query(`SELECT count(*)::int AS n FROM RequestComments WHERE RequestId = '${id}'`)).rows[0].n);
  });

  it('changes nothing PostgreSQL already resolves: an untyped literal against a number still compares numbers', async () => {
    expect((await t.client.query("SELECT '05' = 5 AS a, 5 = '05' AS b, 'a' = 'a' AS c")).rows[0]).toEqual({ a: true, b: true, c: true });
    const err = await t.client.query("SELECT 1 FROM Requests WHERE RequestId = 1.5").catch((e: pg.DatabaseError) => e);
    expect((err as pg.DatabaseError).code).toBe('42883'); // a decimal is no ID: still PostgreSQL's error
  });
});

describe('SELECT TOP n', () => {
  it('is LIMIT n', async () => {
    const top = await t.client.query('SELECT TOP 3 RequestKey FROM Requests ORDER BY RequestKey');
    const limit = await t.client.query('SELECT RequestKey FROM Requests ORDER BY RequestKey LIMIT 3');
    expect(top.rows).toHaveLength(3);
    expect(top.rows).toEqual(limit.rows);
    expect((await t.client.query('SELECT count(*)::int AS n FROM (SELECT TOP (2) * FROM ServiceDesks) s')).rows[0].n).toBe(2);
  });

  it('where LIMIT would not mean the same, an error whose hint gives the PostgreSQL form', async () => {
    const err = (await t.client.query('SELECT TOP 10 PERCENT * FROM Requests').catch((e: pg.DatabaseError) => e)) as pg.DatabaseError;
    expect(err.code).toBe('42601');
    expect(err.hint).toMatch(/LIMIT n/);
    expect((await t.client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]); // the session goes on
  });
});

describe('[bracketed] identifiers', () => {
  it('name relations and columns as unquoted names do', async () => {
    const r = await t.client.query("SELECT [RequestKey], r.[Summary] FROM [Requests] r WHERE [ServiceDeskId] = '1' ORDER BY 1 LIMIT 2");
    const p = await t.client.query("SELECT RequestKey, r.Summary FROM Requests r WHERE ServiceDeskId = '1' ORDER BY 1 LIMIT 2");
    expect(r.rows).toEqual(p.rows);
    expect(r.rows.length).toBeGreaterThan(0);
    // PostgreSQL's own brackets are untouched
    expect((await t.client.query('SELECT (ARRAY[1,2,3])[2] AS x')).rows).toEqual([{ x: 2 }]);
  });
});
