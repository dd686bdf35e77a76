import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressText } from '../../src/session/progress.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ scale: 'medium' });
});
afterAll(async () => stack?.close());

describe('EXPLAIN', () => {
  it('shows the API calls beside the plan without calling the API', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    await fetch(`${stack.sim.url}/__sim/calls`, { method: 'DELETE' });
    const r = await c.query("EXPLAIN SELECT * FROM Requests WHERE ServiceDeskId = '1' AND Summary LIKE 'A%' LIMIT 3");
    const text = r.rows.map((x) => x['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Seq Scan/);
    expect(text).toMatch(/GET \/rest\/servicedeskapi\/request/);
    expect(text).toMatch(/Pushed: servicedeskid = '1'/);
    expect(text).toMatch(/Left to the engine: summary ~~ 'A%'/);
    expect(text).not.toMatch(/Pushed LIMIT/); // a qual stays local, so LIMIT is not pushed
    const calls = (await (await fetch(`${stack.sim.url}/__sim/calls`)).json()) as unknown[];
    expect(calls).toHaveLength(0);
    const byKey = await c.query("EXPLAIN SELECT * FROM Requests WHERE RequestId IN ('10001', '10002')");
    const keyText = byKey.rows.map((x) => x['QUERY PLAN']).join('\n');
    expect(keyText).toMatch(/GET \/rest\/servicedeskapi\/request\/\{issueIdOrKey\} \(2 call/);
    await c.end();
  });
});

describe('progress', () => {
  it('sends NOTICE progress during a scan slower than a few seconds', async () => {
    await fetch(`${stack.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 1000 }), headers: { 'content-type': 'application/json' } });
    const c = new pg.Client(stack.url);
    const notices: string[] = [];
    c.on('notice', (n) => notices.push(n.message ?? ''));
    await c.connect();
    await c.query("SET jsm.cache = 'bypass'; SET jsm.timeout = '0'");
    // sequential pages make the scan slow enough: one call per request fans out per key
    const ids = Array.from({ length: 40 }, (_, i) => `'${10001 + i}'`).join(',');
    const r = await c.query(`SELECT count(*)::int AS n FROM Requests WHERE RequestId IN (${ids})`);
    expect(r.rows[0].n).toBe(40);
    expect(notices.some((n) => /fetched \d+ rows? in \d+ pages? \(\d+ API calls?\)/.test(n))).toBe(true);
    await c.end();
    await fetch(`${stack.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 0 }), headers: { 'content-type': 'application/json' } });
  });
});

describe('progress text', () => {
  it('says "1 API call" and "45 pages"', () => {
    expect(progressText({ rows: 4500, pages: 45, calls: 1 })).toBe('jsm-pg: fetched 4500 rows in 45 pages (1 API call) so far');
    expect(progressText({ rows: 1, pages: 1, calls: 2 })).toBe('jsm-pg: fetched 1 row in 1 page (2 API calls) so far');
  });
});

describe('EXPLAIN ANALYZE', () => {
  it('keeps the API calls block and adds what the calls did', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    await c.query("SET jsm.cache = 'bypass'");
    const r = await c.query("EXPLAIN ANALYZE SELECT * FROM Requests WHERE ServiceDeskId = '1'");
    const text = r.rows.map((x) => x['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Execution Time/);
    expect(text).toMatch(/JSM API calls:\n\s+Requests: GET \/rest\/servicedeskapi\/request \(1 call, paged\)/);
    expect(text).toMatch(/Pushed: servicedeskid = '1'/);
    expect(text).toMatch(/Actual: \d+ API calls?, \d+ pages?, \d+ rows? in [\d.]+ ms/);
    const json = await c.query("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM Requests WHERE ServiceDeskId = '1'");
    expect(json.rows).toHaveLength(1); // one typed value: nothing appended
    await c.end();
  });
});

describe('views', () => {
  it('queue views and user views read JSM like the relations they are defined on', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    const views = await c.query("SELECT table_name FROM information_schema.views WHERE table_schema = 'jsm' AND table_name LIKE 'queue_test_%' ORDER BY 1");
    expect(views.rows.length).toBeGreaterThan(0);
    const queue = await c.query(`SELECT count(*)::int AS n FROM ${views.rows[0].table_name}`);
    expect(queue.rows[0].n).toBeGreaterThan(0);
    await c.query("CREATE VIEW my_open AS SELECT * FROM Requests WHERE CurrentStatusCategory <> 'DONE'");
    const viaView = await c.query("SELECT count(*)::int AS n FROM my_open WHERE ServiceDeskId = '1'");
    const direct = await c.query("SELECT count(*)::int AS n FROM Requests WHERE ServiceDeskId = '1' AND CurrentStatusCategory <> 'DONE'");
    expect(viaView.rows[0].n).toBe(direct.rows[0].n);
    expect(direct.rows[0].n).toBeGreaterThan(0);
    await c.end();
  });
});
