/**
 * A seeded fuzzer of the protocol front, shared by the reduced run in `npm test` and the full run in
 * bench/fuzz-protocol.ts. Cases are bytes sent in each connection state (before startup, during
 * SASL, after login): every type byte, lengths at the boundaries, valid messages split at every
 * byte, truncated bodies and random bytes. After each case the gateway must still serve a fresh
 * connection, and it may end a connection only with a protocol or limit error, never an internal one.
 */
import { CANCEL_REQUEST, cstr, errorFields, GSSENC_REQUEST, int16, int32, msg, PROTOCOL_3, query, RawClient, SSL_REQUEST, startupMessage, startupPacket, sync } from './raw-client.ts';
import { mulberry32 } from '../../../src/simulator/prng.ts';

export type FuzzState = 'startup' | 'auth' | 'ready';

export interface FuzzCase {
  readonly name: string;
  readonly state: FuzzState;
  /** Sent one after the other, with a pause between, so the gateway sees them arrive apart. */
  readonly writes: Buffer[];
  /** For valid input: the message type the gateway must answer with (the connection must stay usable). */
  readonly answer?: string;
  /** Cases of one group are the same input split differently: their answers must be the same. */
  readonly group?: string;
  /** Single-byte answers ('N') to SSLRequest/GSSENCRequest that come before any framed message. */
  readonly negotiations?: number;
}

export interface FuzzOptions {
  seed: number;
  /** The gateway's --max-message-size. */
  maxMessageSize: number;
  /** full: every type byte and every variant; otherwise a seeded sample sized for `npm test`. */
  full: boolean;
}

/** The simulator's seeded PRNG: one implementation for every seeded thing in the repository. */
export const prng = mulberry32;

/** SQLSTATEs with which the front may end a connection: protocol violation, limits, authentication. */
export const EXPECTED_CLOSE_CODES = new Set(['08P01', '54000', '28000', '28P01', '53300']);

const STARTUP = startupMessage({ user: 'demo', database: 'jsm' });
const SASL_INITIAL = (() => {
  const first = Buffer.from('n,,n=,r=fuzzfuzzfuzzfuzz');
  return msg('p', Buffer.concat([cstr('SCRAM-SHA-256'), int32(first.length), first]));
})();
// the unnamed statement, so that the same conversation can be repeated on one session
const PARSE = msg('P', Buffer.concat([cstr(''), cstr('SELECT $1::int + 1 AS n'), int16(1), int32(23)]));
const BIND = msg('B', Buffer.concat([cstr(''), cstr(''), int16(0), int16(1), int32(2), Buffer.from('41'), int16(0)]));
const DESCRIBE = msg('D', Buffer.concat([Buffer.from('P'), cstr('')]));
const EXECUTE = msg('E', Buffer.concat([cstr(''), int32(0)]));

/** One valid example of each message type allowed after login. */
const VALID_AFTER_LOGIN: Record<string, Buffer> = {
  Q: query('SELECT 1'), P: PARSE, B: BIND, D: DESCRIBE, E: EXECUTE,
  C: msg('C', Buffer.concat([Buffer.from('S'), cstr('')])), S: sync(), H: msg('H'), X: msg('X'),
  d: msg('d', Buffer.from('1\t2\n')), c: msg('c'), f: msg('f', cstr('fuzz')),
  F: msg('F', Buffer.concat([int32(0), int16(0), int16(0), int16(0)])),
};

const bytes = (rand: () => number, n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
/** `n` of `xs` chosen by the seed (all of them in a full run). */
const sample = <T>(rand: () => number, xs: readonly T[], n: number, full: boolean): T[] => {
  if (full || n >= xs.length) return [...xs];
  const pool = [...xs];
  return Array.from({ length: n }, () => pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
};
const hex = (t: number) => `0x${t.toString(16).padStart(2, '0')}`;
const splits = (m: Buffer) => Array.from({ length: m.length - 1 }, (_, i) => [m.subarray(0, i + 1), m.subarray(i + 1)]);
const withLength = (m: Buffer, length: number, bodyBytes: number) => Buffer.concat([Buffer.from([m[0]!]), int32(length), m.subarray(5, 5 + Math.max(0, bodyBytes))]);

/** Cases that need no session: the startup phase and the SASL exchange. */
export function frontCases(opts: FuzzOptions): FuzzCase[] {
  const rand = prng(opts.seed);
  const cases: FuzzCase[] = [];
  const add = (state: FuzzState, name: string, writes: Buffer[], answer?: string, negotiations = 0) => cases.push({ name, state, writes, answer, negotiations });

  // startup phase: every code a startup-phase packet may carry, and some it may not
  const codes: Record<string, number> = {
    'protocol 1.0': 1 << 16, 'protocol 2.0': 2 << 16, 'protocol 3.1': PROTOCOL_3 + 1, 'protocol 3.65535': PROTOCOL_3 + 0xffff, 'protocol 4.0': 4 << 16,
    'code 1234.5677': (1234 << 16) | 5677, 'code 0': 0, 'code -1': -1,
  };
  for (const [name, code] of Object.entries(codes)) add('startup', `startup ${name}`, [startupPacket(Buffer.concat([int32(code), cstr('user'), cstr('demo'), Buffer.from([0])]))]);
  for (const [name, code] of Object.entries({ SSLRequest: SSL_REQUEST, GSSENCRequest: GSSENC_REQUEST, CancelRequest: CANCEL_REQUEST })) {
    for (const extra of [0, 4, 8, 12]) {
      const negotiation = code !== CANCEL_REQUEST && extra === 0 ? 1 : 0;
      add('startup', `${name} with ${extra} bytes`, [startupPacket(Buffer.concat([int32(code), Buffer.alloc(extra)]))], undefined, negotiation);
    }
  }
  // (without TLS configured, as here, SSLRequest is answered N)
  add('startup', 'SSLRequest twice', [startupPacket(int32(SSL_REQUEST)), startupPacket(int32(SSL_REQUEST))], undefined, 1);
  add('startup', 'GSSENCRequest twice', [startupPacket(int32(GSSENC_REQUEST)), startupPacket(int32(GSSENC_REQUEST))], undefined, 1);
  add('startup', 'GSSENCRequest, SSLRequest, startup', [startupPacket(int32(GSSENC_REQUEST)), startupPacket(int32(SSL_REQUEST)), STARTUP], 'R', 2);
  add('startup', 'SSLRequest and startup in one write', [Buffer.concat([startupPacket(int32(SSL_REQUEST)), STARTUP])], 'R', 1);
  add('startup', 'startup without user', [startupMessage({ database: 'jsm' })]);
  add('startup', 'startup with _pq_ option and protocol 3.2', [startupMessage({ user: 'demo', '_pq_.fuzz': '1' }, PROTOCOL_3 + 2)], 'R');
  for (const length of [-(2 ** 31), -1, 0, 1, 3, 4, 7, 8, 9, 10_000, 10_001, 2 ** 31 - 1]) {
    add('startup', `startup length ${length}`, [Buffer.concat([int32(length), bytes(rand, Math.max(0, Math.min(length - 4, 10_000)))])]);
  }
  for (const [a, b] of splits(STARTUP)) add('startup', `startup split at ${a.length}`, [a, b], 'R');
  for (const t of sample(rand, Array.from({ length: 256 }, (_, i) => i), 64, opts.full)) {
    add('startup', `first byte ${hex(t)}`, [Buffer.concat([Buffer.from([t]), bytes(rand, 3 + Math.floor(rand() * 40))])]);
  }
  for (let i = 0; i < (opts.full ? 200 : 16); i++) add('startup', `random bytes #${i}`, [bytes(rand, 1 + Math.floor(rand() * 300))]);

  // SASL exchange: every type byte, lengths at the boundaries, malformed responses, splits
  for (const t of sample(rand, Array.from({ length: 256 }, (_, i) => i), 64, opts.full)) {
    add('auth', `type ${hex(t)} during SASL`, [msg(t, bytes(rand, Math.floor(rand() * 20)))]);
  }
  for (const length of [-1, 0, 3, 4, 5, 65_535, 65_536, 2 ** 31 - 1]) add('auth', `SASL length ${length}`, [withLength(SASL_INITIAL, length, length - 4)]);
  const mech = (m: string, data: Buffer, len = data.length) => msg('p', Buffer.concat([cstr(m), int32(len), data]));
  const first = Buffer.from('n,,n=,r=abc');
  add('auth', 'SASL unknown mechanism', [mech('SCRAM-SHA-1', first)]);
  add('auth', 'SASL PLUS without TLS', [mech('SCRAM-SHA-256-PLUS', Buffer.from('p=tls-server-end-point,,n=,r=abc'))]);
  add('auth', 'SASL data length too long', [mech('SCRAM-SHA-256', first, first.length + 10)]);
  add('auth', 'SASL data length negative', [mech('SCRAM-SHA-256', first, -7)]);
  add('auth', 'SASL client-first without nonce', [mech('SCRAM-SHA-256', Buffer.from('n,,n='))]);
  add('auth', 'SASL client-first binding flag p', [mech('SCRAM-SHA-256', Buffer.from('p=tls-server-end-point,,n=,r=abc'))]);
  add('auth', 'SASL initial then a garbage final', [SASL_INITIAL, msg('p', bytes(rand, 60))]);
  add('auth', 'SASL initial then an empty final', [SASL_INITIAL, msg('p')]);
  const saslSplits = splits(SASL_INITIAL);
  for (const [a, b] of sample(rand, saslSplits, 12, opts.full)) add('auth', `SASL initial split at ${a.length}`, [a, b], 'R');
  for (let i = 0; i < (opts.full ? 100 : 8); i++) add('auth', `random bytes during SASL #${i}`, [bytes(rand, 1 + Math.floor(rand() * 200))]);
  return cases;
}

/** Valid input after login, split at every byte (sampled unless full): the session must answer and stay usable. */
export function readySplitCases(opts: FuzzOptions): FuzzCase[] {
  const rand = prng(opts.seed + 1);
  const conversations: Record<string, Buffer> = {
    'Query': query('SELECT 1'),
    'Parse/Bind/Describe/Execute/Sync': Buffer.concat([PARSE, BIND, DESCRIBE, EXECUTE, sync()]),
    'CopyData, CopyDone, CopyFail, Flush outside COPY, then Sync': Buffer.concat([VALID_AFTER_LOGIN.d!, VALID_AFTER_LOGIN.c!, VALID_AFTER_LOGIN.f!, VALID_AFTER_LOGIN.H!, sync()]),
    'FunctionCall of an unknown function': VALID_AFTER_LOGIN.F!,
  };
  const cases: FuzzCase[] = [];
  for (const [name, conv] of Object.entries(conversations)) {
    cases.push({ name: `${name}, whole`, state: 'ready', writes: [conv], answer: 'Z', group: name });
    for (const [a, b] of sample(rand, splits(conv), 10, opts.full)) cases.push({ name: `${name} split at ${a.length}`, state: 'ready', writes: [a, b], answer: 'Z', group: name });
  }
  return cases;
}

/** Input after login that ends the session: each case costs one login. */
export function readyFatalCases(opts: FuzzOptions, count?: number): FuzzCase[] {
  const rand = prng(opts.seed + 2);
  const cases: FuzzCase[] = [];
  const allowed = new Set(Object.keys(VALID_AFTER_LOGIN).map((k) => k.charCodeAt(0)));
  for (let t = 0; t < 256; t++) if (!allowed.has(t)) cases.push({ name: `type ${hex(t)} after login`, state: 'ready', writes: [msg(t, bytes(rand, Math.floor(rand() * 12)))] });
  for (const [type, m] of Object.entries(VALID_AFTER_LOGIN)) {
    const large = 'QPBdF'.includes(type);
    const limit = large ? opts.maxMessageSize : 10_000;
    for (const length of [-1, 0, 3, limit + 1, 2 ** 31 - 1]) cases.push({ name: `${type} length ${length}`, state: 'ready', writes: [withLength(m, length, Math.min(length - 4, 64))] });
    // bodies cut short (and, for fixed layouts, one byte too long) with a consistent length field
    const body = m.subarray(5);
    if (type !== 'd' && body.length > 0) {
      const cut = Math.floor(rand() * body.length);
      cases.push({ name: `${type} body cut to ${cut}`, state: 'ready', writes: [msg(type, body.subarray(0, cut))] });
      cases.push({ name: `${type} body one byte long`, state: 'ready', writes: [msg(type, Buffer.concat([body, Buffer.from([0])]))] });
    }
  }
  for (let i = 0; i < 30; i++) cases.push({ name: `random bytes after login #${i}`, state: 'ready', writes: [bytes(rand, 1 + Math.floor(rand() * 200))] });
  if (opts.full || count === undefined) return cases;
  return sample(rand, cases, count, false);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends a case's writes on `client` and judges what came back. */
async function play(c: FuzzCase, client: RawClient): Promise<string | undefined> {
  for (const [i, w] of c.writes.entries()) {
    if (i > 0) await delay(2);
    client.send(w);
  }
  if (c.negotiations) {
    await client.until(() => client.received.length >= c.negotiations!);
    if (client.received.subarray(0, c.negotiations).toString() !== 'N'.repeat(c.negotiations)) return `${c.name}: expected ${c.negotiations} N answer(s)`;
    client.received = client.received.subarray(c.negotiations);
  }
  if (c.answer) {
    await client.until((ms) => ms.some((m) => m.type === c.answer));
    if (!client.messages().some((m) => m.type === c.answer)) return `${c.name}: closed without answering ${c.answer}: ${JSON.stringify(client.error())}`;
    if (c.state === 'ready' && client.closed) return `${c.name}: the session closed after valid input`;
  } else {
    // Either the gateway closes the connection, or it waits for bytes that will not come.
    await Promise.race([client.closedPromise, delay(50)]);
  }
  for (const m of client.messages()) {
    if (m.type !== 'E') continue;
    const f = errorFields(m.body);
    const expectedError = f.S === 'FATAL' ? EXPECTED_CLOSE_CODES.has(f.C!) : c.state === 'ready' && c.answer !== undefined;
    if (!expectedError) return `${c.name}: ${f.S} ${f.C} ${f.M}`;
  }
  return undefined;
}

/** Runs a startup-phase or SASL case on a new connection. */
export async function runFrontCase(port: number, c: FuzzCase): Promise<string | undefined> {
  const client = await RawClient.connect(port);
  try {
    if (c.state === 'auth') {
      client.send(STARTUP);
      await client.until((ms) => ms.some((m) => m.type === 'R'));
      client.received = Buffer.alloc(0);
    }
    return await play(c, client);
  } finally {
    client.destroy();
  }
}

/** Runs a case on a logged-in session; the session is left open when it survived, for the next case. */
export async function runReadyCase(session: RawClient, c: FuzzCase): Promise<string | undefined> {
  session.received = Buffer.alloc(0);
  return play(c, session);
}

/** The front still answers a new connection's startup packet (cheap: no session is opened). */
export async function frontAnswers(port: number): Promise<string | undefined> {
  const client = await RawClient.connect(port);
  try {
    client.send(STARTUP);
    await client.until((ms) => ms.some((m) => m.type === 'R' || m.type === 'E'));
    return client.messages().some((m) => m.type === 'R') ? undefined : `a new connection was not answered: ${JSON.stringify(client.error())}`;
  } finally {
    client.destroy();
  }
}

/** A fresh connection logs in and answers SELECT 1; returns that session for further use. */
export async function selectOne(port: number): Promise<RawClient> {
  const client = await RawClient.login(port);
  client.send(query('SELECT 1'));
  await client.until((ms) => ms.some((m) => m.type === 'Z'));
  const row = client.messages().find((m) => m.type === 'D');
  if (!row || row.body.subarray(6).toString() !== '1') throw new Error(`SELECT 1 on a fresh connection did not answer 1: ${JSON.stringify(client.error())}`);
  client.received = Buffer.alloc(0);
  return client;
}
