/**
 * The reduced, seeded run of the protocol fuzzer (bench/fuzz-protocol.ts runs every case). Cases
 * before login are followed by a new connection's startup, which must be answered, and the run by
 * SELECT 1 on a fresh connection; every case after login is followed by SELECT 1 on a fresh
 * connection (sessions cost an engine each, which is what bounds their number here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { frontAnswers, frontCases, readyFatalCases, readySplitCases, runFrontCase, runReadyCase, selectOne, type FuzzOptions } from './helpers/protocol-fuzz.ts';
import { query } from './helpers/raw-client.ts';

const opts: FuzzOptions = { seed: Number(process.env.JSM_PG_FUZZ_SEED ?? 14), maxMessageSize: 1 << 20, full: false };
let stack: TestStack;

beforeAll(async () => {
  // failed logins are part of the cases: throttling them would refuse the checks that follow
  stack = await startStack({ argv: ['--max-message-size', String(opts.maxMessageSize), '--auth-failure-limit', '0', '--max-sessions', '50'] });
});
afterAll(async () => {
  await stack?.close();
});

describe(`protocol fuzzer (seed ${opts.seed})`, () => {
  it('startup phase and SASL: every case is refused or answered, and the front keeps answering new connections', async () => {
    const cases = frontCases(opts);
    const failures: string[] = [];
    for (const c of cases) {
      const failure = await runFrontCase(stack.port, c);
      if (failure) failures.push(failure);
      const alive = await frontAnswers(stack.port);
      if (alive) failures.push(`after ${c.name}: ${alive}`);
    }
    (await selectOne(stack.port)).destroy();
    console.log(`protocol fuzzer: ${cases.length} startup/SASL cases, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(200);
  });

  it('valid messages after login, split at every sampled byte, are answered and keep the session', async () => {
    const session = await selectOne(stack.port);
    const cases = readySplitCases(opts);
    const failures: string[] = [];
    const answers = new Map<string, string>();
    for (const c of cases) {
      const failure = await runReadyCase(session, c);
      if (failure) failures.push(failure);
      // the same input, split otherwise, gets the same answer
      const types = session.messages().map((m) => m.type).join('');
      const whole = answers.get(c.group!) ?? (answers.set(c.group!, types), types);
      if (types !== whole) failures.push(`${c.name}: answered ${types}, unsplit ${whole}`);
    }
    expect(answers.get('Parse/Bind/Describe/Execute/Sync')).toBe('12TDCZ');
    session.received = Buffer.alloc(0);
    session.send(query('SELECT 41 + 1'));
    await session.until((ms) => ms.some((m) => m.type === 'Z'));
    expect(session.messages().find((m) => m.type === 'D')?.body.subarray(6).toString()).toBe('42');
    session.destroy();
    console.log(`protocol fuzzer: ${cases.length} split cases after login, ${failures.length} failures`);
    expect(failures).toEqual([]);
  });

  it('input that ends a session: 08P01 or 54000 and close, then a fresh connection answers SELECT 1', async () => {
    const cases = readyFatalCases(opts, 5);
    const failures: string[] = [];
    let session = await selectOne(stack.port);
    for (const c of cases) {
      const failure = await runReadyCase(session, c);
      if (failure) failures.push(failure);
      session.destroy();
      session = await selectOne(stack.port);
    }
    session.destroy();
    console.log(`protocol fuzzer: ${cases.length} session-ending cases, ${failures.length} failures`);
    expect(failures).toEqual([]);
  });
});
