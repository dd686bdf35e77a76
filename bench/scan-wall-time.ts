/**
 * Wall time of a full scan of 10,000 requests (simulator scale large, 50 ms per API call, cache
 * bypassed) against the ideal: pages ÷ concurrency × latency, where pages = rows ÷ page size (the
 * gateway's PageSize capped by the API's maximum) and concurrency = MaxConcurrency. A direct
 * client that knows the row count (every page requested at once, same concurrency, no SQL engine)
 * is timed too: what the simulator itself allows on this machine.
 * Run: node --import tsx bench/scan-wall-time.ts [MaxConcurrency] [PageSize]   (defaults: the properties' defaults)
 */
import pg from 'pg';
import { defaultConnectionProperties } from '../src/config/registry.ts';
import { SIM_IDENTITIES } from '../src/simulator/index.ts';
import { MAX_LIMIT } from '../src/simulator/paging.ts';
import { clearSimCalls, simCalls, startStack } from '../test/helpers/gateway.ts';

const defaults = defaultConnectionProperties();
const concurrency = Number(process.argv[2] ?? defaults.MaxConcurrency);
const pageSize = Math.min(Number(process.argv[3] ?? defaults.PageSize), MAX_LIMIT.requests);
const LATENCY_MS = 50;

const stack = await startStack({ scale: 'large', connection: `MaxConcurrency=${concurrency};PageSize=${pageSize};Timeout=600` });
const client = new pg.Client(stack.url);
await client.connect();
await client.query("SET jsm.cache = 'bypass'");
await client.query('SELECT count(*) FROM ServiceDesks'); // warm the session before timing
const put = await fetch(`${stack.sim.url}/__sim/faults`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ latencyMs: LATENCY_MS }),
});
if (!put.ok) throw new Error(`PUT /__sim/faults answered ${put.status}`);

/** Every page of the listing, `concurrency` requests in flight, the offsets known in advance. */
async function directScan(rows: number): Promise<number> {
  const auth = `Basic ${Buffer.from(`${SIM_IDENTITIES.agent.email}:${SIM_IDENTITIES.agent.apiToken}`).toString('base64')}`;
  const starts = Array.from({ length: Math.ceil(rows / pageSize) }, (_, i) => i * pageSize);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let start = starts.shift(); start !== undefined; start = starts.shift()) {
      const res = await fetch(`${stack.sim.url}/rest/servicedeskapi/request?requestOwnership=ALL_REQUESTS&start=${start}&limit=${pageSize}`, { headers: { authorization: auth } });
      if (!res.ok) throw new Error(`direct scan: ${res.status}`);
      await res.arrayBuffer();
    }
  }));
  return (performance.now() - t0) / 1000;
}
const ROWS = 10_000;
const ideal = (Math.ceil(ROWS / pageSize) / concurrency) * (LATENCY_MS / 1000);
const line = (name: string, rows: number, calls: number, wall: number, direct: number) =>
  console.log(`${name.padEnd(30)} | ${String(rows).padStart(5)} | ${String(calls).padStart(5)} | ${wall.toFixed(2).padStart(6)} | ${ideal.toFixed(2).padStart(7)} | ${(wall / ideal).toFixed(2).padStart(10)} | ${(wall / direct).toFixed(2).padStart(11)}`);

console.log(`full scan of Requests, scale large, ${LATENCY_MS} ms per call, MaxConcurrency ${concurrency}, PageSize ${pageSize}, cache bypassed`);
console.log('statement                      | rows  | calls | wall s | ideal s | wall/ideal | wall/direct');
const direct = Math.min(await directScan(ROWS), await directScan(ROWS)); // the better of two: the machine may be busy
line('direct client (no gateway)', ROWS, Math.ceil(ROWS / pageSize), direct, direct);
// The first scan does not know the listing's length (it ramps up, asking for at most a fifth of the
// pages in vain); the second does (every page asked for at once, as the direct client does).
for (const sql of ['SELECT count(*) FROM Requests', 'SELECT * FROM Requests']) {
  await clearSimCalls(stack.sim);
  const t0 = performance.now();
  const res = await client.query(sql);
  const wall = (performance.now() - t0) / 1000;
  const rows = sql.includes('count(*)') ? Number(res.rows[0].count) : res.rowCount ?? 0;
  const calls = (await simCalls(stack.sim)).filter((c) => c.path.startsWith('/rest/')).length;
  line(sql, rows, calls, wall, direct);
}
await client.end();
await stack.close();
