/**
 * The gateway as its own process (`node bin/jsm-pg.js serve --demo`), for runs where a statement may
 * block or kill the process: the harness keeps its own event loop, sees the exit, and reads the
 * gateway's RSS from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../helpers/free-port.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface SpawnedGateway {
  url: string;
  pid: number;
  /** Set when the process ended: its exit code or signal, and the last lines it printed. */
  exited(): { code: number | null; signal: string | null; tail: string[] } | undefined;
  /** Resident set size of the gateway process in MB (Linux /proc), NaN when unknown. */
  rssMb(): number;
  close(): Promise<void>;
}

export async function spawnGateway(opts: { scale?: string; args?: string[]; readyTimeoutMs?: number } = {}): Promise<SpawnedGateway> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/jsm-pg.js', 'serve', '--demo', '--port', String(port), '--sim-scale', opts.scale ?? 'small', '--log-level', 'error', ...(opts.args ?? [])],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  let exit: { code: number | null; signal: string | null; tail: string[] } | undefined;
  let ready: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim() || line.startsWith('DBG ')) continue;
      if (line.includes('jsm-pg is ready')) ready();
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exitedP = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal, tail: [...tail] };
      resolve();
    }),
  );
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  const outcome = await Promise.race([readyP.then(() => 'ready'), exitedP.then(() => 'exited'), new Promise((r) => setTimeout(() => r('timeout'), timeoutMs).unref())]);
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    throw new Error(`spawned gateway did not become ready (${outcome}):\n${tail.join('\n')}`);
  }
  return {
    url: `postgresql://demo:demo@127.0.0.1:${port}/jsm`,
    pid: child.pid!,
    exited: () => exit,
    rssMb() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : NaN;
      } catch {
        return NaN;
      }
    },
    async close() {
      if (exit) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitedP;
      clearTimeout(t);
    },
  };
}
