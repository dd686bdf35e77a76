/**
 * Sessions (issue 10): connect latency, memory per idle session, and time to the first connection.
 * - connect from the warm pool: one client at a time, each once the pool is full again (SCRAM
 *   included), p50/p95 over 30; baseline in the same process: a bare TCP connect to the gateway;
 * - a burst: 50 clients connecting at once (most wait for engine boots), p50/p95;
 * - RSS an idle session adds, with 10 and with 50 sessions open (the pool refilled, so the
 *   difference is the sessions' engines), and what is left after they all closed;
 * - time from starting `jsm-pg serve` to the first answered `SELECT 1`, with an empty snapshot
 *   cache (cold) and with the cache the cold start left (warm).
 * Asserts nothing. Run: sh bin/with-allocator.sh node --expose-gc --import tsx bench/sessions.ts
 * (the allocator npm start and the image use; without it closed sessions' memory stays in malloc's
 * arenas).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startStack } from '../test/helpers/gateway.ts';
import { freePort } from '../test/helpers/free-port.ts';

const POOL = 4;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await sleep(500);
  }
  return rssMb();
}

const stack = await startStack({ argv: ['--pool-size', String(POOL), '--max-sessions', '80'] });
const full = async () => {
  while (stack.gateway.idleEngines() < POOL) await sleep(50);
};
const connectMs = async () => {
  const c = new pg.Client(stack.url);
  const t0 = performance.now();
  await c.connect();
  const ms = performance.now() - t0;
  return { c, ms };
};
const tcpMs = () => new Promise<number>((resolve, reject) => {
  const t0 = performance.now();
  const u = new URL(stack.url);
  const s = tcpConnect({ host: u.hostname, port: Number(u.port) }, () => {
    resolve(performance.now() - t0);
    s.destroy();
  });
  s.on('error', reject);
});

try {
  await full();
  // warm up the path once
  (await connectMs()).c.end();
  const warm: number[] = [];
  const tcp: number[] = [];
  for (let i = 0; i < 30; i++) {
    await full();
    tcp.push(await tcpMs());
    const { c, ms } = await connectMs();
    warm.push(ms);
    await c.query('SELECT 1');
    await c.end();
  }
  console.log(`connect from the warm pool (SCRAM): p50 ${pct(warm, 0.5).toFixed(1)} ms, p95 ${pct(warm, 0.95).toFixed(1)} ms; bare TCP connect p50 ${pct(tcp, 0.5).toFixed(2)} ms (ratio ${(pct(warm, 0.5) / pct(tcp, 0.5)).toFixed(0)}×)`);

  await full();
  const base = await settle();
  console.log(`gateway with no session (pool of ${POOL} idle engines): RSS ${base.toFixed(0)} MB`);
  const open: pg.Client[] = [];
  for (const n of [10, 50]) {
    const burst = await Promise.all(Array.from({ length: n - open.length }, () => connectMs()));
    open.push(...burst.map((b) => b.c));
    await Promise.all(open.map((c) => c.query('SELECT 1')));
    await full();
    const rss = await settle();
    const times = burst.map((b) => b.ms);
    console.log(`${n} sessions: burst of ${burst.length} connects p50 ${pct(times, 0.5).toFixed(0)} ms, p95 ${pct(times, 0.95).toFixed(0)} ms; RSS ${rss.toFixed(0)} MB, ${((rss - base) / n).toFixed(1)} MB per idle session`);
  }
  await Promise.all(open.map((c) => c.end()));
  await sleep(1000);
  await full();
  const after = await settle();
  console.log(`all closed: RSS ${after.toFixed(0)} MB (${(after - base).toFixed(0)} MB over the start, ${(after / base).toFixed(2)}×)`);
} finally {
  await stack.close();
}

/** `jsm-pg serve` in demo mode with the given snapshot cache: ms until SELECT 1 answers. */
async function firstConnection(cacheDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/jsm-pg.js', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, JSM_PG_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`jsm-pg serve exited (${child.exitCode}): ${stderr}`);
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'demo', password: 'demo', database: 'jsm' });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query('SELECT 1');
        await c.end();
        return performance.now() - t0;
      } catch {
        await c.end().catch(() => undefined);
        await sleep(50);
      }
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const cache = await mkdtemp(join(tmpdir(), 'jsm-pg-bench-cache-'));
try {
  const cold = await firstConnection(cache);
  const warmStart = await firstConnection(cache);
  console.log(`time to first connection: cold start (empty snapshot cache) ${(cold / 1000).toFixed(1)} s, warm start ${(warmStart / 1000).toFixed(1)} s`);
} finally {
  await rm(cache, { recursive: true, force: true });
}
