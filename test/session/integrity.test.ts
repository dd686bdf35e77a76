import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../clients/helpers/describe-tools.ts';
import { startSuiteEnv, type SuiteEnv } from '../correctness/suite.ts';

/**
 * Issue 9: statements sent together (one query string, a pipeline, PREPARE/EXECUTE, cursors) give
 * exactly what sending them one by one gives on a reference PostgreSQL holding the same data, and
 * reads the gateway cannot plan (function bodies, DO, REFRESH, triggers) fail with a clear error.
 */

type Result = { rows: unknown[][]; command: string }[] | { error: string };

/** Every result of a query string, rows as arrays of text, or its error's SQLSTATE. */
async function results(c: pg.Client, sql: string): Promise<Result> {
  try {
    const r = await c.query({ text: sql, rowMode: 'array' } as never);
    const list = (Array.isArray(r) ? r : [r]) as unknown as pg.QueryArrayResult[];
    return list.map((x) => ({ command: x.command, rows: [...x.rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) }));
  } catch (e) {
    return { error: (e as { code?: string }).code ?? String(e) };
  }
}

/** Same text on both sides; `after` runs as a separate query string once the first is done. */
const SAME: { name: string; sql: string; after?: string }[] = [
  { name: 'temp view then a read of it', sql: "CREATE TEMP VIEW tv AS SELECT * FROM Customers WHERE ServiceDeskId='2'; SELECT count(*) FROM tv" },
  { name: 'temp table then INSERT … SELECT', sql: "CREATE TEMP TABLE t1(k text); INSERT INTO t1 SELECT RequestKey FROM Requests WHERE ServiceDeskId='1'; SELECT count(*), min(k), max(k) FROM t1" },
  { name: 'PREPARE then EXECUTE', sql: "PREPARE p1 AS SELECT count(*) FROM Requests WHERE ServiceDeskId=$1; EXECUTE p1('1'); EXECUTE p1('2')" },
  { name: 'CREATE TABLE AS then read', sql: "CREATE TEMP TABLE t2 AS SELECT requestid, requestkey FROM Requests WHERE ServiceDeskId='2'; SELECT count(*) FROM t2" },
  { name: 'materialized view then read', sql: "CREATE MATERIALIZED VIEW mv1 AS SELECT requestid FROM Requests WHERE ServiceDeskId='1'; SELECT count(*) FROM mv1" },
  { name: 'plain view joined with a child', sql: "CREATE VIEW v1 AS SELECT requestid, requestkey FROM Requests WHERE ServiceDeskId='1'; SELECT count(*) FROM v1 JOIN RequestComments c USING (requestid)" },
  { name: 'two reads of one relation with other filters', sql: "SELECT count(*) FROM Requests WHERE ServiceDeskId='1'; SELECT count(*) FROM Requests WHERE ServiceDeskId='2'; SELECT count(*) FROM Requests" },
  { name: 'a CTE after a statement', sql: "SELECT 1; WITH r AS (SELECT * FROM Requests WHERE ServiceDeskId='3') SELECT count(*) FROM r" },
  { name: 'UNION of two filtered reads', sql: "SELECT count(*) FROM (SELECT requestid FROM Requests WHERE ServiceDeskId='1' UNION ALL SELECT requestid FROM Requests WHERE ServiceDeskId='2') s" },
  { name: 'a setting then a read', sql: "SET extra_float_digits = 1; SELECT count(*) FROM ServiceDesks" },
  { name: 'a table then a join of it with a JSM relation', sql: "CREATE TEMP TABLE keys1(k text); INSERT INTO keys1 VALUES ('TEST-1'), ('TEST-2'); SELECT k, count(c.id) FROM keys1 JOIN Requests r ON r.requestkey = k LEFT JOIN RequestComments c ON c.requestid = r.requestid GROUP BY k" },
  { name: 'an error skips the rest and rolls the string back', sql: 'CREATE TEMP TABLE t3(a int); SELECT 1/0; SELECT 1', after: "SELECT count(*) FROM pg_class WHERE relname = 't3'" },
  { name: 'an error in a read rolls back an earlier write', sql: "CREATE TEMP TABLE t4(k text); INSERT INTO t4 SELECT requestkey FROM Requests WHERE ServiceDeskId='1'; SELECT nope FROM Requests", after: "SELECT count(*) FROM pg_class WHERE relname = 't4'" },
  { name: 'explicit transaction inside the string', sql: "BEGIN; CREATE TEMP TABLE t5 AS SELECT requestkey FROM Requests WHERE ServiceDeskId='2'; COMMIT; SELECT count(*) FROM t5" },
  { name: 'a cursor declared, another read, then fetched', sql: "BEGIN; DECLARE c1 CURSOR FOR SELECT requestkey FROM Requests WHERE ServiceDeskId='1' ORDER BY requestkey; SELECT count(*) FROM Requests WHERE ServiceDeskId='2'; FETCH 5 FROM c1; FETCH ALL FROM c1; COMMIT" },
  { name: 'a WITH HOLD cursor fetched after its transaction', sql: "BEGIN; DECLARE c2 CURSOR WITH HOLD FOR SELECT requestkey FROM Requests WHERE ServiceDeskId='2' ORDER BY 1; SELECT count(*) FROM Organizations; COMMIT", after: 'FETCH ALL FROM c2; CLOSE c2' },
  { name: 'a SQL function that takes rows as arguments', sql: "CREATE FUNCTION pass1(text) RETURNS text LANGUAGE sql AS 'SELECT upper($1)'; SELECT pass1(requestkey) FROM Requests WHERE ServiceDeskId='3'" },
  { name: 'a subquery after DDL', sql: "CREATE TEMP TABLE t6 AS SELECT 1 AS a; SELECT count(*) FROM (SELECT * FROM Requests WHERE ServiceDeskId='1') s, t6" },
  { name: 'COPY (SELECT …) TO STDOUT after a statement', sql: "SELECT 1; COPY (SELECT count(*) FROM Requests WHERE ServiceDeskId='1') TO STDOUT" },
  { name: 'rows of one statement are not another statement\'s', sql: "SELECT count(*) FROM Requests WHERE ServiceDeskId='1'; SELECT count(*) FROM Requests WHERE ServiceDeskId IN ('1', '2', '3')" },
];

/** Reads the gateway cannot plan: the documented error (0A000, naming the relation). */
const UNPLANNABLE: { name: string; setup?: string; sql: string }[] = [
  { name: 'DO block', sql: 'DO $$ BEGIN PERFORM count(*) FROM Requests; END $$' },
  { name: 'SQL function body', setup: "CREATE FUNCTION nreq() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM Requests'", sql: 'SELECT nreq()' },
  { name: 'PL/pgSQL function body', setup: 'CREATE FUNCTION nreq2() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT count(*) FROM Requests); END $$', sql: 'SELECT nreq2()' },
  { name: 'dynamic SQL', setup: "CREATE FUNCTION dyn(t text) RETURNS bigint LANGUAGE plpgsql AS $$ DECLARE n bigint; BEGIN EXECUTE 'SELECT count(*) FROM ' || t INTO n; RETURN n; END $$", sql: "SELECT dyn('requests')" },
  { name: 'function body after a read of the same relation', setup: "CREATE FUNCTION nreq3() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM Requests'", sql: "SELECT count(*) FROM Requests WHERE ServiceDeskId='1'; SELECT nreq3()" },
  { name: 'set-returning SQL function', setup: "CREATE FUNCTION desk1() RETURNS SETOF jsm.requests LANGUAGE sql STABLE AS 'SELECT * FROM jsm.requests WHERE servicedeskid = ''1'''", sql: 'SELECT count(*) FROM desk1()' },
  { name: 'REFRESH MATERIALIZED VIEW', setup: "CREATE MATERIALIZED VIEW mv2 AS SELECT requestid FROM Requests WHERE ServiceDeskId='1'", sql: 'REFRESH MATERIALIZED VIEW mv2' },
  { name: 'a trigger reading JSM', setup: "CREATE TEMP TABLE trg(a int); CREATE FUNCTION trg_f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM count(*) FROM Requests; RETURN NEW; END $$; CREATE TRIGGER trg_t BEFORE INSERT ON trg FOR EACH ROW EXECUTE FUNCTION trg_f()", sql: 'INSERT INTO trg VALUES (1)' },
];

describeWithTools(['postgres'], 'statements sent together read complete rows (issue 9)', () => {
  let env: SuiteEnv;
  // one session each, reused: every case names its own objects, and a session that survives each case is part of the point
  let gw: pg.Client;
  let ref: pg.Client;

  beforeAll(async () => {
    env = await startSuiteEnv('small');
    [gw, ref] = await Promise.all([env.gatewayClient(), env.referenceClient()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gw?.end(), ref?.end()]);
    await env?.close();
  });

  for (const c of SAME)
    it(`${c.name}: same results as the reference`, async () => {
      const [a, b] = await Promise.all([results(gw, c.sql), results(ref, c.sql)]);
      expect(a).toEqual(b);
      if (c.after) expect(await results(gw, c.after)).toEqual(await results(ref, c.after));
      expect((await gw.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
    });

  for (const c of UNPLANNABLE)
    it(`${c.name}: a clear error, never stale or empty rows`, async () => {
      if (c.setup) await gw.query(c.setup);
      const err = await gw.query(c.sql).then(() => undefined, (e: pg.DatabaseError) => e);
      expect(err?.code).toBe('0A000');
      expect(err?.message).toMatch(/JSM relation "requests" cannot be read here/);
      expect(err?.hint).toMatch(/Read the relation in the statement itself/);
      expect((await gw.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
    });

  it('EXPLAIN in JSON, XML or YAML stays one valid value (the API calls are added to text plans only)', async () => {
    const c = new pg.Client(env.stack.url);
    await c.connect();
    try {
      const json = await c.query("EXPLAIN (FORMAT JSON) SELECT * FROM ServiceDesks WHERE Id = '2'");
      expect(json.rows).toHaveLength(1);
      expect(json.rows[0]['QUERY PLAN'][0].Plan).toBeDefined();
      for (const format of ['XML', 'YAML']) expect((await c.query(`EXPLAIN (FORMAT ${format}) SELECT * FROM ServiceDesks`)).rows).toHaveLength(1);
      const text = await c.query("EXPLAIN SELECT * FROM ServiceDesks WHERE Id = '2'");
      expect(text.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('JSM API calls:');
    } finally {
      await c.end();
    }
  });

  it('postgres.js: a pipeline that creates a view and reads it gives the rows sent one by one would', async () => {
    const sql = postgres(env.stack.url, { max: 1 });
    try {
      const [, rows] = await Promise.all([
        sql.unsafe("CREATE TEMP VIEW pv AS SELECT * FROM Requests WHERE ServiceDeskId = '2'"),
        sql.unsafe('SELECT count(*)::int AS n FROM pv'),
      ]);
      const expected = await ref.query("SELECT count(*)::int AS n FROM Requests WHERE ServiceDeskId = '2'");
      expect(rows[0]!.n).toBe(Number(expected.rows[0].n));
    } finally {
      await sql.end();
    }
  });

  it('extended protocol: a batch of Parse/Bind/Execute before one Sync plans each statement when it runs', async () => {
    {
      // pg sends Parse/Bind/Describe/Execute for each and a Sync only once all are queued when the client pipelines them
      const run = (c: pg.Client) => Promise.all([
        c.query({ text: 'CREATE TEMP TABLE eb(k text)', values: [] }),
        c.query({ text: 'INSERT INTO eb SELECT requestkey FROM Requests WHERE servicedeskid = $1', values: ['1'] }),
        c.query({ text: 'SELECT count(*) AS n FROM eb', values: [] }),
      ]);
      const [a, b] = await Promise.all([run(gw), run(ref)]);
      expect(a[2].rows[0].n).toBe(String(b[2].rows[0].n));
    }
  });
});
