import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { schemaSnapshot } from '../../src/engine/snapshot.ts';

/*
 * The engine's shared memory is sized for the one backend it runs (runtime.ts: max_connections,
 * max_locks_per_transaction): a transaction that locks a few thousand relations still works, and
 * one that locks more than the lock table holds ends with 53200 while the engine goes on.
 */

let snapshot: Blob;
let engine: Engine;

beforeAll(async () => {
  snapshot = await schemaSnapshot('CREATE SCHEMA IF NOT EXISTS jsm; CREATE TABLE jsm.t (a int);');
  engine = await Engine.boot(snapshot);
}, 120_000);

afterAll(async () => {
  await engine?.close().catch(() => undefined);
});

const createTemp = (n: number, prefix: string) =>
  `BEGIN; ${Array.from({ length: n }, (_, i) => `CREATE TEMP TABLE ${prefix}${i} (a int);`).join('')} COMMIT;`;

describe('engine shared memory', () => {
  it('one transaction creating 1,500 temporary tables commits', async () => {
    await engine.exec(createTemp(1500, 'ok_'));
    expect((await engine.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'ok\\_%'")).rows).toEqual([{ n: 1500 }]);
  }, 120_000);

  it('one locking more relations than the lock table holds: 53200, and the engine answers afterwards', async () => {
    await expect(engine.exec(createTemp(8000, 'many_'))).rejects.toMatchObject({ code: '53200' });
    await engine.exec('ROLLBACK');
    expect((await engine.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(engine.dead).toBe(false);
  }, 120_000);
});
