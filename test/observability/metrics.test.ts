import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type TestStack, withClient as withStackClient } from '../helpers/gateway.ts';
import { parseMetrics, type Scrape } from '../helpers/metrics-text.ts';

let stack: TestStack;
let metricsUrl: string;

beforeAll(async () => {
  stack = await startStack({ argv: ['--metrics-port', '0'] });
  expect(stack.gateway.metricsPort).toBeGreaterThan(0);
  metricsUrl = `http://127.0.0.1:${stack.gateway.metricsPort}/metrics`;
});
afterAll(async () => stack?.close());

async function scrape(): Promise<Scrape> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(await res.text());
}

const withClient = <T>(f: (c: pg.Client) => Promise<T>) => withStackClient(stack.url, f);

const FAMILIES = [
  'jsmpg_sessions', 'jsmpg_engines_idle', 'jsmpg_engines_booting', 'jsmpg_statements_total', 'jsmpg_statement_duration_seconds',
  'jsmpg_jsm_api_calls_total', 'jsmpg_jsm_retries_total', 'jsmpg_jsm_fetched_bytes_total', 'jsmpg_cache_hits_total',
  'jsmpg_cache_misses_total', 'jsmpg_rows_loaded_total',
  // Node's default process metrics
  'process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds',
];

describe('GET /metrics (--metrics-port)', () => {
  it('serves every family, and each moves when work is done', async () => {
    const before = await scrape();
    for (const family of FAMILIES) expect(before.text, family).toMatch(new RegExp(`^# TYPE ${family} `, 'm'));
    expect(before.value('jsmpg_engines_idle') + before.value('jsmpg_engines_booting')).toBeGreaterThanOrEqual(0);

    const c = new pg.Client(stack.url);
    await c.connect();
    try {
      expect((await scrape()).value('jsmpg_sessions')).toBe(before.value('jsmpg_sessions') + 1);
      await c.query("SET jsm.cache = 'bypass'");
      const requests = await c.query('SELECT * FROM Requests LIMIT 5');
      expect(requests.rows.length).toBeGreaterThan(0);
      await c.query("SET jsm.cache = 'use'");
      await c.query('SELECT * FROM Requests LIMIT 5'); // served from the cache
      await c.query('SELECT count(*) FROM RequestComments WHERE RequestId = $1', [requests.rows[0].requestid]);
      await expect(c.query('SELECT * FROM no_such_relation')).rejects.toMatchObject({ code: '42P01' });
      await c.query("SET statement_timeout = '100ms'");
      await expect(c.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      await c.query('RESET statement_timeout');
      await c.query('SELECT 1');
      await c.query({ text: 'SELECT $1::int AS n', values: [1] }); // extended protocol: timed to its Sync's ReadyForQuery
    } finally {
      await c.end();
    }
    await vi.waitFor(async () => expect((await scrape()).value('jsmpg_sessions')).toBe(before.value('jsmpg_sessions')));

    const after = await scrape();
    const moved = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved('jsmpg_statements_total', { outcome: 'ok', sqlstate_class: '00' })).toBeGreaterThanOrEqual(8);
    expect(moved('jsmpg_statements_total', { outcome: 'error', sqlstate_class: '42' })).toBe(1);
    expect(moved('jsmpg_statements_total', { outcome: 'canceled', sqlstate_class: '57' })).toBe(1);
    expect(moved('jsmpg_statement_duration_seconds_count')).toBe(moved('jsmpg_statements_total'));
    expect(moved('jsmpg_statement_duration_seconds_count', { outcome: 'canceled' })).toBe(1);
    expect(moved('jsmpg_jsm_api_calls_total', { method: 'GET', endpoint: '/rest/servicedeskapi/request', status: '200' })).toBeGreaterThan(0);
    expect(moved('jsmpg_jsm_api_calls_total', { endpoint: '/rest/servicedeskapi/request/{id}/comment' })).toBeGreaterThan(0);
    expect(moved('jsmpg_jsm_fetched_bytes_total')).toBeGreaterThan(0);
    expect(moved('jsmpg_cache_hits_total', { relation: 'Requests' })).toBeGreaterThanOrEqual(1);
    expect(moved('jsmpg_cache_misses_total', { relation: 'Requests' })).toBeGreaterThanOrEqual(1);
    expect(moved('jsmpg_rows_loaded_total', { relation: 'Requests' })).toBeGreaterThan(0);
    expect(after.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('counts retries when JSM answers 5xx', async () => {
    const setFaults = (faults: object) =>
      fetch(`${stack.sim.url}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    const before = await scrape();
    await setFaults({ errorRate: 0.5 });
    try {
      await withClient(async (c) => {
        await c.query("SET jsm.cache = 'bypass'");
        // faults are drawn per call: a few statements make a retry certain (one may still fail after its last retry)
        for (let i = 0; i < 10 && (await scrape()).value('jsmpg_jsm_retries_total') === before.value('jsmpg_jsm_retries_total'); i++) {
          await c.query('SELECT count(*) FROM ServiceDesks').catch(() => undefined);
        }
      });
    } finally {
      await setFaults({ errorRate: 0 });
    }
    const after = await scrape();
    expect(after.value('jsmpg_jsm_retries_total', { endpoint: '/rest/servicedeskapi/servicedesk' })).toBeGreaterThan(before.value('jsmpg_jsm_retries_total'));
    const failed = after.series('jsmpg_jsm_api_calls_total').filter((l) => l.status === '500' || l.status === '503');
    expect(failed.length).toBeGreaterThan(0);
  });

  it('keeps secrets, ids and query strings out of every label', async () => {
    const { text, series } = await scrape();
    for (const secret of ['agent-token', 'agent@example.com', 'demo']) expect(text).not.toContain(secret);
    const endpoints = [...new Set([...series('jsmpg_jsm_api_calls_total'), ...series('jsmpg_jsm_retries_total')].map((l) => l.endpoint!))];
    expect(endpoints.length).toBeGreaterThan(0);
    for (const e of endpoints) {
      const segments = e.split('/').slice(1);
      // resource names, {id}, and the API version of /rest/<api>/<version>
      segments.forEach((s, i) => expect(/^[a-z][a-z_-]*$/.test(s) || s === '{id}' || (i === 2 && /^\d+$/.test(s)), e).toBe(true));
    }
  });

  it('answers 404 to anything but GET /metrics', async () => {
    const base = `http://127.0.0.1:${stack.gateway.metricsPort}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/x`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${base}/metrics?name=x`)).status).toBe(200);
  });
});
