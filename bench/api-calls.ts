/**
 * API calls the gateway makes for a fixed set of queries, against the fewest a hand-written client
 * needs for the same rows (from the simulator's call log, cache bypassed). Prints per query and total.
 * Run: node --import tsx bench/api-calls.ts [small|medium|large]   (default medium)
 */
import pg from 'pg';
import type { SimDataset, SimScale } from '../src/simulator/index.ts';
import { MAX_LIMIT } from '../src/simulator/paging.ts';
import { clearSimCalls, simCalls, startStack } from '../test/helpers/gateway.ts';

const scale = (process.argv[2] ?? 'medium') as SimScale;
const stack = await startStack({ scale });
const dataset = (await (await fetch(`${stack.sim.url}/__sim/dataset`)).json()) as SimDataset;

const pages = (rows: number, max: number) => Math.max(1, Math.ceil(rows / max));
/** Calls for the children after a parent's inline page: the rest in pages of the child endpoint's maximum. */
const followUps = (children: number, inline: number, max: number) => (children > inline ? Math.ceil((children - inline) / max) : 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const requests = dataset.entities.request.map((e) => e.item as { issueId: string; serviceDeskId: string });
const commentsOf = new Map<string, number>();
for (const e of dataset.entities['request.comment']) commentsOf.set(e.parent.requestId, (commentsOf.get(e.parent.requestId) ?? 0) + 1);
function childrenOf(kind: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of (dataset.entities as unknown as Record<string, { parent: { requestId: string } }[]>)[kind] ?? []) m.set(e.parent.requestId, (m.get(e.parent.requestId) ?? 0) + 1);
  return m;
}
const desk = '1';
const deskRequests = requests.filter((r) => r.serviceDeskId === desk);
const withComments = deskRequests.find((r) => (commentsOf.get(r.issueId) ?? 0) > 0)!.issueId;
// every other request among IDs that do not exist: more values than the per-statement cap allows calls
const inList = [...requests.filter((_, i) => i % 2 === 0).map((r) => r.issueId), ...Array.from({ length: 5000 }, (_, i) => String(900_000 + i))].slice(0, 5000);

/** Each query with the fewest calls a client written by hand for exactly these rows needs, and why. */
const QUERIES: { name: string; sql: string; minimum: number; why: string }[] = [
  {
    name: 'by key',
    sql: `SELECT * FROM Requests WHERE RequestId = '${withComments}'`,
    minimum: 1,
    why: 'one GET /request/{id} with expand=participant',
  },
  {
    name: 'by desk',
    sql: `SELECT * FROM Requests WHERE ServiceDeskId = '${desk}'`,
    minimum: pages(deskRequests.length, MAX_LIMIT.requests),
    why: `${deskRequests.length} requests of desk ${desk} in pages of ${MAX_LIMIT.requests} (the API's maximum limit)`,
  },
  {
    name: 'child by parent key',
    sql: `SELECT * FROM RequestComments WHERE RequestId = '${withComments}'`,
    minimum: pages(commentsOf.get(withComments)!, MAX_LIMIT.comments) + 1,
    why: `${commentsOf.get(withComments)} comments in pages of ${MAX_LIMIT.comments}, plus one GET of the request for RequestKey (comments do not carry it)`,
  },
  ...['comment', 'participant', 'sla', 'status'].map((child) => {
    const table = { comment: 'RequestComments', participant: 'RequestParticipants', sla: 'RequestSLACycles', status: 'RequestStatusChangelog' }[child]!;
    const inline = { comment: MAX_LIMIT.comments, participant: MAX_LIMIT.participants, sla: MAX_LIMIT.general, status: MAX_LIMIT.requestStatus }[child]!;
    const counts = deskRequests.map((r) => childrenOf(`request.${child}`).get(r.issueId) ?? 0);
    const longer = counts.filter((n) => n > inline).length;
    return {
      name: `join ${table} by desk`,
      sql: `SELECT r.RequestKey, c.* FROM Requests r JOIN ${table} c ON c.RequestId = r.RequestId WHERE r.ServiceDeskId = '${desk}'`,
      minimum: pages(deskRequests.length, MAX_LIMIT.requests) + sum(counts.map((n) => followUps(n, inline, inline))),
      why: `the desk's requests with expand=${child} (first ${inline} inline), plus the rest of the ${longer} with more in pages of ${inline}`,
    };
  }),
  {
    name: 'unfiltered child count',
    sql: 'SELECT count(*) FROM RequestComments',
    minimum: pages(requests.length, MAX_LIMIT.requests) + sum(requests.map((r) => followUps(commentsOf.get(r.issueId) ?? 0, MAX_LIMIT.comments, MAX_LIMIT.comments))),
    why: `every request with expand=comment, plus the rest of the ${requests.filter((r) => (commentsOf.get(r.issueId) ?? 0) > MAX_LIMIT.comments).length} with more than ${MAX_LIMIT.comments} in pages of ${MAX_LIMIT.comments}`,
  },
  {
    name: 'LIMIT 5',
    sql: 'SELECT * FROM Requests LIMIT 5',
    minimum: 1,
    why: 'one page with limit=5',
  },
  {
    name: 'IN list of 5,000 RequestIds',
    sql: `SELECT * FROM Requests WHERE RequestId IN (${inList.map((id) => `'${id}'`).join(', ')})`,
    minimum: Math.min(inList.length, pages(requests.length, MAX_LIMIT.requests)),
    why: `the fewer of one GET per value and every request in pages of ${MAX_LIMIT.requests}, filtered locally`,
  },
  {
    name: 'unfiltered scan',
    sql: 'SELECT * FROM Requests',
    minimum: pages(requests.length, MAX_LIMIT.requests),
    why: `${requests.length} requests in pages of ${MAX_LIMIT.requests}`,
  },
];

const client = new pg.Client(stack.url);
await client.connect();
await client.query("SET jsm.cache = 'bypass'");
await client.query('SELECT count(*) FROM ServiceDesks'); // warm the session

console.log(`API calls per query, simulator scale ${scale} (${requests.length} requests), cache bypassed`);
console.log('query                        | gateway | minimum | ratio | minimum because');
let gatewayTotal = 0;
let minimumTotal = 0;
for (const q of QUERIES) {
  await clearSimCalls(stack.sim);
  await client.query(q.sql);
  const calls = (await simCalls(stack.sim)).filter((c) => c.path.startsWith('/rest/')).length;
  gatewayTotal += calls;
  minimumTotal += q.minimum;
  console.log(`${q.name.padEnd(28)} | ${String(calls).padStart(7)} | ${String(q.minimum).padStart(7)} | ${(calls / q.minimum).toFixed(2).padStart(5)} | ${q.why}`);
}
console.log(`${'total'.padEnd(28)} | ${String(gatewayTotal).padStart(7)} | ${String(minimumTotal).padStart(7)} | ${(gatewayTotal / minimumTotal).toFixed(2).padStart(5)} |`);
await client.end();
await stack.close();
