/**
 * Issue 14, findings 1, 2 and 6: what a hostile or confused client sends is refused by the protocol
 * front (08P01 or 54000 and close, as PostgreSQL does) before the session or the engine sees it,
 * without buffering what it may not read, and without disturbing other sessions.
 */
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { CANCEL_REQUEST, cstr, int16, int32, msg, query, RawClient, startupMessage, startupPacket } from './helpers/raw-client.ts';

let stack: TestStack;
/** A session opened before the attacks, used after them. */
let bystander: pg.Client;
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);

beforeAll(async () => {
  process.on('warning', onWarning);
  stack = await startStack({ argv: ['--max-sessions', '20'] });
});
afterAll(async () => {
  process.off('warning', onWarning);
  await bystander?.end();
  await stack?.close();
});

const MB = 1024 * 1024;
const rss = () => process.memoryUsage().rss;

/** Logs in, sends `bytes`, and returns what the gateway answered before closing the connection. */
async function afterLogin(bytes: Buffer): Promise<Record<string, string> | undefined> {
  const c = await RawClient.login(stack.port);
  c.send(bytes);
  return c.closedWith();
}

async function selectOneOnFreshConnection(): Promise<number> {
  const c = new pg.Client(stack.url);
  await c.connect();
  try {
    return (await c.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await c.end();
  }
}

describe('length limits are enforced while reading (finding 2)', () => {
  // First in the file: no session has been opened yet, so no engine is being started while RSS is measured.
  it('a startup packet claiming 2^31-1 bytes is refused from its first four bytes; 50 MB streamed after it are not kept', async () => {
    const c = await RawClient.connect(stack.port);
    const before = rss();
    c.send(int32(2 ** 31 - 1));
    const sent = await c.stream(50 * MB);
    const err = await c.closedWith();
    const grown = rss() - before;
    console.log(`startup length 2^31-1: streamed ${(sent / MB).toFixed(1)} MB, RSS grew ${(grown / MB).toFixed(1)} MB`);
    expect(err).toMatchObject({ S: 'FATAL', C: '08P01', M: 'invalid length of startup packet' });
    expect(grown).toBeLessThan(20 * MB);
  });

  it('a Query claiming 1 GiB after login is refused with 54000 before its body is read; 50 MB streamed after it are not kept', async () => {
    const c = await RawClient.login(stack.port);
    // the first statement of a session waits for the pool to replace the engine it took: measure after that
    c.send(query('SELECT 1'));
    await c.until((m) => m.some((x) => x.type === 'Z'));
    c.received = Buffer.alloc(0);
    const before = rss();
    c.send(msg('Q', Buffer.alloc(0), 2 ** 30));
    const sent = await c.stream(50 * MB);
    const err = await c.closedWith();
    const grown = rss() - before;
    console.log(`Query length 1 GiB: streamed ${(sent / MB).toFixed(1)} MB, RSS grew ${(grown / MB).toFixed(1)} MB`);
    expect(err).toMatchObject({ S: 'FATAL', C: '54000', M: expect.stringMatching(/exceeds the gateway's limit of 67108864 bytes/) });
    expect(grown).toBeLessThan(20 * MB);
  });

  it('declared lengths below the minimum are 08P01: negative, 0, 3 and 4 (7) before login', async () => {
    for (const length of [-1, -(2 ** 31), 0, 3, 4, 7]) {
      const c = await RawClient.connect(stack.port);
      c.send(startupPacket(Buffer.alloc(Math.max(0, Math.min(length, 16) - 4)), length));
      expect(await c.closedWith(), `length ${length}`).toMatchObject({ S: 'FATAL', C: '08P01' });
    }
  });

  it('declared lengths -1, 0 and 3 after login are 08P01; a Query of length 4 (no text) is malformed, also 08P01', async () => {
    bystander = new pg.Client(stack.url);
    await bystander.connect();
    const answers = await Promise.all([
      afterLogin(msg('Q', Buffer.alloc(0), -1)),
      afterLogin(msg('Q', Buffer.alloc(0), 0)),
      afterLogin(msg('S', Buffer.alloc(0), 3)),
      afterLogin(msg('Q', Buffer.alloc(0), 4)),
    ]);
    expect(answers.slice(0, 3)).toEqual(Array(3).fill(expect.objectContaining({ S: 'FATAL', C: '08P01', M: 'invalid message length' })));
    expect(answers[3]).toMatchObject({ S: 'FATAL', C: '08P01', M: 'invalid Query message format' });
  });
});

describe('message types per state (finding 1)', () => {
  it('an unknown message type after login is FATAL 08P01; the process stays responsive and other sessions work', async () => {
    // the exact bytes of the report, then the other types it named
    const attacks = [Buffer.from('7a00000007616263', 'hex'), ...[0x70, 0x41, 0x56, 0x00, 0xff].map((t) => msg(t, Buffer.from('abc')))];
    const answers = await Promise.all(attacks.map((a) => afterLogin(a)));
    for (const [i, a] of answers.entries()) expect(a, attacks[i]!.toString('hex')).toMatchObject({ S: 'FATAL', C: '08P01', M: expect.stringMatching(/^invalid frontend message type/) });
    expect(answers[0]!.M).toBe('invalid frontend message type "z"');
    expect((await bystander.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(await selectOneOnFreshConnection()).toBe(1);
  });

  it('messages of the SASL exchange are refused after login, and ordinary messages during it', async () => {
    expect(await afterLogin(msg('p', Buffer.from('n,,n=,r=abc')))).toMatchObject({ C: '08P01' });
    const c = await RawClient.connect(stack.port);
    await c.authenticate('demo', 'wrong').catch(() => undefined);
    const early = await RawClient.connect(stack.port);
    early.send(startupPacket(Buffer.concat([int32(196608), cstr('user'), cstr('demo'), Buffer.from([0])])));
    await early.until((m) => m.some((x) => x.type === 'R'));
    early.send(query('SELECT 1'));
    expect(await early.closedWith()).toMatchObject({ S: 'FATAL', C: '08P01', M: 'expected SASL response, got message type "Q"' });
    c.destroy();
  });
});

describe('malformed bodies and short packets close with 08P01, never an exception (finding 6)', () => {
  it('an impossible Bind and an unterminated Query string', async () => {
    const bind = msg('B', Buffer.concat([cstr(''), cstr(''), int16(30000)]));
    const [b, q] = await Promise.all([afterLogin(Buffer.concat([bind, msg('S')])), afterLogin(msg('Q', Buffer.from('SELECT 1')))]);
    expect(b).toMatchObject({ S: 'FATAL', C: '08P01', M: 'invalid Bind message format' });
    expect(q).toMatchObject({ S: 'FATAL', C: '08P01', M: 'invalid Query message format' });
    expect(await selectOneOnFreshConnection()).toBe(1);
  });

  it('a short CancelRequest is 08P01; a well-formed one with an unknown key is closed without an answer', async () => {
    const short = await RawClient.connect(stack.port);
    short.send(startupPacket(Buffer.concat([int32(CANCEL_REQUEST), int32(1234)])));
    expect(await short.closedWith()).toMatchObject({ S: 'FATAL', C: '08P01', M: 'invalid CancelRequest message format' });
    const unknown = await RawClient.connect(stack.port);
    unknown.send(startupPacket(Buffer.concat([int32(CANCEL_REQUEST), int32(1234), int32(5678)])));
    await unknown.closedPromise;
    expect(unknown.received).toHaveLength(0);
  });
});

describe('bytes that are not PostgreSQL are dropped at once, without an answer (finding 2)', () => {
  const foreign: Record<string, Buffer> = {
    'an HTTP request': Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'),
    'a TLS ClientHello without SSLRequest': Buffer.from('1603010200010001fc0303', 'hex'),
    'an SSH client': Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'),
  };
  for (const [name, bytes] of Object.entries(foreign)) {
    it(name, async () => {
      const c = await RawClient.connect(stack.port);
      c.send(bytes);
      await c.closedPromise;
      expect(c.received).toHaveLength(0);
    });
  }

  it('random bytes that could be a length are refused when the rest does not make a startup packet', async () => {
    const c = await RawClient.connect(stack.port);
    c.send(Buffer.from('0000001012345678deadbeefcafef00d', 'hex'));
    expect(await c.closedWith()).toMatchObject({ S: 'FATAL', C: '08P01', M: expect.stringMatching(/unsupported frontend protocol/) });
  });
});

describe('under load', () => {
  it('stalled handshakes, concurrent logins, pipelined queries and a slow reader raise no MaxListenersExceededWarning', async () => {
    const stalled = await Promise.all(Array.from({ length: 60 }, async () => {
      const c = await RawClient.connect(stack.port);
      c.send(startupMessage({ user: 'demo', database: 'jsm' }));
      c.send(msg('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(12), Buffer.from('n,,n=,r=abcd')])));
      return c;
    }));
    // a client that stops reading while a large result is written to it: the gateway waits for the socket to drain
    const slow = await RawClient.login(stack.port);
    slow.socket.pause();
    slow.send(query("SELECT repeat('x', 1000) FROM generate_series(1, 20000)"));
    const pools = Array.from({ length: 4 }, () => postgres(stack.url, { max: 1 }));
    const results = await Promise.all(pools.flatMap((sql) => Array.from({ length: 10 }, (_, i) => sql`SELECT ${i}::int AS i, repeat('y', 100000) AS pad`)));
    expect(results.map((r) => r[0]!.i)).toEqual(Array.from({ length: 40 }, (_, i) => i % 10));
    slow.socket.resume();
    await slow.until((ms) => ms.some((m) => m.type === 'Z'));
    expect(slow.messages().filter((m) => m.type === 'D')).toHaveLength(20000);
    await Promise.all(pools.map((sql) => sql.end()));
    for (const c of [...stalled, slow]) c.destroy();
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });
});
