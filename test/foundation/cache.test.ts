import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls, startStack, type TestStack, withClient as withStackClient } from '../helpers/gateway.ts';

let stack: TestStack;
const requestCalls = async () => (await simCalls(stack.sim)).filter((c) => c.path.startsWith('/rest/servicedeskapi/request'));

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());
beforeEach(async () => {
  const c = new pg.Client(stack.url);
  await c.connect();
  await c.query('CALL jsm.clear_cache()');
  await c.end();
  await clearSimCalls(stack.sim);
});

const withClient = <T>(f: (c: pg.Client) => Promise<T>) => withStackClient(stack.url, f);

describe('shared cache', () => {
  it('serves a repeated query, and a stricter one, without calling JSM again', async () => {
    const all = await withClient((c) => c.query('SELECT * FROM Requests'));
    await new Promise((r) => setTimeout(r, 300)); // a speculative page request may still be landing
    const afterFirst = (await requestCalls()).length;
    expect(afterFirst).toBeGreaterThan(0);
    const again = await withClient((c) => c.query('SELECT * FROM Requests'));
    expect(again.rows.length).toBe(all.rows.length);
    const desk = await withClient((c) => c.query("SELECT * FROM Requests WHERE ServiceDeskId = '1'"));
    expect(desk.rows.length).toBe(all.rows.filter((r) => r.servicedeskid === '1').length);
    expect((await requestCalls()).length).toBe(afterFirst);
  });

  it('coalesces the same question fired from 5 connections at once into one fetch per API call', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => withClient((c) => c.query("SELECT count(*)::int AS n FROM Requests WHERE ServiceDeskId = '2'"))));
    expect(new Set(results.map((r) => r.rows[0].n)).size).toBe(1);
    const calls = await requestCalls();
    const distinct = new Set(calls.map((c) => JSON.stringify([c.path, c.query])));
    expect(calls.length).toBe(distinct.size);
  });

  it('can be bypassed per session and cleared with CALL jsm.clear_cache()', async () => {
    await withClient((c) => c.query("SELECT * FROM Requests WHERE ServiceDeskId = '3'"));
    const n1 = (await requestCalls()).length;
    await withClient(async (c) => {
      await c.query("SET jsm.cache = 'bypass'");
      await c.query("SELECT * FROM Requests WHERE ServiceDeskId = '3'");
    });
    const n2 = (await requestCalls()).length;
    expect(n2).toBeGreaterThan(n1);
    await withClient((c) => c.query("SELECT * FROM Requests WHERE ServiceDeskId = '3'"));
    expect((await requestCalls()).length).toBe(n2);
    await withClient(async (c) => {
      await c.query("CALL jsm.clear_cache('Requests')");
      await c.query("SELECT * FROM Requests WHERE ServiceDeskId = '3'");
    });
    expect((await requestCalls()).length).toBeGreaterThan(n2);
  });

  it('honours a per-session TTL of 0 (always fresh)', async () => {
    await withClient(async (c) => {
      await c.query("SET jsm.cache_ttl = '0'");
      await c.query('SELECT * FROM ServiceDesks');
      await c.query('SELECT * FROM ServiceDesks');
    });
    const desks = (await simCalls(stack.sim)).filter((c) => c.path === '/rest/servicedeskapi/servicedesk');
    expect(desks.length).toBe(2);
  });

  it('pushes LIMIT only under the rule and caches the limited fetch for the same query', async () => {
    await withClient((c) => c.query('SELECT * FROM Requests LIMIT 3'));
    const calls = await requestCalls();
    expect(calls.length).toBe(1);
    expect(calls[0]!.query.limit).toBe('3');
    await withClient((c) => c.query('SELECT * FROM Requests LIMIT 3'));
    expect((await requestCalls()).length).toBe(1);
    await clearSimCalls(stack.sim);
    // ORDER BY is not pushed, so neither is LIMIT: every row is fetched and the engine sorts
    const sorted = await withClient((c) => c.query('SELECT requestid FROM Requests ORDER BY createddate DESC LIMIT 3'));
    expect(sorted.rows).toHaveLength(3);
    expect((await requestCalls()).every((c) => c.query.limit !== '3')).toBe(true);
  });
});

describe('LIMIT over a child relation', () => {
  it('stops calling per parent once the pushed LIMIT is met', async () => {
    await clearSimCalls(stack.sim);
    const r = await withClient((c) => c.query('SELECT * FROM RequestComments LIMIT 3'));
    expect(r.rows).toHaveLength(3);
    const perRequest = (await simCalls(stack.sim)).filter((c) => /^\/rest\/servicedeskapi\/request\/[^/]+\/comment$/.test(c.path));
    // 60 requests exist; a few calls (at most one concurrent wave) are enough for 3 comments
    expect(perRequest.length).toBeGreaterThan(0);
    expect(perRequest.length).toBeLessThanOrEqual(8);
  });
});
