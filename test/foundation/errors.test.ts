import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

async function errorOf(c: pg.Client, sql: string): Promise<pg.DatabaseError> {
  try {
    await c.query(sql);
  } catch (err) {
    return err as pg.DatabaseError;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('errors keep the session alive', () => {
  let stack: TestStack;
  let c: pg.Client;
  beforeAll(async () => {
    stack = await startStack();
    c = new pg.Client(stack.url);
    await c.connect();
  });
  afterAll(async () => {
    await c?.end();
    await stack?.close();
  });

  it('syntax error is 42601, then the session works', async () => {
    expect((await errorOf(c, 'selec 1')).code).toBe('42601');
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('unknown table is 42P01, then the session works', async () => {
    expect((await errorOf(c, 'SELECT * FROM NoSuchTable')).code).toBe('42P01');
    expect((await c.query('SELECT count(*)::int AS n FROM ServiceDesks')).rows[0].n).toBeGreaterThan(0);
  });

  it('writes the API cannot make are refused, never reported as done', async () => {
    const err = await errorOf(c, "INSERT INTO ServiceDesks (Id) VALUES ('1')");
    expect(err.code).toBe('0A000');
    expect(err.message).toMatch(/ServiceDesks/);
  });

  it('an error inside a transaction aborts it like Postgres does, and ROLLBACK recovers', async () => {
    await c.query('BEGIN');
    await c.query("SELECT * FROM Requests WHERE ServiceDeskId = '1'");
    expect((await errorOf(c, 'SELECT * FROM nope')).code).toBe('42P01');
    expect((await errorOf(c, 'SELECT 1')).code).toBe('25P02');
    await c.query('ROLLBACK');
    expect((await c.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('an unknown Bind parameter type still gives the right rows (generic plan)', async () => {
    const all = await c.query("SELECT requestid FROM Requests WHERE ServiceDeskId = '1' ORDER BY 1");
    const bound = await c.query('SELECT requestid FROM Requests WHERE ServiceDeskId = $1 ORDER BY 1', ['1']);
    expect(bound.rows).toEqual(all.rows);
  });
});

describe('a bad JSM credential', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ connection: 'APIToken=wrong-token' });
  });
  afterAll(async () => stack?.close());

  it('is a clear 28000 error naming what to fix, without the secret, and the session survives', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    const err = await errorOf(c, 'SELECT * FROM ServiceDesks');
    expect(err.code).toBe('28000');
    expect(err.message).toMatch(/credential|APIToken|User/i);
    expect(err.message).not.toContain('wrong-token');
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    // in a transaction, the failure marks it failed as Postgres would
    await c.query('BEGIN');
    expect((await errorOf(c, 'SELECT * FROM Requests')).code).toBe('28000');
    expect((await errorOf(c, 'SELECT 1')).code).toBe('25P02');
    await c.query('ROLLBACK');
    await c.end();
  });
});
