import { loadModule, parseSync } from 'libpg-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { ENGINE_LIMIT_CONF, engineReplied } from '../../src/engine/engine-limits.ts';
import { schemaSnapshot } from '../../src/engine/snapshot.ts';
import { PgError, SqlState } from '../../src/errors/index.ts';
import { queryMessage } from '../../src/protocol/engine-messages.ts';
import { refusal } from '../../src/session/refusals.ts';

/*
 * Hostile statements (issue 14, finding 4) on a real engine booted as the gateway boots it, sent as
 * the session sends them (a raw Query message). Each must end with an answer, and the engine must
 * answer SELECT 1 afterwards — or, where Postgres cannot stop it in time, fail in a way the
 * gateway sees (guardEngine) so that it ends that session instead of leaving it waiting.
 */

let snapshot: Blob;
let engine: Engine;

async function fresh(): Promise<void> {
  await engine?.close().catch(() => undefined);
  engine = await Engine.boot(snapshot);
}

interface Answer {
  /** SQLSTATE of the ErrorResponse, or 'ok'. */
  code: string;
  message?: string;
  /** The output ended with ReadyForQuery. */
  ready: boolean;
  raw: Uint8Array;
}

async function run(sql: string): Promise<Answer> {
  const raw = await engine.execRaw(queryMessage(sql));
  const buf = Buffer.from(raw);
  let code = 'ok';
  let message: string | undefined;
  for (let off = 0; off + 5 <= buf.length; off += 1 + buf.readInt32BE(off + 1)) {
    if (buf[off] !== 0x45 || code !== 'ok') continue;
    for (let i = off + 5; buf[i] !== 0; ) {
      const end = buf.indexOf(0, i + 1);
      if (buf[i] === 0x43) code = buf.subarray(i + 1, end).toString();
      if (buf[i] === 0x4d) message = buf.subarray(i + 1, end).toString();
      i = end + 1;
    }
  }
  return { code, message, ready: engineReplied(queryMessage(sql), raw), raw };
}

/** Runs `sql`, expects `code`, then SELECT 1 on the same engine. */
async function answersWith(sql: string, code: string): Promise<void> {
  const a = await run(sql);
  expect(engine.dead).toBe(false);
  expect(a.ready).toBe(true);
  expect(a.code, a.message).toBe(code);
  const one = await run('SELECT 1');
  expect(one).toMatchObject({ code: 'ok', ready: true });
  expect(engine.dead).toBe(false);
}

beforeAll(async () => {
  await loadModule();
  snapshot = await schemaSnapshot('CREATE SCHEMA IF NOT EXISTS jsm; CREATE TABLE jsm.t (a int); CREATE TABLE jsm.requests (requestid text PRIMARY KEY, summary text);');
  await fresh();
}, 120_000);

afterAll(async () => {
  await engine?.close().catch(() => undefined);
});

describe('engine settings', () => {
  it('max_stack_depth and temp_file_limit are in effect, and RESET / DISCARD ALL keep them', async () => {
    expect(ENGINE_LIMIT_CONF).toEqual(['max_stack_depth=100kB', 'temp_file_limit=128MB']);
    const show = async () => (await engine.query<{ d: string; t: string }>("SELECT current_setting('max_stack_depth') AS d, current_setting('temp_file_limit') AS t")).rows[0];
    expect(await show()).toEqual({ d: '100kB', t: '128MB' });
    await engine.exec("SET max_stack_depth = '2MB'; RESET max_stack_depth; SET temp_file_limit = DEFAULT");
    expect(await show()).toEqual({ d: '100kB', t: '128MB' });
    await engine.exec("SET max_stack_depth = '2MB'");
    await engine.exec('DISCARD ALL');
    expect(await show()).toEqual({ d: '100kB', t: '128MB' });
  });
});

describe('statements Postgres now stops with its own error', () => {
  it('a deep expression: 54001 (at the default 2MB the engine died without a reply)', async () => {
    await answersWith('SELECT ' + '1+'.repeat(5000) + '1', '54001');
    await answersWith("SELECT 'a'" + "||'a'".repeat(2000), '54001');
    await answersWith('SELECT ' + 'abs('.repeat(1000) + '1' + ')'.repeat(1000), '54001');
  });

  it('unbounded PL/pgSQL recursion, also through exception blocks, dynamic SQL and triggers: 54001', async () => {
    await engine.exec(`
      CREATE FUNCTION pg_temp.p(n int) RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN pg_temp.p(n + 1); END$$;
      CREATE FUNCTION pg_temp.pe(n int) RETURNS int LANGUAGE plpgsql AS $$BEGIN BEGIN RETURN pg_temp.pe(n + 1); EXCEPTION WHEN division_by_zero THEN RETURN 0; END; END$$;
      CREATE FUNCTION pg_temp.d(n int) RETURNS void LANGUAGE plpgsql AS $$BEGIN EXECUTE 'SELECT pg_temp.d(' || n + 1 || ')'; END$$;
      CREATE TEMP TABLE tt (a int);
      CREATE FUNCTION pg_temp.tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO tt VALUES (1); RETURN NEW; END$$;
      CREATE TRIGGER tr AFTER INSERT ON tt FOR EACH ROW EXECUTE FUNCTION pg_temp.tf();`);
    await answersWith('SELECT pg_temp.p(1)', '54001');
    await answersWith('SELECT pg_temp.pe(1)', '54001');
    await answersWith('SELECT pg_temp.d(1)', '54001');
    await answersWith('INSERT INTO tt VALUES (0)', '54001');
  });

  it('a jsonb value nested 5,000 deep: 54001', async () => {
    await answersWith(`SELECT '${'['.repeat(5000)}${']'.repeat(5000)}'::jsonb`, '54001');
  });

  it('subqueries nested 1,000 deep: 54001 (refusals.ts refuses far less; this is the engine on its own)', async () => {
    await answersWith('SELECT ' + '(SELECT '.repeat(1000) + '1' + ')'.repeat(1000), '54001');
  });

  it('nesting beyond the grammar: 42601 memory exhausted', async () => {
    await answersWith('SELECT ' + 'CASE WHEN true THEN '.repeat(3000) + '1' + ' END'.repeat(3000), '42601');
  });

  it('WITH RECURSIVE without end, and generate_series to 10⁹ in FROM: 53400 once their temporary files reach temp_file_limit', async () => {
    // The configured 128MB takes 10–25 s per statement; the mechanism is the same at 16MB.
    await engine.exec("SET temp_file_limit = '16MB'");
    await answersWith('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t', '53400');
    await answersWith('SELECT count(*) FROM generate_series(1, 1000000000)', '53400');
    await answersWith("WITH RECURSIVE t(s) AS (SELECT 'x'::text UNION ALL SELECT s || s FROM t) SELECT count(*) FROM t", '53400');
    await engine.exec('RESET temp_file_limit');
    // bounded use of the same form is unaffected
    await answersWith('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t LIMIT 3', 'ok');
  }, 60_000);

  it('COPY … PROGRAM, even from a DO block the parse tree does not show: 42501 (it killed the engine)', async () => {
    await answersWith("COPY (SELECT 1) TO PROGRAM 'id'", '42501');
    await answersWith("COPY jsm.t FROM PROGRAM 'echo 1'", '42501');
    await answersWith("DO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''id'''; END$$", '42501');
    expect((await run("COPY (SELECT 1) TO PROGRAM 'id'")).message).toBe('could not execute command "id": Permission denied');
    // in a transaction block: the transaction fails, ROLLBACK recovers
    expect((await run('BEGIN')).code).toBe('ok');
    expect((await run("COPY (SELECT 1) TO PROGRAM 'id'")).code).toBe('42501');
    expect((await run('ROLLBACK')).code).toBe('ok');
    await answersWith('SELECT 1', 'ok');
  });

  it('statement_timeout is not enforced inside the engine (no timer signals in PGlite): only the gateway can stop a statement', async () => {
    await engine.exec("SET statement_timeout = '50ms'");
    await answersWith('SELECT pg_sleep(0.3)', 'ok');
    // the engine's own clock says the statement ran six times past its timeout
    const slept = await engine.query<{ ran: boolean }>("SELECT clock_timestamp() - statement_timestamp() >= interval '300 ms' AS ran FROM pg_sleep(0.3)");
    expect(slept.rows[0]!.ran).toBe(true);
    await engine.exec('RESET statement_timeout');
  });
});

describe('statements that killed an engine on the main thread: in its own thread Postgres stops them', () => {
  it('unbounded SQL-function recursion and a regular expression nested 3,000 deep (on the main thread both overflowed V8 and killed the engine)', async () => {
    // an engine thread has about 4 MB of V8 stack, the main thread 984 kB: max_stack_depth now trips first
    await engine.exec("CREATE FUNCTION pg_temp.f(int) RETURNS int LANGUAGE sql AS 'SELECT pg_temp.f($1 + 1)'");
    await answersWith('SELECT pg_temp.f(1)', '54001');
    const sql = `SELECT 'a' ~ '${'('.repeat(3000)}a${')'.repeat(3000)}'`;
    const kind = 'SelectStmt';
    expect(refusal(kind, parseSync(sql).stmts[0]!.stmt[kind])?.message).toBe('stack depth limit exceeded'); // the session still refuses it
    await answersWith(sql, 'ok');
  });
});

describe('an engine that dies under a statement: the guard sees it and the session ends', () => {
  it('COPY … FROM STDIN sent without its data makes Postgres exit; the next message would never return, the guard stops it first', async () => {
    await fresh();
    const failed = await engine.execRaw(queryMessage('COPY jsm.t FROM STDIN')).then(() => undefined, (e: unknown) => e);
    expect(engine.dead).toBe(true);
    expect(failed).toBeInstanceOf(PgError);
    expect((failed as PgError).fields.severity).toBe('FATAL');
    expect((failed as PgError).message).toBe('the SQL engine of this session exited');
    // rejected, not left waiting (a hang would run into the test's timeout)
    await expect(engine.execRaw(Uint8Array.from([0x53, 0, 0, 0, 4]))).rejects.toBeInstanceOf(PgError);
    await fresh();
    // PGlite cannot wait for copy data: sent in the same call as the statement, COPY FROM STDIN works
    const data = Buffer.from('1\n2\n');
    const copyData = Buffer.concat([Buffer.from([0x64]), Buffer.from(Uint32Array.of(0).buffer), data]);
    copyData.writeInt32BE(4 + data.length, 1);
    const out = Buffer.from(await engine.execRaw(Buffer.concat([queryMessage('COPY jsm.t FROM STDIN'), copyData, Buffer.from([0x63, 0, 0, 0, 4])])));
    expect(out.includes(Buffer.from('COPY 2\0'))).toBe(true);
    expect(engineReplied(queryMessage('COPY jsm.t FROM STDIN'), out)).toBe(true);
    expect(engine.dead).toBe(false);
  });

  it('a statement stopped by ending its thread fails with the reason given, and the engine adopts a fresh one', async () => {
    await fresh();
    const running = engine.execRaw(queryMessage('SELECT count(*) FROM generate_series(1, 500000000)')).then(() => undefined, (e: unknown) => e);
    while (!engine.busy) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    const reason = new PgError(SqlState.QueryCanceled, 'canceling statement due to user request');
    await engine.interrupt(reason);
    expect(await running).toBe(reason);
    expect(engine.dead).toBe(true);
    engine.adopt(await Engine.boot(snapshot));
    await answersWith('SELECT 1', 'ok');
  });

  it('engineReplied: a Query or Sync needs a trailing ReadyForQuery, a Flush does not', () => {
    const ready = Uint8Array.from([0x5a, 0, 0, 0, 5, 0x49]);
    expect(engineReplied(queryMessage('SELECT 1'), ready)).toBe(true);
    expect(engineReplied(queryMessage('SELECT 1'), new Uint8Array(0))).toBe(false);
    expect(engineReplied(Uint8Array.from([0x53, 0, 0, 0, 4]), new Uint8Array(0))).toBe(false);
    expect(engineReplied(Uint8Array.from([0x48, 0, 0, 0, 4]), new Uint8Array(0))).toBe(true);
  });
});

describe('what refusals.ts lets through, a warmed-up engine answers', () => {
  /** The deepest statement of each shape refusal() allows. */
  const shapes: Record<string, (n: number) => string> = {
    'scalar subqueries': (n) => 'SELECT ' + '(SELECT '.repeat(n) + '1' + ')'.repeat(n),
    'subqueries inside 30 function calls each': (n) => 'SELECT ' + ('(SELECT ' + 'abs('.repeat(30)).repeat(n) + '1' + (')'.repeat(30) + ')').repeat(n),
    'WHERE a = (SELECT …) chains': (n) => 'SELECT 1 FROM jsm.t WHERE a = ' + '(SELECT a FROM jsm.t WHERE a = '.repeat(n) + '1' + ')'.repeat(n),
    'derived tables': (n) => 'SELECT * FROM ' + '(SELECT * FROM '.repeat(n) + 'jsm.t' + ') s'.repeat(n),
    'UNION branches in derived tables': (n) => 'SELECT * FROM ' + '(SELECT 1 AS a UNION ALL SELECT * FROM '.repeat(n) + 'jsm.t' + ') s'.repeat(n),
    'WITH chains': (n) => 'WITH ' + Array.from({ length: n }, (_, i) => `c${i} AS (SELECT ${i === 0 ? '1 AS x' : `x FROM c${i - 1}`})`).join(', ') + ` SELECT * FROM c${n - 1}`,
    'WITH chains through scalar subqueries': (n) =>
      'WITH ' + Array.from({ length: n }, (_, i) => `c${i} AS (SELECT ${i === 0 ? '1 AS x' : `(SELECT x FROM c${i - 1}) AS x`})`).join(', ') + ` SELECT * FROM c${n - 1}`,
    'a long expression inside nested subqueries': (n) => 'SELECT (SELECT (SELECT 1)' + '+1'.repeat(n) + ')',
  };
  const allowed = (shape: (n: number) => string) => {
    let n = 1;
    for (;;) {
      const stmt = parseSync(shape(n + 1)).stmts[0]!.stmt;
      const kind = Object.keys(stmt)[0]!;
      if (refusal(kind, stmt[kind])) return n;
      n++;
    }
  };

  it('each shape at its limit answers without killing the engine', async () => {
    await fresh();
    // Tiered-up (optimised) WebAssembly took more V8 stack per level than freshly compiled code: warm it first.
    for (let i = 0; i < 40; i++) for (const shape of Object.values(shapes)) await run(shape(8));
    for (const [name, shape] of Object.entries(shapes)) {
      const n = allowed(shape);
      const a = await run(shape(n));
      expect(engine.dead, `${name} at ${n}`).toBe(false);
      expect(a.ready, name).toBe(true);
      expect(['ok', '54001'], `${name} at ${n}: ${a.message}`).toContain(a.code);
    }
    await answersWith('SELECT 1', 'ok');
  }, 60_000);
});

it('SqlState has the codes these tests use', () => {
  expect(SqlState.InsufficientPrivilege).toBe('42501');
  expect(SqlState.ProgramLimitExceeded).toBe('54000');
  expect(SqlState.StatementTooComplex).toBe('54001');
});
