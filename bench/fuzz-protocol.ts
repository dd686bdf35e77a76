/**
 * The protocol fuzzer in full (npm test runs a seeded sample: test/protocol/fuzz.test.ts): every
 * type byte in every connection state, lengths at the boundaries, valid messages split at every
 * byte, truncated bodies, random bytes. After every case a fresh connection must answer SELECT 1
 * (before login, a fresh connection's startup must be answered after each case, and SELECT 1 every
 * 25 cases: each SELECT 1 costs a session and its engine). Prints cases run, failures and time.
 *
 *   node --import tsx bench/fuzz-protocol.ts [--seed N] [--max-ready N]
 *
 * --max-ready caps the cases after login that end their session (each costs a login and an engine).
 */
import { startStack } from '../test/helpers/gateway.ts';
import { frontAnswers, frontCases, readyFatalCases, readySplitCases, runFrontCase, runReadyCase, selectOne, type FuzzCase, type FuzzOptions } from '../test/protocol/helpers/protocol-fuzz.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const opts: FuzzOptions = { seed: arg('--seed') ?? 14, maxMessageSize: 1 << 20, full: true };
const maxReady = arg('--max-ready');

let uncaught = 0;
process.on('uncaughtException', (err) => {
  uncaught++;
  console.error('uncaught exception:', err);
});
process.on('unhandledRejection', (err) => {
  uncaught++;
  console.error('unhandled rejection:', err);
});
const maxListenerWarnings: string[] = [];
process.on('warning', (w) => {
  if (w.name === 'MaxListenersExceededWarning') maxListenerWarnings.push(w.message);
});

const stack = await startStack({ argv: ['--max-message-size', String(opts.maxMessageSize), '--auth-failure-limit', '0', '--max-sessions', '50'] });
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const started = performance.now();
const rssBefore = rssMb();
let rssPeak = rssBefore;
const failures: string[] = [];
const counts: Record<string, number> = {};
const note = (c: FuzzCase, failure: string | undefined) => {
  counts[c.state] = (counts[c.state] ?? 0) + 1;
  rssPeak = Math.max(rssPeak, rssMb());
  if (failure) {
    failures.push(failure);
    console.log(`FAIL ${failure}`);
  }
};
const progress = (done: number, total: number, what: string) => {
  if (done % 50 === 0 || done === total) console.log(`${what}: ${done}/${total} cases, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(0)} s`);
};

const front = frontCases(opts);
for (const [i, c] of front.entries()) {
  note(c, await runFrontCase(stack.port, c));
  const alive = await frontAnswers(stack.port);
  if (alive) note(c, `after ${c.name}: ${alive}`);
  if (i % 25 === 24) (await selectOne(stack.port)).destroy();
  progress(i + 1, front.length, 'startup and SASL');
}

let session = await selectOne(stack.port);
const splitCases = readySplitCases(opts);
const answers = new Map<string, string>();
for (const [i, c] of splitCases.entries()) {
  let failure = await runReadyCase(session, c);
  const types = session.messages().map((m) => m.type).join('');
  const whole = answers.get(c.group!) ?? (answers.set(c.group!, types), types);
  if (!failure && types !== whole) failure = `${c.name}: answered ${types}, unsplit ${whole}`;
  note(c, failure);
  progress(i + 1, splitCases.length, 'valid input split after login');
}
session.destroy();

const fatal = readyFatalCases(opts).slice(0, maxReady);
session = await selectOne(stack.port);
for (const [i, c] of fatal.entries()) {
  note(c, await runReadyCase(session, c));
  session.destroy();
  try {
    session = await selectOne(stack.port);
  } catch (err) {
    note(c, `after ${c.name}: ${(err as Error).message}`);
    session = await selectOne(stack.port);
  }
  progress(i + 1, fatal.length, 'session-ending input after login');
}
session.destroy();

const seconds = (performance.now() - started) / 1000;
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`\nprotocol fuzzer, seed ${opts.seed}: ${total} cases (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}) in ${seconds.toFixed(0)} s`);
console.log(`failures: ${failures.length}; uncaught exceptions: ${uncaught}; MaxListenersExceededWarning: ${maxListenerWarnings.length}`);
console.log(`RSS: before ${rssBefore.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB, after ${rssMb().toFixed(0)} MB`);
for (const f of failures) console.log(`  ${f}`);
await stack.close();
process.exit(failures.length + uncaught > 0 ? 1 : 0);
