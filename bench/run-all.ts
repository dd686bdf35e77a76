/**
 * `npm run bench`: every bench script under bench/ in turn, each in its own node process (with
 * --expose-gc), then a summary of what each printed. A script that fails or runs past its time limit
 * is reported and the next one runs.
 *
 *   node --import tsx bench/run-all.ts [name …]          # e.g. `npm run bench -- load faults`
 *
 * Live output goes to stderr, prefixed with the script's name; the summary goes to stdout: for each
 * script its status and wall time, then its output (when it printed more than 40 lines, only those
 * with a ratio or a findings count). Set BENCH_TIMEOUT_MIN to change the per-script limit (default 40 minutes).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

/** Arguments each script gets here: the full runs, sized to finish in minutes. */
const ARGS: Record<string, string[]> = {
  'fuzz-sql': ['--count', '1000'],
};

const wanted = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .map((f) => f.slice(0, -3))
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort();
for (const w of wanted) if (!scripts.includes(w)) console.error(`run-all: no bench script named ${w}`);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MIN ?? 40) * 60_000;

interface Outcome {
  name: string;
  status: string;
  ok: boolean;
  ms: number;
  stdout: string[];
}

function runScript(name: string): Promise<Outcome> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', `${name}.ts`), ...(ARGS[name] ?? [])], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '2', ...process.env } });
  const stdout: string[] = [];
  const relay = (capture: boolean) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (capture) stdout.push(line);
        process.stderr.write(`[${name}] ${line}\n`);
      }
    };
  };
  child.stdout.on('data', relay(true));
  child.stderr.on('data', relay(false));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    const done = (status: string, ok: boolean) => {
      clearTimeout(timer);
      resolve({ name, status, ok, ms: performance.now() - t0, stdout });
    };
    child.on('error', (err) => done(`could not start: ${err.message}`, false));
    child.on('exit', (code, signal) => {
      if (timedOut) done(`killed after ${timeoutMs / 60_000} min`, false);
      else if (code === 0) done('ok', true);
      else done(signal ? `ended by ${signal}` : `exit code ${code}`, false);
    });
  });
}

const outcomes: Outcome[] = [];
for (const name of scripts) {
  process.stderr.write(`\n=== bench/${name}.ts ${(ARGS[name] ?? []).join(' ')} ===\n`);
  outcomes.push(await runScript(name));
}

console.log('\n==================== bench summary ====================');
for (const o of outcomes) {
  console.log(`\n--- ${o.name}: ${o.status}, ${(o.ms / 1000).toFixed(0)} s ---`);
  const lines = o.stdout.filter((l) => l.trim() !== '');
  const shown = lines.length > 40 ? lines.filter((l) => /\bratios?\b|findings:|no crash|PROCESS FAILURES|EXITED/i.test(l)) : lines;
  for (const l of shown) console.log(l);
}
if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
console.log(`\n${outcomes.filter((o) => o.ok).length} of ${outcomes.length} scripts ran to the end${outcomes.some((o) => !o.ok) ? `; failed: ${outcomes.filter((o) => !o.ok).map((o) => `${o.name} (${o.status})`).join(', ')}` : ''}`);
