import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { PgError, SqlState } from '../../src/errors/index.ts';
import { MAX_CONSTANT_NESTING, MAX_PLPGSQL_BLOCK_NESTING, MAX_QUERY_NESTING, queryNesting, refusal } from '../../src/session/refusals.ts';

beforeAll(async () => {
  await loadModule();
});

/** The refusal of the first statement of `sql` that has one, as Postgres's grammar parses it. */
function refused(sql: string): PgError | undefined {
  for (const s of parseSync(sql).stmts ?? []) {
    const kind = Object.keys(s.stmt)[0]!;
    const err = refusal(kind, s.stmt[kind]);
    if (err) return err;
  }
  return undefined;
}

function nestingOf(sql: string): number {
  const s = parseSync(sql).stmts[0]!.stmt;
  const kind = Object.keys(s)[0]!;
  return queryNesting(kind, s[kind]);
}

const nested = (n: number) => 'SELECT ' + '(SELECT '.repeat(n) + '1' + ')'.repeat(n);
const derived = (n: number) => 'SELECT * FROM ' + '(SELECT * FROM '.repeat(n) + 'jsm.requests' + ') s'.repeat(n);
const cteChain = (n: number) =>
  'WITH ' + Array.from({ length: n }, (_, i) => `c${i} AS (SELECT ${i === 0 ? '1 AS x' : `x FROM c${i - 1}`})`).join(', ') + ` SELECT * FROM c${n - 1}`;

describe('COPY with a program or a server file', () => {
  it.each([
    ["COPY (SELECT 1) TO PROGRAM 'id'", 'permission denied to COPY to or from an external program'],
    ["COPY requests FROM PROGRAM 'curl http://x' WITH (FORMAT csv)", 'permission denied to COPY to or from an external program'],
    ["COPY requests TO '/tmp/requests.csv'", 'permission denied to COPY to a file'],
    ["COPY (SELECT * FROM requests) TO '/tmp/r.csv' WITH (FORMAT csv, HEADER)", 'permission denied to COPY to a file'],
    ["COPY requests FROM '/etc/passwd'", 'permission denied to COPY from a file'],
  ])('%s is refused with 42501, as Postgres refuses a role without the server-file roles', (sql, message) => {
    const err = refused(sql);
    expect(err).toBeInstanceOf(PgError);
    expect(err!.code).toBe(SqlState.InsufficientPrivilege);
    expect(err!.message).toBe(message);
    expect(err!.fields.hint).toMatch(/COPY to stdout or from stdin.*\\copy/);
  });

  it.each([
    'COPY requests TO STDOUT',
    'COPY (SELECT * FROM requests) TO STDOUT WITH (FORMAT csv, HEADER)',
    'COPY requests FROM STDIN',
    'COPY requests (requestid) FROM STDIN WITH (FORMAT csv)',
  ])('%s stays allowed', (sql) => {
    expect(refused(sql)).toBeUndefined();
  });

  it('refuses the COPY of a multi-statement string and nothing else', () => {
    expect(refused("SELECT 1; COPY (SELECT 1) TO PROGRAM 'id'; SELECT 2")?.code).toBe(SqlState.InsufficientPrivilege);
    expect(refused('SELECT 1; SELECT 2')).toBeUndefined();
  });
});

describe('the engine limits stay as set', () => {
  it.each([
    "SET max_stack_depth = '7MB'",
    "SET SESSION max_stack_depth TO '2MB'",
    'SET LOCAL temp_file_limit = -1',
    "ALTER SYSTEM SET max_stack_depth = '7MB'",
    'ALTER ROLE ALL SET temp_file_limit = -1',
    "ALTER DATABASE jsm SET max_stack_depth = '7MB'",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET max_stack_depth = '7MB' AS 'SELECT 1'",
    'ALTER FUNCTION f() SET temp_file_limit = -1',
    "SELECT set_config('max_stack_depth', '7MB', false)",
    "SELECT pg_catalog.set_config('TEMP_FILE_LIMIT'::text, '-1', true)",
    "UPDATE pg_settings SET setting = '7MB' WHERE name = 'max_stack_depth'",
    // back to the engine's superuser session user, for whom no limit holds
    "SELECT set_config('role', 'none', false)",
    "SELECT set_config('session_authorization', 'postgres', false)",
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET role = postgres AS $$SELECT 1$$',
  ])('%s is refused with 42501', (sql) => {
    const err = refused(sql);
    expect(err?.code).toBe(SqlState.InsufficientPrivilege);
    expect(err?.message).toMatch(/^permission denied to set parameter "(max_stack_depth|temp_file_limit|role|session_authorization)"$/);
  });

  it('a top-level SET ROLE is left to the session (it has its own refusal and message)', () => {
    expect(refused('SET ROLE postgres')).toBeUndefined();
    expect(refused('RESET ROLE')).toBeUndefined();
  });

  it.each([
    'RESET max_stack_depth',
    'SET max_stack_depth TO DEFAULT',
    'RESET ALL',
    'SHOW max_stack_depth',
    "SET work_mem = '8MB'",
    "SELECT set_config('search_path', 'jsm', false)",
    "UPDATE pg_settings SET setting = '8MB' WHERE name = 'work_mem'",
    "SELECT current_setting('max_stack_depth')",
  ])('%s stays allowed', (sql) => {
    expect(refused(sql)).toBeUndefined();
  });
});

describe('query nesting the engine cannot survive', () => {
  it('a subquery nested 200 deep (issue 14) is refused with stack depth limit exceeded', () => {
    const err = refused(nested(200));
    expect(err?.code).toBe(SqlState.StatementTooComplex);
    expect(err?.message).toBe('stack depth limit exceeded');
    expect(err?.fields.detail).toMatch(/nests subqueries.*597 levels deep.*allows 128/);
  });

  it('counts every parse-tree node between the outermost nested query and the deepest one', () => {
    expect(nestingOf('SELECT 1')).toBe(0);
    expect(nestingOf('SELECT (SELECT 1)')).toBe(0);
    expect(nestingOf('SELECT (SELECT (SELECT 1))')).toBe(3); // ResTarget, SubLink, SelectStmt
    expect(nestingOf('SELECT * FROM (SELECT * FROM (SELECT 1) a) b')).toBe(2); // RangeSubselect, SelectStmt
    expect(nestingOf('SELECT abs((SELECT abs((SELECT 1))))')).toBe(4); // ResTarget, FuncCall, SubLink, SelectStmt
    expect(nestingOf(cteChain(10))).toBe(18); // each WITH query reading the one before counts like a derived table
  });

  it.each([
    ['scalar subqueries', nested, 43],
    ['derived tables', derived, 65],
    ['WITH queries each reading the one before', cteChain, 65],
  ] as const)('%s: up to %i levels run, one more is refused', (_, shape, allowed) => {
    expect(refused(shape(allowed))).toBeUndefined();
    expect(refused(shape(allowed + 1))?.code).toBe(SqlState.StatementTooComplex);
  });

  it('a subquery at the bottom of a long expression is not nesting (the engine stops that itself)', () => {
    expect(refused('SELECT (SELECT 1)' + '+1'.repeat(300))).toBeUndefined();
    // but the same expression one query deeper is
    expect(refused('SELECT (SELECT (SELECT 1)' + '+1'.repeat(300) + ')')?.code).toBe(SqlState.StatementTooComplex);
  });

  it('a long UNION ALL chain, IN list, OR list or join list is flat and allowed', () => {
    expect(refused(Array(2000).fill('SELECT requestid FROM requests').join(' UNION ALL '))).toBeUndefined();
    expect(refused('SELECT 1 FROM requests WHERE requestid IN (' + Array.from({ length: 20000 }, (_, i) => `'${i}'`).join(',') + ')')).toBeUndefined();
    expect(refused('SELECT 1 FROM requests WHERE ' + Array.from({ length: 2000 }, (_, i) => `requestid = '${i}'`).join(' OR '))).toBeUndefined();
    expect(refused('SELECT 1 FROM requests r0' + Array.from({ length: 200 }, (_, i) => ` JOIN requests r${i + 1} ON r${i + 1}.requestid = r${i}.requestid`).join(''))).toBeUndefined();
  });

  it('UNION branches inside derived tables count', () => {
    const unionNest = (n: number) => 'SELECT * FROM ' + '(SELECT 1 AS a UNION ALL SELECT * FROM '.repeat(n) + 't' + ') s'.repeat(n);
    expect(nestingOf(unionNest(3))).toBe(7); // RangeSubselect, SelectStmt, right branch: 3 × 3, less the outermost nested query's 2
    expect(refused(unionNest(60))?.code).toBe(SqlState.StatementTooComplex);
  });

  it('a recursive WITH query reading itself is not nesting', () => {
    expect(refused('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t')).toBeUndefined();
    expect(nestingOf('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t')).toBeLessThan(5);
  });

  it('nesting inside INSERT, CREATE VIEW, EXPLAIN and COPY counts too', () => {
    for (const sql of [
      `INSERT INTO t ${nested(200)}`,
      `CREATE VIEW v AS ${nested(200)}`,
      `EXPLAIN ${nested(200)}`,
      `COPY (${nested(200)}) TO STDOUT`,
      `DECLARE c CURSOR FOR ${nested(200)}`,
    ]) {
      expect(refused(sql)?.code, sql).toBe(SqlState.StatementTooComplex);
    }
  });

  it('a WITH query named like a table, and a schema-qualified table named like a WITH query, are told apart', () => {
    expect(nestingOf('WITH a AS (SELECT * FROM (SELECT 1) s), b AS (SELECT * FROM a) SELECT * FROM b')).toBe(4);
    expect(nestingOf('WITH a AS (SELECT * FROM (SELECT 1) s), b AS (SELECT * FROM jsm.a) SELECT * FROM b')).toBe(2);
    // requests inside a (non-recursive) WITH query of that name is the table, not itself
    expect(nestingOf('WITH requests AS (SELECT * FROM requests) SELECT * FROM requests')).toBe(0);
    expect(nestingOf('WITH requests AS (SELECT * FROM (SELECT 1) s), x AS (SELECT * FROM requests) SELECT * FROM x')).toBe(4);
  });

  it('walks trees thousands of levels deep without overflowing the stack', () => {
    expect(() => refused('SELECT ' + '1+'.repeat(4000) + '1')).not.toThrow();
    expect(refused('SELECT ' + '1+'.repeat(4000) + '1')).toBeUndefined(); // the engine answers 54001 itself
    expect(refused(nested(1000))?.code).toBe(SqlState.StatementTooComplex);
    expect(refused('SELECT ' + 'abs('.repeat(1500) + '(SELECT (SELECT 1))' + ')'.repeat(1500))).toBeUndefined();
  });

  it('WITH queries nested inside WITH queries are costed, and past 64 levels refused', () => {
    const withNest = (n: number) => 'SELECT * FROM ' + '(WITH w AS (SELECT * FROM '.repeat(n) + 't' + ') SELECT * FROM w) s'.repeat(n);
    expect(refused(withNest(5))).toBeUndefined();
    expect(refused(withNest(100))?.code).toBe(SqlState.StatementTooComplex);
  });

  it('everyday BI and catalog SQL is far below the limit', () => {
    const metabase = `SELECT "source"."RequestStatus" AS "RequestStatus", count(*) AS "count" FROM (SELECT r.requestid AS "RequestId", r.currentstatus AS "RequestStatus"
      FROM jsm.requests r WHERE r.createddate >= (SELECT max(createddate) - interval '30 days' FROM jsm.requests) AND EXISTS (SELECT 1 FROM jsm.requestcomments c WHERE c.requestid = r.requestid)) "source"
      GROUP BY 1 ORDER BY 2 DESC LIMIT 10000`;
    const psqlDescribe = `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d
      WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull, (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
      WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation FROM pg_catalog.pg_attribute a WHERE a.attrelid = '16384' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;
    for (const sql of [metabase, psqlDescribe]) {
      expect(refused(sql)).toBeUndefined();
      expect(nestingOf(sql)).toBeLessThan(MAX_QUERY_NESTING / 10);
    }
  });
});

describe('string constants and PL/pgSQL bodies the engine cannot survive', () => {
  const deepJson = (n: number) => `SELECT '${'['.repeat(n)}${']'.repeat(n)}'::jsonb`;
  const deepRegex = (n: number) => `SELECT 'a' ~ '${'('.repeat(n)}a${')'.repeat(n)}'`;

  it('a JSON constant or regular expression nested beyond the limit is refused', () => {
    expect(refused(deepJson(10000))?.code).toBe(SqlState.StatementTooComplex);
    expect(refused(deepJson(10000))?.fields.detail).toMatch(/string constant.*10000 levels/);
    expect(refused(deepRegex(3000))?.code).toBe(SqlState.StatementTooComplex);
    expect(refused(deepJson(MAX_CONSTANT_NESTING))).toBeUndefined();
    expect(refused(`SELECT '${'x'.repeat(100000)}'`)).toBeUndefined();
  });

  it('a DO block or PL/pgSQL function nesting BEGIN … END blocks beyond the limit is refused', () => {
    const blocks = (n: number) => 'BEGIN '.repeat(n) + 'NULL; ' + 'END; '.repeat(n - 1) + 'END';
    expect(refused(`DO $$${blocks(1000)}$$`)?.code).toBe(SqlState.StatementTooComplex);
    expect(refused(`CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$${blocks(1000)}$$`)?.code).toBe(SqlState.StatementTooComplex);
    expect(refused(`DO $$${blocks(MAX_PLPGSQL_BLOCK_NESTING)}$$`)).toBeUndefined();
    // IF / LOOP / CASE … END IF do not open blocks; sequential blocks do not nest
    const ifs = 'BEGIN ' + 'IF true THEN '.repeat(50) + 'NULL; ' + 'END IF; '.repeat(50) + Array(500).fill('BEGIN NULL; END;').join(' ') + ' END';
    expect(refused(`DO $$${ifs}$$`)).toBeUndefined();
  });
});

describe('what is left to the engine', () => {
  it.each([
    // recursion cannot be told from a bounded one; the engine stops plpgsql with 54001, SQL-function recursion kills it (guardEngine)
    "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT f($1+1)'",
    'SELECT f(1)',
    'CREATE FUNCTION p(n int) RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN p(n+1); END$$',
    // runs until temp_file_limit (53400)
    'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM t) SELECT count(*) FROM t',
    // long-running but harmless to the engine: statement_timeout / cancel are the answer
    'SELECT pg_sleep(1e9)',
    // a deep expression: the engine answers 54001 itself
    'SELECT ' + '1+'.repeat(1000) + '1',
  ])('%s is not refused', (sql) => {
    expect(refused(sql)).toBeUndefined();
  });
});
