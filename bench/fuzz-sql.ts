/**
 * The SQL fuzzer in full (issue 14; the reduced run is test/hardening/sql-fuzz.test.ts): seeded,
 * grammar-based statements over the catalog's relations (test/hardening/lib/sql-gen.ts), each
 * followed by `SELECT 1` on the same session and on another one, every wait bounded.
 *
 *   node --import tsx bench/fuzz-sql.ts [--seed 1] [--count 2000] [--timeout 30] [--hostile]
 *        [--only 12,345] [--scale small] [--print] [--spawn]
 *
 * --hostile adds what issue 14 found a server must bound (200-deep nesting, unbounded recursion,
 * COPY TO PROGRAM, a 2,000-value IN list, pg_sleep(3600)); --only replays cases by index (same
 * seed and count); --print lists every statement with its outcome. --spawn runs the gateway as its
 * own process (`bin/jsm-pg.js serve --demo`), implied by --hostile: an engine runs on the gateway's
 * main thread, so a statement that never ends would otherwise stop this script's clock too.
 *
 * Prints outcomes by SQLSTATE and by shape, the findings (no answer in time, an error without a
 * SQLSTATE, a session that stopped answering, an uncaught exception), the XX000 answers, the
 * slowest statements, API calls the JSM spec does not define, and two ratios against baselines
 * taken in this process: the mean statement time against the mean `SELECT 1` time, and RSS after
 * the run against RSS before it. The exit code is 0: findings are printed, not asserted.
 */
import { parseArgs } from 'node:util';
import type { SimScale } from '../src/simulator/index.ts';
import { simCalls } from '../test/helpers/gateway.ts';
import { alive, close, connect } from '../test/hardening/lib/client.ts';
import { describeCase, runSqlFuzz } from '../test/hardening/lib/fuzz.ts';
import { waitForNoSessions } from '../test/hardening/lib/load.ts';
import { spawnGateway } from '../test/hardening/lib/spawned.ts';
import { startHardeningStack, watchProcess } from '../test/hardening/lib/stack.ts';
import { gc, ms, rssMb, sleep, table } from '../test/hardening/lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '2000' },
    timeout: { type: 'string', default: '30' },
    hostile: { type: 'boolean', default: false },
    only: { type: 'string' },
    scale: { type: 'string', default: 'small' },
    print: { type: 'boolean', default: false },
    spawn: { type: 'boolean', default: false },
  },
});
const seed = Number(args.seed);
const count = Number(args.count);
const timeoutMs = Number(args.timeout) * 1000;

const spawned = args.spawn || args.hostile;
const watch = watchProcess();
const stack = spawned ? undefined : await startHardeningStack({ scale: args.scale as SimScale });
const child = spawned ? await spawnGateway({ scale: args.scale }) : undefined;
const url = stack?.url ?? child!.url;
const gatewayRss = () => (child ? child.rssMb() : rssMb());
await sleep(1000);
console.log(`SQL fuzz: seed ${seed}, ${args.only ? `cases ${args.only} of ` : ''}${count} statements${args.hostile ? ', hostile cases included' : ''}, ${args.timeout} s per wait, scale ${args.scale}, gateway ${child ? `in its own process (pid ${child.pid})` : 'in this process'}; ${new Date().toISOString()}`);

// Baseline: SELECT 1 round trips on one session, in this process.
const base = await connect(url, timeoutMs);
if (!base.ok) throw new Error(`cannot connect: ${base.message}`);
const t1 = performance.now();
for (let i = 0; i < 200; i++) await alive(base.session, timeoutMs);
const select1Ms = (performance.now() - t1) / 200;
await close(base.session);
gc();
const rssBefore = gatewayRss();

const result = await runSqlFuzz({
  url,
  seed,
  count,
  timeoutMs,
  hostile: args.hostile,
  rotateEvery: 100,
  processFailures: () => watch.failures.length + (child?.exited() ? 1 : 0),
  only: args.only ? new Set(args.only.split(',').map(Number)) : undefined,
  onCase: args.print ? (c, o) => console.log(`${o.kind === 'error' ? o.code : o.kind} ${ms(o.ms)} ${describeCase(c)}${o.kind === 'error' ? `\n    ${o.message}` : ''}`) : undefined,
});
const emptied = stack ? await waitForNoSessions(stack.gateway, 30_000) : 0;
await sleep(2000);
gc();
const rssAfter = gatewayRss();

console.log(`outcomes: ${[...result.outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
const keys = [...result.outcomes.keys()].sort((a, b) => (result.outcomes.get(b) ?? 0) - (result.outcomes.get(a) ?? 0)).slice(0, 10);
console.log(table(['shape', 'n', ...keys], [...result.byShape].sort().map(([shape, m]) => [shape, [...m.values()].reduce((a, b) => a + b, 0), ...keys.map((k) => m.get(k) ?? '')])));
console.log('first message per SQLSTATE:');
for (const [code, ex] of [...result.examples].sort()) console.log(`  ${code} ${ex.message.slice(0, 140)}\n        ← ${ex.sql.slice(0, 160)}`);
console.log(`findings: ${result.findings.length}`);
for (const f of result.findings.slice(0, 50)) console.log(`  ${f.problem}\n    ${describeCase(f.case)}`);
console.log(`XX000 (internal error) answers: ${result.internal.length}`);
for (const x of result.internal.slice(0, 20)) console.log(`  ${x.message.slice(0, 200)}\n    ${describeCase(x.case)}`);
console.log('slowest statements:');
for (const s of result.slowest) console.log(`  ${ms(s.ms)} ${describeCase(s.case).slice(0, 200)}`);
if (stack) {
  const offSpec = (await simCalls(stack.sim)).filter((c) => c.undefinedBySpec);
  console.log(`API calls the JSM spec does not define: ${offSpec.length}`);
  for (const c of offSpec.slice(0, 10)) console.log(`  ${c.method} ${c.path} ${JSON.stringify(c.query)} → ${c.status}`);
}
const exit = child?.exited();
if (exit) console.log(`THE GATEWAY PROCESS EXITED (code ${exit.code}, signal ${exit.signal}); its last lines:\n  ${exit.tail.join('\n  ')}`);
if (watch.failures.length) {
  console.log(`PROCESS FAILURES (each would have ended a real gateway): ${watch.failures.length}`);
  for (const f of watch.failures.slice(0, 10)) console.log(`  ${f.split('\n').slice(0, 4).join('\n    ')}`);
}
const perStatement = result.wallMs / Math.max(1, result.cases) / 3; // each case is the statement and two SELECT 1
if (stack) console.log(`sessions released after the run: ${emptied < 0 ? 'NO (still counted after 30 s)' : 'yes'}`);
console.log(`ratio mean time per fuzz round trip / SELECT 1 (${ms(select1Ms)}): ${(perStatement / select1Ms).toFixed(2)}`);
console.log(`ratio RSS after / before the fuzz run: ${(rssAfter / rssBefore).toFixed(2)} (${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB, ${child ? 'gateway process' : 'this process'})`);
console.log(`wall time ${ms(result.wallMs)}; ${result.findings.length === 0 && watch.failures.length === 0 && !exit ? 'no crash, no hang, no lost session' : 'FINDINGS ABOVE'}`);
await stack?.close();
await child?.close();
watch.stop();
process.exit(0);
