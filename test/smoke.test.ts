import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, simCalls, clearSimCalls, type TestStack } from './helpers/gateway.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

describe('smoke', () => {
  it('serves ServiceDesks and pushes the Requests filter', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    const sd = await c.query('SELECT * FROM ServiceDesks ORDER BY id');
    expect(sd.rows.map((r) => r.id)).toContain('2');
    await clearSimCalls(stack.sim);
    const r = await c.query("SELECT * FROM Requests WHERE ServiceDeskID = '2'");
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.rows.every((x) => x.servicedeskid === '2')).toBe(true);
    const calls = await simCalls(stack.sim);
    expect(calls.some((x) => x.path === '/rest/servicedeskapi/request' && x.query.serviceDeskId === '2')).toBe(true);
    await c.end();
  });
});
