/**
 * Issue 14, finding 3: a session slot is taken only once a client has authenticated; connections
 * still logging in are bounded separately and closed when they take too long; an address that keeps
 * failing to log in is refused for a while.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { cstr, int32, RawClient, startupPacket } from './helpers/raw-client.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({
    argv: ['--max-sessions', '2', '--max-handshakes', '6', '--auth-failure-limit', '3', '--auth-failure-window', '600'],
  });
});
afterAll(async () => stack?.close());

const startup = () => startupPacket(Buffer.concat([int32(196608), cstr('user'), cstr('demo'), cstr('database'), cstr('jsm'), Buffer.from([0])]));

/** Sockets that sent a startup packet and stopped there, as in the report (20 of them locked out everyone). */
async function stalledLogins(n: number, port = stack.port): Promise<RawClient[]> {
  return Promise.all(Array.from({ length: n }, async () => {
    const c = await RawClient.connect(port);
    c.send(startup());
    await c.until((m) => m.some((x) => x.type === 'R' || x.type === 'E'));
    return c;
  }));
}

describe('login limits', () => {
  it('clients that stop after the startup packet take no session slot', async () => {
    const stalled = await stalledLogins(4);
    expect(stalled.every((c) => !c.error())).toBe(true);
    const clients = [new pg.Client(stack.url), new pg.Client(stack.url)];
    await Promise.all(clients.map((c) => c.connect()));
    expect((await clients[0]!.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    // the slots are the authenticated sessions': with both taken, a third is refused
    await expect(new pg.Client(stack.url).connect()).rejects.toMatchObject({ code: '53300', message: 'sorry, too many clients already' });
    await Promise.all(clients.map((c) => c.end()));
    expect(stalled.filter((c) => c.closed)).toEqual([]);
    for (const c of stalled) c.destroy();
  });

  it('beyond --max-sessions a new connection gets 53300 in answer to its startup packet, and the sessions keep working', async () => {
    const clients = [new pg.Client(stack.url), new pg.Client(stack.url)];
    await Promise.all(clients.map((c) => c.connect()));
    // refused at once: the answer to the startup packet is the error, with no password exchange first
    const extra = await RawClient.connect(stack.port);
    extra.send(startup());
    expect(await extra.closedWith()).toMatchObject({ S: 'FATAL', C: '53300', M: 'sorry, too many clients already' });
    expect(extra.messages().map((m) => m.type)).toEqual(['E']);
    // a client library sees the same, and the sessions that hold the slots are not disturbed
    await expect(new pg.Client(stack.url).connect()).rejects.toMatchObject({ code: '53300' });
    for (const c of clients) expect((await c.query('SELECT count(*)::int AS n FROM ServiceDesks')).rows[0].n).toBeGreaterThan(0);
    await clients[0]!.end();
    // a slot given back is free for the next one
    const next = new pg.Client(stack.url);
    await next.connect();
    expect((await next.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await Promise.all([clients[1]!.end(), next.end()]);
  });

  it('connections still logging in are bounded: beyond --max-handshakes a new one gets 53300 at once', async () => {
    const idle = await Promise.all(Array.from({ length: 6 }, () => RawClient.connect(stack.port)));
    const extra = await RawClient.connect(stack.port);
    expect(await extra.closedWith()).toMatchObject({ S: 'FATAL', C: '53300', M: 'sorry, too many connections are logging in at once' });
    for (const c of idle) c.destroy();
    await Promise.all(idle.map((c) => c.closedPromise));
    // the slots came back when those sockets closed
    const c = new pg.Client(stack.url);
    await c.connect();
    await c.end();
  });

  it('a connection that has not authenticated within --auth-timeout is closed with FATAL 08P01, at any step', async () => {
    // a gateway of its own: the others here keep the default timeout so that their stalled sockets stay open
    const quick = await startStack({ argv: ['--auth-timeout', '1', '--pool-size', '0'] });
    try {
      const silent = await RawClient.connect(quick.port);
      const [stalled] = await stalledLogins(1, quick.port);
      const partial = await RawClient.connect(quick.port);
      partial.send(startup().subarray(0, 10));
      for (const c of [silent, stalled!, partial]) {
        expect(await c.closedWith()).toMatchObject({ S: 'FATAL', C: '08P01', M: 'canceling authentication due to timeout' });
      }
    } finally {
      await quick.close();
    }
  });

  it('after --auth-failure-limit failed logins from one address, its logins are refused (53300), other addresses are not', async () => {
    const from = { localAddress: '127.0.0.2' };
    const failThreeTimes = async () => {
      for (let i = 0; i < 3; i++) {
        const c = await RawClient.connect(stack.port, from);
        await c.authenticate('demo', 'wrong');
        expect(await c.closedWith()).toMatchObject({ C: '28P01' });
      }
    };
    // a login already past its startup packet when the limit is reached is stopped at its proof
    const inFlight = await RawClient.connect(stack.port, from);
    await inFlight.authenticate('demo', 'demo', failThreeTimes);
    expect(await inFlight.closedWith()).toMatchObject({ S: 'FATAL', C: '53300' });
    // even the right password: the address is refused before its password is looked at
    const refused = await RawClient.connect(stack.port, from);
    await refused.authenticate('demo', 'demo');
    expect(await refused.closedWith()).toMatchObject({ S: 'FATAL', C: '53300', M: expect.stringMatching(/^too many failed login attempts from 127\.0\.0\.2; try again in \d+ s$/) });
    const other = await RawClient.login(stack.port, 'demo', 'demo', { localAddress: '127.0.0.1' });
    other.destroy();
  });
});
