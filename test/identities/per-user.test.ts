import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUserToFile, UserStore } from '../../src/auth/index.ts';
import { runUserCommand } from '../../src/cli/user-command.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startGateway, type RunningGateway } from '../../src/server/gateway.ts';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';

/**
 * Issue 12 item 6: each gateway user reads JSM as themselves. Two gateway users, one mapped to the
 * simulator's agent and one to its customer, run the same queries through one gateway: each gets
 * what JSM lets that identity see, and no row, cached result, queue view or error text of one
 * reaches the other (canary values in the agent's data must never show up in the customer's).
 */
let sim: RunningSimulator;
let gateway: RunningGateway;
let dir: string;
const logLines: string[] = [];
const { agent, customer } = SIM_IDENTITIES;
const QUEUE_VIEWS = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'jsm' AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') LIKE 'The requests in queue%'";

const url = (user: string) => `postgresql://${user}:pw-${user}@127.0.0.1:${gateway.port}/jsm`;
async function as<T>(user: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(url(user));
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 'small', seed: 1 });
  dir = await mkdtemp(join(tmpdir(), 'jsm-pg-identities-'));
  const users = join(dir, 'users.json');
  // the gateway's own identity is the agent; alice is the agent too (her own token), bob the customer
  await addUserToFile(users, 'gw', 'pw-gw');
  await addUserToFile(users, 'alice', 'pw-alice', `AuthScheme=APIToken;User=${agent.email};APIToken=${agent.apiToken}`);
  await addUserToFile(users, 'bob', 'pw-bob', `AuthScheme=APIToken;User=${customer.email};APIToken=${customer.apiToken}`);
  const config = loadConfig({ argv: ['--port', '0', '--pool-size', '2', '--connection', `AuthScheme=APIToken;URL=${sim.url};User=${agent.email};APIToken=${agent.apiToken}`], env: {} });
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  gateway = await startGateway({ config, users: await UserStore.fromFile(users), logger: pino({ level: 'trace' }, sink) });
});
afterAll(async () => {
  await gateway?.close();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('each gateway user as their own JSM identity', () => {
  it('the agent and the customer get different rows for the same query', async () => {
    const q = 'SELECT RequestKey FROM Requests ORDER BY RequestKey';
    const agentRows = (await as('alice', (c) => c.query(q))).rows.map((r) => r.requestkey);
    const customerRows = (await as('bob', (c) => c.query(q))).rows.map((r) => r.requestkey);
    const gatewayRows = (await as('gw', (c) => c.query(q))).rows.map((r) => r.requestkey);
    expect(customerRows.length).toBeGreaterThan(0);
    expect(agentRows.length).toBeGreaterThan(customerRows.length);
    expect(customerRows.every((k) => agentRows.includes(k))).toBe(true);
    expect(gatewayRows).toEqual(agentRows);
    const calls = (await (await fetch(`${sim.url}/__sim/calls`)).json()) as { path: string; identity?: { accountId: string } }[] | { calls: { path: string; identity?: { accountId: string } }[] };
    const list = Array.isArray(calls) ? calls : calls.calls;
    expect(list.some((x) => x.path === '/rest/servicedeskapi/request' && x.identity?.accountId === customer.accountId)).toBe(true);
  });

  it('nothing of the agent reaches the customer: rows, cache, queue views, errors', async () => {
    // the agent reads an internal comment (a canary the customer must never see), which is cached for the agent
    const canary = `canary-${Date.now()}`;
    const requestId = (await as('bob', (c) => c.query('SELECT RequestId FROM Requests ORDER BY RequestId LIMIT 1'))).rows[0].requestid;
    await as('alice', async (c) => {
      await c.query('INSERT INTO RequestComments (RequestId, Body, Public) VALUES ($1, $2, false)', [requestId, canary]);
      expect((await c.query('SELECT Body FROM RequestComments WHERE RequestId = $1', [requestId])).rows.map((r) => r.body)).toContain(canary);
    });
    await as('bob', async (c) => {
      const bodies = (await c.query('SELECT Body FROM RequestComments WHERE RequestId = $1', [requestId])).rows.map((r) => r.body);
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies).not.toContain(canary);
      // the agent's queues (an agent-only list) are not views in the customer's session
      const queues = await c.query(QUEUE_VIEWS);
      expect(queues.rows).toEqual([]);
      // the customer's sys_connection_props are the customer's, with the token masked
      const props = await c.query("SELECT Name, Value FROM sys_connection_props WHERE Name IN ('User', 'APIToken')");
      const byName = Object.fromEntries(props.rows.map((r) => [r.name, r.value]));
      expect(byName.User).toBe(customer.email);
      expect(byName.APIToken).not.toContain(customer.apiToken);
      const err = await c.query("UPDATE RequestApprovals SET FinalDecision = 'approve' WHERE RequestId = $1", [requestId]).then(() => undefined, (e: Error) => e);
      expect(String(err?.message ?? '')).not.toContain(agent.email);
      const identity = await c.query('SELECT Message FROM sys_identity');
      expect(JSON.stringify(identity.rows)).not.toContain(canary);
    });
    await as('alice', async (c) => {
      const queues = await c.query(QUEUE_VIEWS);
      expect(queues.rows.length).toBeGreaterThan(0);
    });
    const log = logLines.join('');
    for (const secret of [agent.apiToken, customer.apiToken, 'pw-alice', 'pw-bob']) expect(log).not.toContain(secret);
  });

  it('`user add --connection-env` stores a connection read from the environment, never from argv', async () => {
    const users = join(dir, 'cli-users.json');
    const out: string[] = [];
    const io = {
      cwd: dir,
      env: { ALICE_JSM: `User=${agent.email};APIToken=${agent.apiToken}` },
      stdin: Object.assign(new (await import('node:stream')).PassThrough(), { isTTY: false }),
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
    };
    io.stdin.end('secret-pw\n');
    expect(await runUserCommand(['add', 'carol', '--users-file', users, '--connection-env', 'ALICE_JSM'], io as never)).toBe(0);
    const file = JSON.parse(await readFile(users, 'utf8'));
    expect(file.users.carol.connection).toBe(`User=${agent.email};APIToken=${agent.apiToken}`);
    await expect(runUserCommand(['add', 'dave', '--users-file', users, '--connection', 'User=x;APIToken=y'], io as never)).rejects.toThrow(/never accepted on the command line/);
  });
});
