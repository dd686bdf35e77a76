import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { engineRuntime } from '../../src/engine/runtime.ts';
import { sharedDataDir } from '../../src/engine/shared-files.ts';
import { schemaSnapshot } from '../../src/engine/snapshot.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';

/*
 * Engines boot with the snapshot's files and PGlite's share/ in memory shared by every engine
 * thread (shared-memfs.ts): an engine copies a file before it writes to it. What one engine
 * writes must never reach another engine, nor the shared bytes the next engines boot from.
 */

const digest = (bytes: SharedArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

describe('engines on shared files', () => {
  let snapshot: Blob;
  const engines: Engine[] = [];
  const boot = async () => {
    const e = await Engine.boot(snapshot);
    engines.push(e);
    return e;
  };
  const count = async (e: Engine, sql: string) => Number((await e.query<{ n: number }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    snapshot = await schemaSnapshot('CREATE SCHEMA IF NOT EXISTS jsm; CREATE TABLE jsm.requests (requestid text PRIMARY KEY, summary text); INSERT INTO jsm.requests VALUES (\'1\', \'one\');');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close().catch(() => undefined)));
  });

  it('an engine that rewrites catalogs, tables, the WAL and pg_control leaves the shared bytes and the other engines as they were', async () => {
    const [dir, { bundle }] = await Promise.all([sharedDataDir(snapshot), engineRuntime()]);
    const before = { dir: digest(dir.bytes), bundle: digest(bundle) };
    const [a, b] = await Promise.all([boot(), boot()]);
    await a.exec(`
      CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN 7; END$$;
      CREATE TABLE public.big AS SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 20000) g;
      UPDATE jsm.requests SET summary = 'changed by a';
      INSERT INTO jsm.requests VALUES ('2', 'two');`);
    // one at a time: VACUUM runs outside a transaction block
    for (const sql of ['VACUUM FULL pg_class', 'VACUUM FULL jsm.requests', 'CHECKPOINT']) await a.exec(sql);
    expect(await count(a, 'SELECT public.f() AS n')).toBe(7);
    expect(await count(a, 'SELECT count(*) AS n FROM public.big')).toBe(20000);
    expect((await a.query('SELECT summary FROM jsm.requests ORDER BY requestid')).rows).toEqual([{ summary: 'changed by a' }, { summary: 'two' }]);

    // b booted alongside: none of it
    expect(await count(b, "SELECT count(*) AS n FROM pg_proc WHERE proname = 'f'")).toBe(0);
    expect(await count(b, "SELECT count(*) AS n FROM pg_class WHERE relname = 'big'")).toBe(0);
    expect((await b.query('SELECT summary FROM jsm.requests')).rows).toEqual([{ summary: 'one' }]);
    // and b writes its own, under the same names
    await b.exec('CREATE TABLE public.big (g int); INSERT INTO public.big VALUES (1)');
    await b.exec('CHECKPOINT');
    expect(await count(b, 'SELECT count(*) AS n FROM public.big')).toBe(1);
    expect(await count(a, 'SELECT count(*) AS n FROM public.big')).toBe(20000);

    expect({ dir: digest(dir.bytes), bundle: digest(bundle) }).toEqual(before);
    // an engine booted afterwards starts from the snapshot as built
    const c = await boot();
    expect((await c.query('SELECT summary FROM jsm.requests')).rows).toEqual([{ summary: 'one' }]);
    expect(await count(c, "SELECT count(*) AS n FROM pg_class WHERE relname = 'big'")).toBe(0);
  }, 120_000);

  it('share/ files read by every engine (time zones, text search) serve all of them', async () => {
    const [a, b] = await Promise.all([boot(), boot()]);
    for (const e of [a, b]) {
      expect((await e.query("SELECT to_char(timestamptz '2024-07-01 12:00Z' AT TIME ZONE 'Europe/Paris', 'HH24:MI') AS t")).rows).toEqual([{ t: '14:00' }]);
      expect((await e.query("SELECT to_tsvector('english', 'the running dogs')::text AS v")).rows).toEqual([{ v: "'dog':3 'run':2" }]);
    }
  }, 120_000);
});

describe('sessions through the gateway', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ argv: ['--pool-size', '2'] });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('what one session creates (temp table, function, table) no other session sees, and both keep working', async () => {
    const a = new pg.Client(stack.url);
    const b = new pg.Client(stack.url);
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query(`CREATE TEMP TABLE mine AS SELECT g FROM generate_series(1, 5000) g`);
      await a.query(`CREATE FUNCTION only_a() RETURNS text LANGUAGE plpgsql AS $$BEGIN RETURN 'a'; END$$`);
      await a.query(`CREATE TABLE a_table AS SELECT g FROM generate_series(1, 5000) g`);
      expect((await a.query('SELECT only_a() AS v, (SELECT count(*) FROM mine)::int AS n, (SELECT count(*) FROM a_table)::int AS t')).rows).toEqual([{ v: 'a', n: 5000, t: 5000 }]);

      const seen = await b.query(`SELECT (SELECT count(*) FROM pg_proc WHERE proname = 'only_a')::int AS f, (SELECT count(*) FROM pg_class WHERE relname IN ('mine', 'a_table'))::int AS r`);
      expect(seen.rows).toEqual([{ f: 0, r: 0 }]);
      await expect(b.query('SELECT only_a()')).rejects.toMatchObject({ code: '42883' });
      await b.query(`CREATE FUNCTION only_a() RETURNS text LANGUAGE sql AS $$SELECT 'b'$$`);
      expect((await b.query('SELECT only_a() AS v, count(*)::int AS n FROM ServiceDesks')).rows[0]).toMatchObject({ v: 'b' });
      expect((await a.query('SELECT only_a() AS v')).rows).toEqual([{ v: 'a' }]);

      // a session that starts afterwards, from an engine booted while a wrote
      const c = new pg.Client(stack.url);
      await c.connect();
      try {
        expect((await c.query(`SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'only_a'`)).rows).toEqual([{ n: 0 }]);
      } finally {
        await c.end();
      }
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  }, 120_000);
});
