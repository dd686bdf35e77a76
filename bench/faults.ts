/**
 * The fault run (issue 14): the JSM reads of the load workload (test/hardening/lib/workload.ts) with
 * the simulator misbehaving, compared row by row with the same statements fault-free. Every
 * statement must give exactly the fault-free rows or fail with an error that has a SQLSTATE; never
 * fewer rows. Cache bypassed (`SET jsm.cache = 'bypass'`) except in the phase that reads through the
 * shared cache, which is followed by a fault-free phase on the same cache: a partial result cached
 * during the faults would show there as a wrong answer.
 *
 *   node --import tsx bench/faults.ts [--sessions 3] [--timeout 180] [--statement-timeout 120] [--seed 1]
 *        [--phases 429,5xx,...]
 *
 * Phases: 429 (token bucket of 5 calls/s), 5xx (20 %), resets (10 %), slow (every body trickled over
 * 300 ms), mixed (20 ms latency, 20 calls/s, 5 % 5xx, 2 % resets, 50 ms bodies), restart (the
 * simulator stopped for 1 s every 2 s, at least 3 times), cached (mixed, through the shared cache after
 * `CALL jsm.clear_cache()`), after (no faults, shared cache).
 * Prints per phase: statements, same rows, errors by SQLSTATE, wrong answers, answers without a
 * SQLSTATE, sessions lost, the API's answers by status; and the ratio of wall time to the fault-free
 * phase's.
 */
import { parseArgs } from 'node:util';
import { runFaultComparison, type FaultPhase } from '../test/hardening/lib/faults.ts';
import { startHardeningStack, watchProcess } from '../test/hardening/lib/stack.ts';
import { formatCounts, ms, table } from '../test/hardening/lib/stats.ts';
import { WORKLOAD } from '../test/hardening/lib/workload.ts';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '180' },
    'statement-timeout': { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    phases: { type: 'string' },
  },
});

const MIXED = { latencyMs: 20, rateLimitPerSecond: 20, errorRate: 0.05, resetRate: 0.02, slowBodyMs: 50 };
const ALL: Record<string, FaultPhase> = {
  none: { name: 'no faults (baseline)' },
  '429': { name: '429 storm (5 calls/s)', faults: { rateLimitPerSecond: 5 } },
  '5xx': { name: '5xx (20 %)', faults: { errorRate: 0.2 } },
  resets: { name: 'connection resets (10 %)', faults: { resetRate: 0.1 } },
  slow: { name: 'slow bodies (300 ms)', faults: { slowBodyMs: 300 } },
  mixed: { name: 'mixed', faults: MIXED },
  restart: { name: 'simulator restart (1 s down every 2 s)', restarts: { everyMs: 2000, downMs: 1000, min: 3 } },
  cached: { name: 'mixed, shared cache (cleared first)', faults: MIXED, sharedCache: true, clearCache: true },
  after: { name: 'after faults, shared cache', sharedCache: true },
};
// In this order (an object's integer-like keys such as '429' would otherwise come first).
const ORDER = ['none', '429', '5xx', 'resets', 'slow', 'mixed', 'restart', 'cached', 'after'];
const names = args.phases ? ['none', ...args.phases.split(',').filter((p) => p !== 'none')] : ORDER;
for (const n of names) if (!ALL[n]) throw new Error(`unknown phase ${n}; phases: ${Object.keys(ALL).join(', ')}`);

const watch = watchProcess();
const stack = await startHardeningStack();
const statements = WORKLOAD.filter((s) => s.kind === 'jsm' && s.deterministic);
console.log(`fault run: ${statements.length} JSM reads × ${args.sessions} sessions per phase, Timeout ${args['statement-timeout']} s, wait bound ${args.timeout} s; ${new Date().toISOString()}`);
const rows: (string | number)[][] = [];
let baselineMs = NaN;
const result = await runFaultComparison({
  stack,
  statements,
  phases: names.map((n) => ALL[n]!),
  sessions: Number(args.sessions),
  timeoutMs: Number(args.timeout) * 1000,
  statementTimeoutS: Number(args['statement-timeout']),
  seed: Number(args.seed),
  onPhase: (r) => {
    if (Number.isNaN(baselineMs)) baselineMs = r.wallMs;
    const row = [r.phase.name, r.statements, r.same, [...r.errors.values()].reduce((a, b) => a + b, 0), r.wrong.length, r.broken.length, r.sessionsLost, r.restarts, ms(r.wallMs), (r.wallMs / baselineMs).toFixed(2)];
    rows.push(row);
    console.log(`  ${r.phase.name}: ${r.same}/${r.statements} same rows; errors ${formatCounts(r.errors)}; wrong ${r.wrong.length}; no SQLSTATE ${r.broken.length}; API answers ${formatCounts(new Map([...r.apiStatuses].map(([k, v]) => [String(k), v])))}; ${ms(r.wallMs)}`);
    const seen = new Set<string>();
    for (const e of r.errorList) {
      if (seen.has(e.code)) continue;
      seen.add(e.code);
      console.log(`    ${e.code} (first of ${r.errors.get(e.code)}) ${e.name}: ${e.message.slice(0, 200)}`);
    }
    for (const w of r.wrong.slice(0, 5)) console.log(`    WRONG ${w.name}: ${w.detail}`);
    for (const b of r.broken.slice(0, 5)) console.log(`    NO SQLSTATE ${b.name}: ${b.outcome}`);
  },
});
if (result.unstable.length) console.log(`left out (fault-free runs differed or failed): ${result.unstable.join('; ')}`);
console.log(table(['phase', 'statements', 'same rows', 'errors', 'WRONG', 'no SQLSTATE', 'sessions lost', 'restarts', 'wall', 'wall/baseline'], rows));
const wrong = result.phases.reduce((s, p) => s + p.wrong.length, 0);
const broken = result.phases.reduce((s, p) => s + p.broken.length, 0);
const total = result.phases.reduce((s, p) => s + p.statements, 0);
const same = result.phases.reduce((s, p) => s + p.same, 0);
console.log(`ratio same rows / statements over all phases: ${(same / total).toFixed(2)}; wrong answers: ${wrong}; answers without a SQLSTATE: ${broken}${wrong + broken === 0 ? ' (every statement gave the fault-free rows or a clear error)' : ''}`);
if (watch.failures.length) {
  console.log(`PROCESS FAILURES (each would have ended a real gateway): ${watch.failures.length}`);
  for (const f of watch.failures.slice(0, 10)) console.log(`  ${f.split('\n').slice(0, 4).join('\n    ')}`);
}
await stack.close();
watch.stop();
process.exit(0);
