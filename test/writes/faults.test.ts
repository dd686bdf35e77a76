import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSimCalls, startStack, type TestStack } from '../helpers/gateway.ts';

/**
 * Issue 11, "nothing claimed that failed": the simulator fails 10 % of writes (500, not applied)
 * and loses the response of 10 % more (applied, then the connection drops). A 200-row statement
 * must end in an error whose counts and sys_identity rows match the simulator's state exactly:
 * every row sys_identity calls SUCCESS is in JSM once, no row is there twice, and a row whose
 * answer was lost is reported unknown (comments: posting again could double it) or settled by
 * reading it back (participants: adding is idempotent, so the gateway can tell).
 */
type Entry = { parent: Record<string, string>; item: Record<string, any> };
type Call = { method: string; path: string; fault?: string };
let stack: TestStack;
let c: pg.Client;

const dataset = async (kind: string): Promise<Entry[]> => ((await (await fetch(`${stack.sim.url}/__sim/dataset`)).json()) as { entities: Record<string, Entry[]> }).entities[kind]!;
const writeCalls = async (): Promise<Call[]> => {
  const body = (await (await fetch(`${stack.sim.url}/__sim/calls`)).json()) as Call[] | { calls: Call[] };
  return (Array.isArray(body) ? body : body.calls).filter((x) => x.method !== 'GET');
};
const counts = (message: string) => {
  const m = /(\d+) of (\d+) rows applied, (\d+) failed(?:, (\d+) unknown)?/.exec(message);
  if (!m) throw new Error(`no counts in: ${message}`);
  return { applied: +m[1]!, total: +m[2]!, failed: +m[3]!, unknown: +(m[4] ?? 0) };
};

beforeAll(async () => {
  stack = await startStack();
  c = new pg.Client(stack.url);
  await c.connect();
});
afterAll(async () => {
  stack?.sim.setFaults({ writeErrorRate: 0, lostResponseRate: 0 });
  await c?.end();
  await stack?.close();
});

describe('writes under faults', () => {
  it('200 comments: what is claimed is there once, what failed is not, what was lost is reported unknown', async () => {
    const before = new Set((await dataset('request.comment')).map((e) => e.item.id));
    await clearSimCalls(stack.sim);
    stack.sim.setFaults({ writeErrorRate: 0.1, lostResponseRate: 0.1 });
    const err = await c
      .query("INSERT INTO RequestComments (RequestId, Body) SELECT (10001 + g % 50)::text, 'fault row ' || g FROM generate_series(1, 200) g")
      .then(() => undefined, (e: pg.DatabaseError) => e);
    stack.sim.setFaults({ writeErrorRate: 0, lostResponseRate: 0 });
    expect(err, 'with 20 % of writes failing, the statement cannot succeed').toBeDefined();
    const n = counts(err!.message);
    const calls = await writeCalls();
    const lost = calls.filter((x) => x.fault === 'lost-response').length;
    const refused = calls.filter((x) => x.fault === 'write-error').length;
    expect(calls.length).toBe(200); // nothing sent twice
    expect(lost).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(n).toEqual({ applied: 200 - lost - refused, total: 200, failed: 0, unknown: lost + refused });

    const batch = /Batch = '(\d+)'/.exec(err!.hint!)![1];
    const identity = (await c.query('SELECT Id, Operation, Message FROM sys_identity WHERE Batch = $1', [batch])).rows;
    expect(identity.length).toBe(200);
    const claimed = identity.filter((r) => r.message === 'SUCCESS');
    expect(claimed.length).toBe(n.applied);
    expect(identity.filter((r) => r.message.startsWith('UNKNOWN')).length).toBe(n.unknown);

    const added = (await dataset('request.comment')).filter((e) => !before.has(e.item.id)).map((e) => e.item);
    const bodies = added.map((a) => a.body);
    expect(new Set(bodies).size, 'no comment twice').toBe(bodies.length);
    expect(added.length, 'JSM holds the claimed rows and the lost answers, nothing else').toBe(n.applied + lost);
    expect(claimed.map((r) => r.id).sort()).toEqual(added.filter((a) => claimed.some((r) => r.id === a.id)).map((a) => a.id).sort());
  });

  it('participants: a lost answer is settled by reading the participants back, so every row is known', async () => {
    const customers = (await c.query("SELECT AccountId FROM Customers WHERE ServiceDeskId = '1' ORDER BY AccountId LIMIT 4")).rows.map((r) => r.accountid);
    // JSM never adds a request's reporter as its participant
    const requests = (await c.query("SELECT RequestId FROM Requests WHERE ServiceDeskId = '1' AND ReporterAccountId <> ALL($1) ORDER BY RequestId LIMIT 10", [customers])).rows.map((r) => r.requestid);
    const key = (e: { requestId: string; accountId: string }) => `${e.requestId}/${e.accountId}`;
    const present = async () => new Set((await dataset('request.participant')).map((e) => key({ requestId: e.parent.requestId!, accountId: e.item.accountId })));
    const before = await present();
    const wanted = requests.flatMap((r) => customers.map((a) => ({ requestId: r, accountId: a }))).filter((p) => !before.has(key(p)));
    await clearSimCalls(stack.sim);
    stack.sim.setFaults({ lostResponseRate: 0.3 });
    const result = await c
      .query('INSERT INTO RequestParticipants (RequestId, AccountId) SELECT r, a FROM unnest($1::text[]) r, unnest($2::text[]) a', [requests, customers])
      .then((r) => ({ rowCount: r.rowCount, message: '' }), (e: pg.DatabaseError) => ({ rowCount: null, message: `${e.message} ${e.detail}` }));
    stack.sim.setFaults({ lostResponseRate: 0 });
    const lost = (await writeCalls()).filter((x) => x.fault === 'lost-response').length;
    expect(lost).toBeGreaterThan(0);
    // every lost answer was read back: the statement succeeded, and says so for every row
    expect(result).toEqual({ rowCount: requests.length * customers.length, message: '' });
    const after = await present();
    expect(wanted.every((p) => after.has(key(p)))).toBe(true);
    expect(after.size).toBe(before.size + wanted.length);
  });
});
