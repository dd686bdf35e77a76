import { afterEach, describe, expect, it } from 'vitest';
import { JsmClient } from '../../src/jsm/index.ts';
import { parseRetryAfter } from '../../src/jsm/http-errors.ts';
import { retryDelayMs } from '../../src/jsm/retry.ts';
import { agent, delay, json, startFakeJsm, type FakeJsm } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const client = (f: FakeJsm, extra: Partial<ConstructorParameters<typeof JsmClient>[0]> = {}): JsmClient =>
  new JsmClient({ baseUrl: f.baseUrl, credentials: agent, retryBaseMs: 1, ...extra });

/** Fails the first `n` calls with `fail`, then answers 200. */
function flaky(n: number, fail: Parameters<typeof startFakeJsm>[0]): Parameters<typeof startFakeJsm>[0] {
  let seen = 0;
  return (call, res, req) => (++seen <= n ? fail(call, res, req) : json(res, 200, { ok: true, attempt: seen }));
}

describe('retries', () => {
  it('honours Retry-After (seconds) on 429', async () => {
    fake = await startFakeJsm(flaky(1, (_c, res) => json(res, 429, {}, { 'retry-after': '1' })));
    const c = client(fake);
    const started = Date.now();
    await expect(c.get('/rest/servicedeskapi/info')).resolves.toEqual({ ok: true, attempt: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(c.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('retries 503 and other 5xx with backoff', async () => {
    let n = 0;
    fake = await startFakeJsm(flaky(3, (_c, res) => json(res, [503, 502, 500][n++], { errorMessage: 'busy' })));
    const c = client(fake);
    await expect(c.get('/rest/servicedeskapi/info')).resolves.toMatchObject({ attempt: 4 });
    expect(c.stats().retries).toBe(3);
  });

  it('gives up on 429 after maxRetries with FdwTooManyHandles', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 429, {}, { 'retry-after': '0' }));
    const err = await client(fake, { maxRetries: 2 }).get('/rest/servicedeskapi/info').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HV014' });
    expect((err as Error).message).toMatch(/JSM rate limit .*retry later/);
    expect(fake.calls).toHaveLength(3);
  });

  it('gives up on 503 after maxRetries with FdwError and method+path in detail', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 503, { errorMessage: 'maintenance' }));
    const err = await client(fake, { maxRetries: 1 })
      .get('/rest/servicedeskapi/request', { searchTerm: 'password=hunter2' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HV000', fields: { detail: expect.stringContaining('GET /rest/servicedeskapi/request') } });
    expect(JSON.stringify((err as { fields: unknown }).fields)).not.toContain('hunter2');
    expect(fake.calls).toHaveLength(2);
  });

  it('fails at once when Retry-After is far in the future', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 429, {}, { 'retry-after': '3600' }));
    const c = client(fake);
    // Waiting would take an hour (far past the test timeout); the evidence that it did not even
    // start waiting is that no retry was scheduled and the error names what JSM asked for.
    const err = await c.get('/rest/servicedeskapi/info').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HV014', message: expect.stringContaining('JSM asked to wait 3600 s') });
    expect(c.stats()).toMatchObject({ requests: 1, retries: 0 });
    expect(fake.calls).toHaveLength(1);
  });

  it('retries a GET after the connection is reset', async () => {
    fake = await startFakeJsm(flaky(2, (_c, _res, req) => {
      req.socket.destroy();
    }));
    const c = client(fake);
    await expect(c.get('/rest/servicedeskapi/info')).resolves.toMatchObject({ ok: true });
    expect(c.stats().retries).toBe(2);
  });

  it('does not resend a POST after a reset or a 500 (JSM may have acted)', async () => {
    fake = await startFakeJsm((_c, _res, req) => {
      req.socket.destroy();
    });
    await expect(client(fake).post('/rest/servicedeskapi/request', { a: 1 })).rejects.toMatchObject({ code: 'HV000' });
    expect(fake.calls).toHaveLength(1);
    fake.setHandler((_c, res) => json(res, 500, { errorMessage: 'boom' }));
    await expect(client(fake).post('/rest/servicedeskapi/request', { a: 1 })).rejects.toMatchObject({ code: 'HV000' });
    expect(fake.calls).toHaveLength(2);
  });

  it('does resend a POST on 429', async () => {
    fake = await startFakeJsm(flaky(1, (_c, res) => json(res, 429, {}, { 'retry-after': '0' })));
    await expect(client(fake).post('/rest/servicedeskapi/request', { a: 1 })).resolves.toMatchObject({ ok: true });
    expect(fake.calls.map((c) => c.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('reports an unreachable site as FdwUnableToEstablishConnection after retrying', async () => {
    fake = await startFakeJsm(() => undefined);
    const baseUrl = fake.baseUrl;
    await fake.close();
    fake = undefined;
    const c = new JsmClient({ baseUrl, credentials: agent, maxRetries: 2, retryBaseMs: 1 });
    await expect(c.get('/rest/servicedeskapi/info')).rejects.toMatchObject({ code: 'HV00N' });
    expect(c.stats()).toMatchObject({ requests: 3, retries: 2 });
  });
});

describe('timeouts and cancellation', () => {
  it('times out a slow response with QueryCanceled', async () => {
    // The server never answers, so the call can only end by the client's own timeout (which the
    // message names); the server then sees the connection dropped without an answer.
    let closed!: () => void;
    const socketClosed = new Promise<void>((resolve) => (closed = resolve));
    fake = await startFakeJsm((_c, _res, req) => {
      req.socket.on('close', () => closed());
    });
    const err = await client(fake, { timeoutMs: 150 }).get('/rest/servicedeskapi/info').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '57014', message: 'JSM request timed out after 150 ms' });
    await socketClosed;
    expect(fake.abandoned).toBe(1);
    expect(fake.calls).toHaveLength(1);
  });

  it('times out a body that trickles in', async () => {
    fake = await startFakeJsm(async (_c, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"values":[');
      for (let i = 0; i < 20 && !res.destroyed; i++) {
        res.write(`${i},`);
        await delay(50);
      }
      res.end('0]}');
    });
    await expect(client(fake, { timeoutMs: 300 }).get('/rest/servicedeskapi/info')).rejects.toMatchObject({ code: '57014' });
  });

  it('an AbortSignal cancels the in-flight request and the server sees the socket close', async () => {
    let closed!: () => void;
    const socketClosed = new Promise<void>((resolve) => (closed = resolve));
    fake = await startFakeJsm((_c, _res, req) => {
      req.socket.on('close', () => closed());
    });
    const ac = new AbortController();
    // The server never answers and the client's timeout is 60 s (past the test's): only the abort
    // can settle the call, and the message says it was the user's cancel, not the timeout.
    let settled = false;
    const pending = client(fake).get('/rest/servicedeskapi/info', {}, { signal: ac.signal });
    pending.then(() => (settled = true), () => (settled = true));
    await delay(100);
    expect(settled).toBe(false);
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
    await socketClosed;
    expect(fake.abandoned).toBe(1);
  });

  it('an abort during backoff stops retrying', async () => {
    fake = await startFakeJsm((_c, res) => json(res, 429, {}, { 'retry-after': '30' }));
    const ac = new AbortController();
    const pending = client(fake).get('/rest/servicedeskapi/info', {}, { signal: ac.signal });
    await delay(100);
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: '57014' });
    expect(fake.calls).toHaveLength(1);
  });

  it('surfaces a PgError abort reason unchanged', async () => {
    fake = await startFakeJsm(() => undefined);
    const { PgError, SqlState } = await import('../../src/errors/index.ts');
    const reason = new PgError(SqlState.QueryCanceled, 'canceling statement due to statement timeout');
    const pending = client(fake).get('/rest/servicedeskapi/info', {}, { signal: AbortSignal.abort(reason) });
    await expect(pending).rejects.toBe(reason);
  });

  it('close() cancels the client’s in-flight calls', async () => {
    fake = await startFakeJsm(() => undefined);
    const c = client(fake);
    const pending = c.get('/rest/servicedeskapi/info');
    await delay(50);
    await c.close();
    await expect(pending).rejects.toMatchObject({ code: '57014' });
    await expect(c.get('/rest/servicedeskapi/info')).rejects.toMatchObject({ code: '57014' });
  });
});

describe('retry helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter and treats Retry-After as a floor', () => {
    expect(retryDelayMs(0, 100, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(0, 100, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(3, 100, undefined, () => 1)).toBe(800);
    expect(retryDelayMs(30, 100, undefined, () => 1)).toBe(30_000);
    expect(retryDelayMs(0, 100, 2000, () => 1)).toBe(2000);
  });
});
