import { afterEach, describe, expect, it } from 'vitest';
import { JsmClient } from '../../src/jsm/index.ts';
import { ResponseCache } from '../../src/jsm/cache.ts';
import { agent, delay, json, startFakeJsm, type FakeJsm } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Answers with a counter so tests can tell a cached body from a fresh one. */
async function counting(delayMs = 0): Promise<FakeJsm> {
  let n = 0;
  return startFakeJsm(async (call, res) => {
    const seq = ++n;
    if (delayMs) await delay(delayMs);
    json(res, 200, { seq, path: call.pathname, lang: call.headers['accept-language'] ?? null });
  });
}

const make = (f: FakeJsm, extra: Partial<ConstructorParameters<typeof JsmClient>[0]> = {}): JsmClient =>
  new JsmClient({ baseUrl: f.baseUrl, credentials: agent, ...extra });

describe('response cache', () => {
  it('serves a repeated GET from cache, shared by clients of the same identity', async () => {
    fake = await counting();
    const a = make(fake);
    const b = make(fake);
    expect(a.identityKey).toBe(b.identityKey);
    expect(await a.get('/rest/servicedeskapi/servicedesk', { q: 1 })).toMatchObject({ seq: 1 });
    expect(await a.get('/rest/servicedeskapi/servicedesk', { q: 1 })).toMatchObject({ seq: 1 });
    expect(await b.get('/rest/servicedeskapi/servicedesk', { q: 1 })).toMatchObject({ seq: 1 });
    expect(fake.calls).toHaveLength(1);
    expect(a.stats().cacheHits).toBe(1);
    expect(b.stats().cacheHits).toBe(1);
  });

  it('hands each caller its own copy', async () => {
    fake = await counting();
    const a = make(fake);
    const first = await a.get<{ seq: number }>('/rest/servicedeskapi/info');
    first.seq = 999;
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 1 });
  });

  it('keys on the query regardless of key order, and on Accept-Language', async () => {
    fake = await counting();
    const a = make(fake);
    await a.get('/rest/servicedeskapi/x', { a: 1, b: 2 });
    await a.get('/rest/servicedeskapi/x', { b: 2, a: 1 });
    await a.get('/rest/servicedeskapi/x', { a: 1, b: 3 });
    expect(fake.calls).toHaveLength(2);
    const fr = make(fake, { language: 'fr-FR' });
    expect(await fr.get('/rest/servicedeskapi/x', { a: 1, b: 2 })).toMatchObject({ lang: 'fr-FR', seq: 3 });
  });

  it('never shares across identities', async () => {
    fake = await counting();
    const a = make(fake);
    const other = make(fake, { credentials: { ...agent, user: 'customer@example.com' } });
    const otherToken = make(fake, { credentials: { ...agent, apiToken: 'another-token' } });
    expect(new Set([a.identityKey, other.identityKey, otherToken.identityKey]).size).toBe(3);
    await a.get('/rest/servicedeskapi/info');
    expect(await other.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 2 });
    expect(await otherToken.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 3 });
  });

  it('identityKey does not reveal the secret', async () => {
    fake = await counting();
    const a = make(fake);
    expect(a.identityKey).not.toContain(agent.apiToken);
    expect(a.identityKey).not.toContain(Buffer.from(`${agent.user}:${agent.apiToken}`).toString('base64'));
  });

  it('expires entries after the TTL', async () => {
    fake = await counting();
    const a = make(fake, { cacheTtlMs: 60 });
    await a.get('/rest/servicedeskapi/info');
    await a.get('/rest/servicedeskapi/info');
    expect(fake.calls).toHaveLength(1);
    await delay(100);
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 2 });
  });

  it('bypass skips the cache; refresh refetches and stores', async () => {
    fake = await counting();
    const a = make(fake);
    await a.get('/rest/servicedeskapi/info');
    expect(await a.get('/rest/servicedeskapi/info', {}, { cache: 'bypass' })).toMatchObject({ seq: 2 });
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 1 });
    expect(await a.get('/rest/servicedeskapi/info', {}, { cache: 'refresh' })).toMatchObject({ seq: 3 });
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 3 });
  });

  it('clearCache and writes invalidate the identity’s entries', async () => {
    fake = await counting();
    const a = make(fake);
    await a.get('/rest/servicedeskapi/info');
    a.clearCache();
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 2 });
    await a.post('/rest/servicedeskapi/request', { summary: 'x' });
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 4 });
  });

  it('does not store a GET that was in flight when a write finished', async () => {
    let n = 0;
    fake = await startFakeJsm(async (call, res) => {
      const seq = ++n;
      if (call.method === 'GET' && seq === 1) await delay(150);
      json(res, 200, { seq });
    });
    const a = make(fake);
    const slowRead = a.get('/rest/servicedeskapi/info');
    await delay(30);
    await a.put('/rest/servicedeskapi/request/X-1/notification');
    await slowRead;
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 3 });
  });
});

describe('coalescing', () => {
  it('identical GETs in flight share one HTTP call, across clients of one identity', async () => {
    fake = await counting(100);
    const a = make(fake);
    const b = make(fake);
    const results = await Promise.all([
      a.get('/rest/servicedeskapi/servicedesk'),
      a.get('/rest/servicedeskapi/servicedesk'),
      b.get('/rest/servicedeskapi/servicedesk'),
    ]);
    expect(results.map((r) => (r as { seq: number }).seq)).toEqual([1, 1, 1]);
    expect(fake.calls).toHaveLength(1);
    expect(a.stats()).toMatchObject({ requests: 1, coalesced: 1 });
    expect(b.stats()).toMatchObject({ requests: 0, coalesced: 1 });
  });

  it('does not coalesce across identities', async () => {
    fake = await counting(50);
    const a = make(fake);
    const other = make(fake, { credentials: { authScheme: 'Basic', user: 'admin', password: 'pw-SECRET' } });
    await Promise.all([a.get('/rest/servicedeskapi/info'), other.get('/rest/servicedeskapi/info')]);
    expect(fake.calls).toHaveLength(2);
  });

  it('one caller cancelling does not cancel the shared call for the others', async () => {
    fake = await counting(100);
    const a = make(fake);
    const ac = new AbortController();
    const cancelled = a.get('/rest/servicedeskapi/info', {}, { signal: ac.signal });
    const kept = a.get('/rest/servicedeskapi/info');
    await delay(20);
    ac.abort();
    await expect(cancelled).rejects.toMatchObject({ code: '57014' });
    await expect(kept).resolves.toMatchObject({ seq: 1 });
    expect(fake.abandoned).toBe(0);
  });

  it('the shared call is cancelled when every caller has gone', async () => {
    fake = await counting(300);
    const a = make(fake);
    const ac = new AbortController();
    const p1 = a.get('/rest/servicedeskapi/info', {}, { signal: ac.signal });
    const p2 = a.get('/rest/servicedeskapi/info', {}, { signal: ac.signal });
    await delay(30);
    ac.abort();
    await expect(Promise.allSettled([p1, p2])).resolves.toMatchObject([{ status: 'rejected' }, { status: 'rejected' }]);
    await delay(30);
    expect(fake.abandoned).toBe(1);
    expect(await a.get('/rest/servicedeskapi/info')).toMatchObject({ seq: 2 });
  });
});

describe('ResponseCache bounds', () => {
  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new ResponseCache({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) cache.set('id', k, k, 60_000, 0);
    cache.get('id', 'a');
    cache.set('id', 'd', 'd', 60_000, 0);
    expect(cache.size).toBe(3);
    expect(cache.get('id', 'b')).toBeUndefined();
    expect(cache.get('id', 'a')).toBe('a');
  });

  it('evicts to stay under maxBytes and skips bodies larger than the whole budget', () => {
    const cache = new ResponseCache({ maxBytes: 100 });
    cache.set('id', 'a', 'x'.repeat(30), 60_000, 0);
    cache.set('id', 'b', 'y'.repeat(30), 60_000, 0);
    expect(cache.get('id', 'a')).toBeUndefined();
    expect(cache.bytes).toBeLessThanOrEqual(100);
    cache.set('id', 'big', 'z'.repeat(80), 60_000, 0);
    expect(cache.get('id', 'big')).toBeUndefined();
  });

  it('invalidate drops only that identity and refuses stale generations', () => {
    const cache = new ResponseCache();
    cache.set('one', 'k', '1', 60_000, 0);
    cache.set('two', 'k', '2', 60_000, 0);
    const before = cache.generation('one');
    cache.invalidate('one');
    expect(cache.get('one', 'k')).toBeUndefined();
    expect(cache.get('two', 'k')).toBe('2');
    cache.set('one', 'k', 'stale', 60_000, before);
    expect(cache.get('one', 'k')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
