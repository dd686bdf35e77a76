import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { admin, API, as, authorization, call } from './helpers/client.ts';
import { assertMatchesSpec } from './helpers/openapi.ts';

let sim: RunningSimulator;
const ping = () => as(sim, 'agent').get(`${API}/servicedesk`);
const simAdmin = (method: string, path: string, body?: unknown) => admin(sim, method, path, body);
/** Status codes of n sequential calls; every body is still checked against the spec by `call`. */
const statuses = async (target: RunningSimulator, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(target, 'agent', 'GET', `${API}/servicedesk`)).status);
  return out;
};

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

describe('fault injection', () => {
  it('adds latency to every API call', async () => {
    sim.setFaults({ latencyMs: 400 });
    const started = performance.now();
    expect((await ping()).status).toBe(200);
    const slow = performance.now() - started;
    expect(slow).toBeGreaterThanOrEqual(395);
    sim.setFaults({ latencyMs: 0 });
    // Turned off, a call answers before the latency it used to carry has even passed once: a far
    // deadline (a local call takes a few ms), reached only if the setting were still in force.
    const first = await Promise.race([
      ping().then((r) => `answer ${r.status}`),
      new Promise<string>((resolve) => setTimeout(() => resolve('latency still applied'), 400)),
    ]);
    expect(first).toBe('answer 200');
  });

  it('rate-limits with 429 and Retry-After from a token bucket', async () => {
    sim.setFaults({ rateLimitPerSecond: 2 });
    // Concurrent, so the bucket (2 tokens, 2 per second) cannot refill in between even on a slow machine.
    const results = await Promise.all(Array.from({ length: 6 }, () => ping()));
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited).toBeDefined();
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.errorMessage).toMatch(/Rate limit/);
    await new Promise((r) => setTimeout(r, 600));
    expect((await ping()).status).toBe(200);
    const calls = (await simAdmin('GET', 'calls')).body;
    expect(calls.some((c: { status: number; fault?: string }) => c.status === 429 && c.fault === 'rate-limit')).toBe(true);
  });

  it('answers a share of calls with a 5xx', async () => {
    sim.setFaults({ errorRate: 0.5 });
    const seen = await statuses(sim, 40);
    expect(seen.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(seen.filter((s) => s >= 500).length).toBeGreaterThan(5);
    expect(new Set(seen.filter((s) => s >= 500))).toEqual(new Set([500, 503]));
    sim.setFaults({ errorRate: 1 });
    const failed = await ping();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.body.i18nErrorMessage.i18nKey).toBe('sd.api.simulated.failure');
  });

  it('resets connections without an answer', async () => {
    sim.setFaults({ resetRate: 1 });
    await expect(ping()).rejects.toThrow();
    const calls = (await simAdmin('GET', 'calls')).body;
    expect(calls.at(-1)).toMatchObject({ status: 0, fault: 'reset', path: `${API}/servicedesk` });
    sim.setFaults({ resetRate: 0 });
    expect((await ping()).status).toBe(200);
  });

  it('trickles response bodies when slowBodyMs is set', async () => {
    sim.setFaults({ slowBodyMs: 600 });
    const started = performance.now();
    const res = await fetch(`${sim.url}${API}/servicedesk`, { headers: { authorization: authorization('agent')! } });
    // The headers (with the full Content-Length) come first and the body in pieces after them: the
    // first piece read is only part of it (the rest is still being sent over the next 600 ms).
    const length = Number(res.headers.get('content-length'));
    const reader = res.body!.getReader();
    const pieces: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(r.value);
    const total = performance.now() - started;
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces[0].length).toBeLessThan(length);
    const bytes = Buffer.concat(pieces);
    expect(bytes.length).toBe(length);
    const body = JSON.parse(bytes.toString('utf8')) as { size: number };
    expect(assertMatchesSpec('GET', `${API}/servicedesk`, res.status, body)).toBe(true);
    expect(total).toBeGreaterThanOrEqual(590);
    expect(body.size).toBe(3);
  });

  it('is changed at run time through PUT /__sim/faults, keeping keys not sent', async () => {
    expect((await simAdmin('GET', 'faults')).body).toEqual({
      latencyMs: 0,
      rateLimitPerSecond: 0,
      errorRate: 0,
      resetRate: 0,
      writeErrorRate: 0,
      lostResponseRate: 0,
      slowBodyMs: 0,
    });
    expect((await simAdmin('PUT', 'faults', { errorRate: 1 })).body.errorRate).toBe(1);
    const after = await simAdmin('PUT', 'faults', { latencyMs: 5 });
    expect(after.body).toMatchObject({ errorRate: 1, latencyMs: 5 });
    expect((await ping()).status).toBeGreaterThanOrEqual(500);
    expect((await simAdmin('PUT', 'faults', { errorRate: 2 })).status).toBe(400);
    expect((await simAdmin('PUT', 'faults', { bogus: 1 })).status).toBe(400);
    expect((await simAdmin('PUT', 'faults', { latencyMs: 'slow' })).status).toBe(400);
    expect(() => sim.setFaults({ resetRate: -1 })).toThrow(RangeError);
    expect((await simAdmin('POST', 'reset')).status).toBe(204);
    expect((await simAdmin('GET', 'faults')).body.errorRate).toBe(0);
    expect((await ping()).status).toBe(200);
  });

  it('is deterministic for a seed, including faults set at start', async () => {
    const faults = { errorRate: 0.3 };
    const [a, b, c] = await Promise.all([
      startSimulator({ port: 0, seed: 5, faults }),
      startSimulator({ port: 0, seed: 5, faults }),
      startSimulator({ port: 0, seed: 6, faults }),
    ]);
    try {
      const first = await statuses(a, 30);
      expect(first.some((s) => s >= 500)).toBe(true);
      expect(await statuses(b, 30)).toEqual(first);
      expect(await statuses(c, 30)).not.toEqual(first);
      a.reset();
      expect(await statuses(a, 5)).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('never applies faults to the admin API', async () => {
    sim.setFaults({ errorRate: 1, rateLimitPerSecond: 1 });
    for (let i = 0; i < 5; i++) expect((await simAdmin('GET', 'faults')).status).toBe(200);
  });
});
