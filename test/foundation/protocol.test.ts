import net from 'node:net';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSimCalls, simCalls, startStack, type TestStack } from '../helpers/gateway.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ argv: ['--max-sessions', '3'] });
});
afterAll(async () => stack?.close());

describe('startup', () => {
  it('sends the full ParameterStatus set and BackendKeyData', async () => {
    const c = new pg.Client(stack.url);
    const statuses = new Map<string, string>();
    const con = (c as unknown as { connection: { on(e: string, f: (m: { parameterName: string; parameterValue: string; processID?: number }) => void): void } }).connection;
    con.on('parameterStatus', (m) => statuses.set(m.parameterName, m.parameterValue));
    let keyData = 0;
    con.on('backendKeyData', (m) => (keyData = m.processID ?? 0));
    await c.connect();
    for (const name of ['server_version', 'server_encoding', 'client_encoding', 'DateStyle', 'TimeZone', 'integer_datetimes', 'standard_conforming_strings', 'IntervalStyle', 'application_name', 'is_superuser'])
      expect(statuses.has(name), name).toBe(true);
    expect(statuses.get('client_encoding')).toBe('UTF8');
    expect(keyData).toBeGreaterThan(0);
    await c.end();
  });

  it('rejects a wrong password with 28P01', async () => {
    const c = new pg.Client(stack.url.replace('demo:demo', 'demo:nope'));
    await expect(c.connect()).rejects.toMatchObject({ code: '28P01' });
  });

  it('answers GSSENCRequest with N and then accepts a normal startup', async () => {
    const sock = net.connect(stack.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const req = Buffer.alloc(8);
    req.writeInt32BE(8);
    req.writeInt32BE(80877104, 4);
    sock.write(req);
    const answer = await new Promise<Buffer>((r) => sock.once('data', r));
    expect(answer.toString()).toBe('N');
    sock.destroy();
  });

  it('refuses sessions beyond the limit with 53300', async () => {
    const clients = [new pg.Client(stack.url), new pg.Client(stack.url), new pg.Client(stack.url)];
    await Promise.all(clients.map((c) => c.connect()));
    const extra = new pg.Client(stack.url);
    await expect(extra.connect()).rejects.toMatchObject({ code: '53300' });
    await Promise.all(clients.map((c) => c.end()));
  });
});

describe('simple and extended protocol', () => {
  it('node-postgres: parameters bound at Bind are pushed to the API', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    await clearSimCalls(stack.sim);
    const r = await c.query('SELECT requestid, requestkey FROM Requests WHERE RequestId = $1', ['10001']);
    expect(r.rows).toEqual([{ requestid: '10001', requestkey: 'TEST-1' }]);
    const calls = await simCalls(stack.sim);
    expect(calls.map((x) => x.path)).toContain('/rest/servicedeskapi/request/10001');
    expect(calls.some((x) => x.path === '/rest/servicedeskapi/request')).toBe(false);
    await c.end();
  });

  it('postgres.js: pipelined extended queries in one batch', async () => {
    const sql = postgres(stack.url, { max: 1 });
    const [a, b, d] = await Promise.all([
      sql`SELECT id FROM ServiceDesks WHERE id = ${'1'}`,
      sql`SELECT count(*)::int AS n FROM Requests WHERE ServiceDeskId = ${'2'}`,
      sql`SELECT 41 + ${1}::int AS answer`,
    ]);
    expect(a.map((r) => r.id)).toEqual(['1']);
    expect(b[0]!.n).toBeGreaterThan(0);
    expect(d[0]!.answer).toBe(42);
    await sql.end();
  });

  it('a multi-statement simple query loads what each statement reads', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    const res = (await c.query("SELECT count(*)::int AS d FROM ServiceDesks; SELECT count(*)::int AS r FROM Requests WHERE ServiceDeskId = '1'")) as unknown as pg.QueryResult[];
    expect(res[0]!.rows[0].d).toBeGreaterThan(0);
    expect(res[1]!.rows[0].r).toBeGreaterThan(0);
    await c.end();
  });
});

describe('SQL-level statements that read JSM', () => {
  it('PREPARE/EXECUTE and DECLARE ... WITH HOLD cursors see the fetched rows', async () => {
    const c = new pg.Client(stack.url);
    await c.connect();
    const direct = await c.query("SELECT count(*)::int AS n FROM Requests WHERE ServiceDeskId = '1'");
    await c.query('PREPARE by_desk(text) AS SELECT count(*)::int AS n FROM Requests WHERE ServiceDeskId = $1');
    expect((await c.query("EXECUTE by_desk('1')")).rows[0].n).toBe(direct.rows[0].n);
    await c.query('BEGIN READ ONLY');
    await c.query("DECLARE cur CURSOR WITH HOLD FOR SELECT RequestKey FROM Requests WHERE ServiceDeskId = '2' ORDER BY 1");
    const first = await c.query('FETCH 2 FROM cur');
    await c.query('COMMIT');
    const next = await c.query('FETCH 2 FROM cur');
    expect(first.rows).toHaveLength(2);
    expect(next.rows).toHaveLength(2);
    expect(next.rows[0].requestkey > first.rows[1].requestkey).toBe(true);
    await c.query('CLOSE cur');
    await c.end();
  });
});

describe('cancel and Timeout', () => {
  it('CancelRequest aborts the in-flight API calls', async () => {
    await fetch(`${stack.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 5000 }), headers: { 'content-type': 'application/json' } });
    const c = new pg.Client(stack.url);
    await c.connect();
    await c.query("SET jsm.cache = 'bypass'");
    await clearSimCalls(stack.sim);
    const q = c.query('SELECT count(*) FROM Requests');
    setTimeout(() => {
      const cancel = new pg.Client(stack.url);
      // node-postgres sends a CancelRequest on a fresh socket with the session's key data
      (cancel as unknown as { cancel(client: pg.Client, q: unknown): void }).cancel(c, (c as unknown as { activeQuery: unknown }).activeQuery);
    }, 300);
    await expect(q).rejects.toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
    // The cancel, not an answer, ended the query: the simulator had replied to none of its calls yet
    // (each waits 5 s; status 0 = no reply sent).
    const calls = (await simCalls(stack.sim)).filter((call) => call.path.startsWith('/rest/'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.map((call) => call.status)).toEqual(calls.map(() => 0));
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await c.end();
    await fetch(`${stack.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 0 }), headers: { 'content-type': 'application/json' } });
  });

  it('SET jsm.timeout stops a slow fetch with 57014', async () => {
    await fetch(`${stack.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 1500 }), headers: { 'content-type': 'application/json' } });
    const c = new pg.Client(stack.url);
    await c.connect();
    await c.query("SET jsm.cache = 'bypass'; SET jsm.timeout = '0.3'");
    await expect(c.query('SELECT count(*) FROM Requests')).rejects.toMatchObject({ code: '57014', message: expect.stringMatching(/Timeout/) });
    await c.end();
    await fetch(`${stack.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 0 }), headers: { 'content-type': 'application/json' } });
  });
});
