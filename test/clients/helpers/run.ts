import { spawn, type ChildProcess } from 'node:child_process';
import type { TestStack } from '../../helpers/gateway.ts';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
  /** Leave standard input open for the test to write to (otherwise `input` is written and it is closed). */
  stdinOpen?: boolean;
}

/** A running client process whose output is collected; `done` settles when it exits. */
export interface Running {
  child: ChildProcess;
  done: Promise<RunResult>;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
}

export function start(cmd: string, args: string[], opts: RunOptions = {}): Running {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    // The developer's PG* variables must not leak into a client under test.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  // A client that exits at once (a refused connection) closes its stdin first: EPIPE is not a failure.
  child.stdin!.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') stderr += `\nstdin: ${err.message}`;
  });
  if (opts.stdinOpen) child.stdin!.write(opts.input ?? '');
  else child.stdin!.end(opts.input ?? '');
  return { child, done, output: () => ({ stdout, stderr }) };
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return start(cmd, args, opts).done;
}

/** libpq environment for the demo user on a test stack. */
export function libpqEnv(stack: TestStack, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PGHOST: '127.0.0.1',
    PGPORT: String(stack.port),
    PGUSER: 'demo',
    PGPASSWORD: 'demo',
    PGDATABASE: 'jsm',
    PGCONNECT_TIMEOUT: '10',
    ...extra,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds; throws after `timeoutMs`. */
export async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(100);
  }
}
