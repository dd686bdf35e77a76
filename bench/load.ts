/**
 * Load and soak (issue 14): many sessions sending a mixed read workload at once, against the same
 * workload from one session in the same process first.
 *
 *   node --expose-gc --import tsx bench/load.ts [--sessions 50] [--duration 60] [--single-duration 20]
 *        [--settle 10] [--scale small] [--seed 1] [--bypass-cache] [--pool-size N]
 *        [--connect-timeout 30] [--query-timeout 60] [--rate N]
 *   node --expose-gc --import tsx bench/load.ts --soak [--waves 10] [--sessions 20] [--statements 10]
 *
 * Load prints connect and query p50/p95/p99 for 1 and N sessions (query p95 also per kind: trivial,
 * catalog, JSM), errors by SQLSTATE, connect timeouts, and RSS: idle, before (after the single
 * session closed, settled), peak while N sessions ran, right after all closed, and after the settle
 * period and a GC (only with --expose-gc). The last lines compare with issue 14's bar: query p95
 * within 5× the single session's, no connect timeout, RSS after close within 20 % of before.
 *
 * With --rate N the N sessions together send N statements per second, each session its share as a
 * Poisson process (exponential gaps, seeded; random phase per session): the latency a crowd sees
 * below the machine's capacity. Without it each
 * session sends its next statement as soon as the last answers (closed loop), which on a small machine
 * measures its capacity more than the gateway's fairness (Little's law: sessions ÷ throughput).
 *
 * Soak opens and closes waves of sessions and prints RSS after each wave (settled, GC'd), so memory
 * that is never given back shows as a climbing column.
 *
 * The simulator and the gateway share this process; the clients run in a child process
 * (runLoadInChild), so their work is not in the gateway's event loop and RSS is the gateway's and
 * the simulator's. They still share the machine's cores: the single-session figures taken in the
 * same run are the baseline.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { machineLimits } from '../src/config/machine-limits.ts';
import type { SimScale } from '../src/simulator/index.ts';
import { percentiles, type Percentiles, countBy, formatCounts, gc, ms, peakRssMb, rssMb, sleep, table } from '../test/hardening/lib/stats.ts';
import { runLoadInChild as runLoad, waitForNoSessions, type LoadResult } from '../test/hardening/lib/load.ts';
import { startHardeningStack, watchProcess } from '../test/hardening/lib/stack.ts';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string' },
    duration: { type: 'string', default: '60' },
    'single-duration': { type: 'string', default: '20' },
    settle: { type: 'string', default: '10' },
    scale: { type: 'string', default: 'small' },
    seed: { type: 'string', default: '1' },
    'bypass-cache': { type: 'boolean', default: false },
    rate: { type: 'string' },
    'pool-size': { type: 'string' },
    'connect-timeout': { type: 'string', default: '30' },
    'query-timeout': { type: 'string', default: '60' },
    soak: { type: 'boolean', default: false },
    waves: { type: 'string', default: '10' },
    statements: { type: 'string', default: '10' },
  },
});
const num = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));
const soak = args.soak!;
const sessions = num(args.sessions, soak ? 20 : 50);
const seed = num(args.seed, 1);
const connectTimeoutMs = num(args['connect-timeout'], 30) * 1000;
const queryTimeoutMs = num(args['query-timeout'], 60) * 1000;
const setup = args['bypass-cache'] ? ["SET jsm.cache = 'bypass'"] : [];
const hasGc = gc();

const watch = watchProcess();
const t0 = performance.now();
// without --pool-size, the gateway's own default for this machine (src/config/machine-limits.ts)
const poolSize = num(args['pool-size'], machineLimits().poolSize);
const stack = await startHardeningStack({ scale: args.scale as SimScale, argv: ['--pool-size', String(poolSize), '--max-sessions', String(sessions + 10)] });
console.log(`started simulator (${args.scale}) and gateway (pool ${poolSize}) in ${ms(performance.now() - t0)}; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${new Date().toISOString()}; node ${process.version}; gc ${hasGc ? 'exposed' : 'NOT exposed (run with --expose-gc for settled RSS)'}`);
// the warm pool fills (with --pool-size as large as --sessions, no session waits for an engine boot)
for (let waited = 0; stack.gateway.idleEngines() < poolSize && waited < 300_000; waited += 200) await sleep(200);
await sleep(1000);
gc();
const rssIdle = rssMb();

let peak = 0;
const sample = () => {
  peak = Math.max(peak, rssMb());
};

function summary(label: string, r: LoadResult): { row: (string | number)[]; query: Percentiles } {
  const c = percentiles(r.connectMs);
  const ok = r.records.filter((x) => x.outcome === 'ok');
  const q = percentiles(ok.map((x) => x.ms));
  const errors = r.records.length - ok.length;
  return {
    query: q,
    row: [label, `${r.connected}/${r.sessions}`, ms(c.p50), ms(c.p95), ms(c.p99), r.connectTimeouts, r.records.length, (r.records.length / (r.wallMs / 1000)).toFixed(1), ms(q.p50), ms(q.p95), ms(q.p99), errors, r.sessionsLost],
  };
}
const HEADER = ['run', 'connected', 'conn p50', 'conn p95', 'conn p99', 'conn timeouts', 'statements', 'stmt/s', 'query p50', 'query p95', 'query p99', 'errors', 'sessions lost'];
const byKind = (r: LoadResult) => Object.fromEntries(['trivial', 'catalog', 'jsm'].map((k) => [k, percentiles(r.records.filter((x) => x.kind === k && x.outcome === 'ok').map((x) => x.ms)).p95]));

if (!soak) {
  const single = await runLoad({ url: stack.url, sessions: 1, durationMs: num(args['single-duration'], 20) * 1000, seed, connectTimeoutMs, queryTimeoutMs, setup });
  await waitForNoSessions(stack.gateway, 30_000);
  await sleep(2000);
  gc();
  const rssBefore = rssMb();
  peak = rssBefore;
  console.log(`load: ${sessions} sessions for ${args.duration} s, mixed workload${args['bypass-cache'] ? ', cache bypassed' : ''}${args.rate ? `, paced at ${args.rate} statements/s in all` : ', closed loop'}, seed ${seed}`);
  const crowd = await runLoad({ url: stack.url, sessions, durationMs: num(args.duration, 60) * 1000, seed, connectTimeoutMs, queryTimeoutMs, setup, onTick: sample, ratePerSession: args.rate ? num(args.rate, 0) / sessions : undefined });
  sample();
  const closeWait = await waitForNoSessions(stack.gateway, 60_000);
  const rssAfterClose = rssMb();
  await sleep(num(args.settle, 10) * 1000);
  gc();
  const rssAfterSettle = rssMb();

  const s1 = summary('1 session', single);
  const sn = summary(`${sessions} sessions`, crowd);
  console.log(table(HEADER, [s1.row, sn.row]));
  const k1 = byKind(single);
  const kn = byKind(crowd);
  console.log(table(['query p95 by kind', '1 session', `${sessions} sessions`, 'ratio'], Object.keys(k1).map((k) => [k, ms(k1[k]!), ms(kn[k]!), (kn[k]! / k1[k]!).toFixed(2)])));
  // the crowd's statements while sessions were still connecting (engines booting beside them) and after
  const crowdOk = crowd.records.filter((x) => x.outcome === 'ok');
  const phase = (during: boolean) => crowdOk.filter((x) => (x.endedAt <= crowd.allConnectedAt) === during).map((x) => x.ms);
  console.log(table([`${sessions} sessions, query p95`, 'statements', 'p50', 'p95', 'ratio p95 / 1 session'], [[true, 'while connecting'], [false, 'all connected']].map(([during, label]) => {
    const xs = phase(during as boolean);
    const p = percentiles(xs);
    return [`${label} (until ${ms(during ? crowd.allConnectedAt : crowd.wallMs)})`, xs.length, ms(p.p50), ms(p.p95), (p.p95 / s1.query.p95).toFixed(2)];
  })));
  console.log(`errors (1 session): ${formatCounts(countBy(single.records.filter((x) => x.outcome !== 'ok'), (x) => x.outcome))}`);
  console.log(`errors (${sessions} sessions): ${formatCounts(countBy(crowd.records.filter((x) => x.outcome !== 'ok'), (x) => x.outcome))}`);
  if (crowd.connectFailures.size) console.log(`connect failures: ${formatCounts(crowd.connectFailures)}`);
  const failedStatements = countBy(crowd.records.filter((x) => x.outcome !== 'ok'), (x) => `${x.name} → ${x.outcome}`);
  if (failedStatements.size) console.log(`failed statements: ${formatCounts(failedStatements)}`);
  console.log(table(['RSS', 'MB', 'vs before'], [
    ['idle (warm pool, no session)', rssIdle.toFixed(0), (rssIdle / rssBefore).toFixed(2)],
    ['before (single session closed, settled)', rssBefore.toFixed(0), '1.00'],
    [`peak (sampled, ${sessions} sessions)`, peak.toFixed(0), (peak / rssBefore).toFixed(2)],
    [`after all closed (${closeWait < 0 ? 'sessions still counted after 60 s' : `gateway empty after ${ms(closeWait)}`})`, rssAfterClose.toFixed(0), (rssAfterClose / rssBefore).toFixed(2)],
    [`after ${args.settle} s settle${hasGc ? ' + gc' : ''}`, rssAfterSettle.toFixed(0), (rssAfterSettle / rssBefore).toFixed(2)],
    ['process peak (ru_maxrss, whole run)', peakRssMb().toFixed(0), (peakRssMb() / rssBefore).toFixed(2)],
  ]));
  const ratio = sn.query.p95 / s1.query.p95;
  const memRatio = rssAfterSettle / rssBefore;
  console.log(`ratio query p95 ${sessions} sessions / 1 session: ${ratio.toFixed(2)} (bar ≤ 5: ${ratio <= 5 ? 'met' : 'NOT met'})`);
  console.log(`connect timeouts: ${crowd.connectTimeouts} (bar 0: ${crowd.connectTimeouts === 0 ? 'met' : 'NOT met'})`);
  console.log(`ratio RSS after close and settle / before: ${memRatio.toFixed(2)} (bar ≤ 1.20: ${memRatio <= 1.2 ? 'met' : 'NOT met'})`);
} else {
  const waves = num(args.waves, 10);
  const perSession = num(args.statements, 10);
  console.log(`idle RSS ${rssIdle.toFixed(0)} MB (warm pool, no session)`);
  console.log(`soak: ${waves} waves of ${sessions} sessions × ${perSession} statements, each wave closed and settled (2 s${hasGc ? ' + gc' : ''}) before the next`);
  const rows: (string | number)[][] = [];
  const first = rssIdle;
  for (let w = 1; w <= waves; w++) {
    peak = rssMb();
    const r = await runLoad({ url: stack.url, sessions, durationMs: 10 * 60_000, statementsPerSession: perSession, seed: seed + w, connectTimeoutMs, queryTimeoutMs, setup, onTick: sample });
    sample();
    const closeWait = await waitForNoSessions(stack.gateway, 60_000);
    await sleep(2000);
    gc();
    const rss = rssMb();
    const ok = r.records.filter((x) => x.outcome === 'ok');
    rows.push([w, `${r.connected}/${r.sessions}`, ms(percentiles(r.connectMs).p95), r.connectTimeouts, ms(percentiles(ok.map((x) => x.ms)).p95), r.records.length - ok.length, r.sessionsLost, closeWait < 0 ? 'no' : 'yes', peak.toFixed(0), rss.toFixed(0), (rss / first).toFixed(2)]);
    console.log(table(['wave', 'connected', 'conn p95', 'conn timeouts', 'query p95', 'errors', 'lost', 'emptied', 'peak MB', 'RSS MB', 'vs idle'], rows.slice(-1)).split('\n').slice(w === 1 ? 0 : 2).join('\n'));
  }
  console.log(table(['wave', 'connected', 'conn p95', 'conn timeouts', 'query p95', 'errors', 'lost', 'emptied', 'peak MB', 'RSS MB', 'vs idle'], rows));
  const last = Number(rows[rows.length - 1]![9]);
  const second = Number(rows[Math.min(1, rows.length - 1)]![9]);
  console.log(`ratio RSS after last wave / idle: ${(last / first).toFixed(2)}; after last wave / after wave 2: ${(last / second).toFixed(2)} (growth per wave after wave 2: ${((last - second) / Math.max(1, rows.length - 2)).toFixed(1)} MB)`);
}

await stack.close();
if (watch.failures.length) {
  console.log(`PROCESS FAILURES (each would have ended a real gateway): ${watch.failures.length}`);
  for (const f of watch.failures.slice(0, 10)) console.log(`  ${f.split('\n').slice(0, 4).join('\n    ')}`);
}
watch.stop();
process.exit(0);
