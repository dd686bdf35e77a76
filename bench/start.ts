/**
 * Time from `npm start` (demo mode: `node bin/jsm-pg.js serve`) to the first answered query, on a
 * fresh snapshot cache (first start) and then twice with it (later starts), plus when each start
 * logged its milestones. Also how long a start takes to fail on a port that is already taken.
 * Run: node --import tsx bench/start.ts [later starts, default 2] [-- serve flags, e.g. --pool-size 1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../test/helpers/free-port.ts';

const BIN = fileURLToPath(new URL('../bin/jsm-pg.js', import.meta.url));
const cacheDir = mkdtempSync(join(tmpdir(), 'jsm-pg-bench-cache-'));
const dashes = process.argv.indexOf('--');
const serveFlags = dashes < 0 ? [] : process.argv.slice(dashes + 1);
const warmRuns = Number((dashes === 2 ? undefined : process.argv[2]) ?? 2);


function start(port: number, extra: string[] = []): { child: ChildProcess; lines: { ms: number; text: string }[]; t0: number; exited: Promise<number | null> } {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...serveFlags, ...extra], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, JSM_PG_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { ms: number; text: string }[] = [];
  const collect = (chunk: Buffer) => {
    for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push({ ms: performance.now() - t0, text });
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, lines, t0, exited };
}

/** Tries to connect and run SELECT 1 every 50 ms; ms from start to the first answer. */
async function firstAnswer(port: number, t0: number, exited: Promise<number | null>): Promise<number> {
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  for (;;) {
    if (code !== undefined) throw new Error(`jsm-pg exited with code ${code} before answering`);
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'demo', password: 'demo', database: 'jsm', connectionTimeoutMillis: 60_000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return performance.now() - t0;
    } catch (err) {
      if (!/ECONNREFUSED/.test((err as Error).message)) console.error(`connect: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}

function milestones(lines: { ms: number; text: string }[]): string {
  return lines
    .map(({ ms, text }) => {
      let msg = text;
      try {
        msg = (JSON.parse(text) as { msg: string }).msg;
      } catch {
        // not a log line
      }
      return `    ${ms.toFixed(0).padStart(6)} ms  ${msg.slice(0, 100)}`;
    })
    .join('\n');
}

async function run(label: string): Promise<number> {
  const port = await freePort();
  const s = start(port);
  const ms = await firstAnswer(port, s.t0, s.exited).catch((err: Error) => {
    console.log(milestones(s.lines));
    throw err;
  });
  console.log(`${label}: first query answered after ${ms.toFixed(0)} ms`);
  console.log(milestones(s.lines));
  s.child.kill('SIGTERM');
  await s.exited;
  return ms;
}

try {
  const cold = await run('first start (empty snapshot cache)');
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) warm.push(await run(`later start ${i + 1} (snapshot cached)`));
  console.log(`snapshot cache files after ${warmRuns + 1} starts: ${readdirSync(cacheDir).filter((n) => n.endsWith('.tar')).length}`);

  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const busy = start((blocker.address() as AddressInfo).port);
  const code = await busy.exited;
  const busyMs = performance.now() - busy.t0;
  blocker.close();
  console.log(`busy port: exit code ${code} after ${busyMs.toFixed(0)} ms: ${busy.lines.map((l) => l.text).filter((t) => t.startsWith('jsm-pg') || t.startsWith('hint')).join(' / ')}`);
  console.log(`summary: first start ${cold.toFixed(0)} ms, later starts ${warm.map((m) => m.toFixed(0)).join(', ')} ms, busy port fails in ${busyMs.toFixed(0)} ms`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
