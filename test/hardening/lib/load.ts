/**
 * The load run: N sessions connect at once and each sends the mixed workload until a deadline or a
 * statement budget, with bounded waits. Returns the raw figures; callers print or assert them.
 * `runLoadInChild` runs the same clients in a process of their own (load-child.ts), so that their
 * work (pg's protocol parsing, SCRAM's PBKDF2, timers) does not sit in the gateway's event loop.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, deriveSeed } from '../../../src/simulator/prng.ts';
import { close, connect, outcomeKey, run, type Session } from './client.ts';
import { canonicalRows, WORKLOAD, weightedPicker, type WorkloadStatement } from './workload.ts';

export interface LoadOptions {
  url: string;
  sessions: number;
  /** Each session sends statements until this long after the run started (connect time included). */
  durationMs: number;
  /** Optional cap on statements per session (the run ends at whichever comes first). */
  statementsPerSession?: number;
  /**
   * Statements per second each session sends, as a Poisson process: exponential gaps drawn from the
   * seed, so sessions start at random phases and their statements do not arrive in bursts of N. A
   * statement leaves at its arrival time, or at once when the session is behind. Absent: closed
   * loop, each sends its next as soon as the last answers.
   */
  ratePerSession?: number;
  seed?: number;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  statements?: readonly WorkloadStatement[];
  /** Extra statements each session sends right after connecting (e.g. `SET jsm.cache = 'bypass'`). */
  setup?: readonly string[];
  /** Keep a digest of each answer's rows (sorted), to compare sessions with each other. */
  digests?: boolean;
  /** Called while the run is in flight, about every 250 ms (memory sampling). */
  onTick?: () => void;
}

export interface StatementRecord {
  session: number;
  name: string;
  kind: WorkloadStatement['kind'];
  outcome: string;
  ms: number;
  /** When it was answered, ms after the run started. */
  endedAt: number;
  /** sha1 of the sorted rows, with `digests`. */
  digest?: string;
}

export interface LoadResult {
  sessions: number;
  connected: number;
  connectMs: number[];
  /** When the last session connected, ms after the run started (0 when none did). */
  allConnectedAt: number;
  /** Connect failures by SQLSTATE or client message. */
  connectFailures: Map<string, number>;
  connectTimeouts: number;
  records: StatementRecord[];
  /** Sessions whose connection broke or stopped answering after connecting. */
  sessionsLost: number;
  wallMs: number;
}

/** A digest of rows that does not depend on their order. */
export function digestRows(rows: readonly unknown[][]): string {
  return createHash('sha1').update(canonicalRows(rows).join('\n')).digest('hex');
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const statements = opts.statements ?? WORKLOAD;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 30_000;
  const queryTimeoutMs = opts.queryTimeoutMs ?? 60_000;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const result: LoadResult = { sessions: opts.sessions, connected: 0, connectMs: [], allConnectedAt: 0, connectFailures: new Map(), connectTimeouts: 0, records: [], sessionsLost: 0, wallMs: 0 };
  const ticker = opts.onTick ? setInterval(opts.onTick, 250) : undefined;

  const one = async (index: number) => {
    const rng = createRng((opts.seed ?? 1) * 1000 + index);
    const pick = weightedPicker(statements, rng.next);
    // a stream of its own, so that pacing or not picks the same statements
    const arrivals = createRng(deriveSeed((opts.seed ?? 1) * 1000 + index, 'arrivals'));
    const gapMs = (rate: number) => (-Math.log(1 - arrivals.next()) * 1000) / rate;
    const c = await connect(opts.url, connectTimeoutMs, { application_name: `load-${index}` });
    if (!c.ok) {
      if (c.timeout) result.connectTimeouts++;
      const key = c.timeout ? 'connect timeout' : (c.code ?? c.message.slice(0, 60));
      result.connectFailures.set(key, (result.connectFailures.get(key) ?? 0) + 1);
      return;
    }
    result.connected++;
    result.connectMs.push(c.ms);
    result.allConnectedAt = performance.now() - started;
    const session: Session = c.session;
    try {
      for (const sql of opts.setup ?? []) await run(session, sql, { timeoutMs: queryTimeoutMs });
      const rate = opts.ratePerSession;
      // the first arrival is an exponential gap too: the random phase of this session
      let due = performance.now() + (rate ? gapMs(rate) : 0);
      for (let n = 0; (opts.statementsPerSession === undefined || n < opts.statementsPerSession); n++) {
        if (rate) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, deadline - performance.now())));
          due += gapMs(rate);
        }
        if (performance.now() >= deadline) break;
        const s = pick();
        const out = await run(session, s.sql, { timeoutMs: queryTimeoutMs });
        const digest = opts.digests && out.kind === 'rows' ? digestRows(out.rows) : undefined;
        result.records.push({ session: index, name: s.name, kind: s.kind, outcome: outcomeKey(out), ms: out.ms, endedAt: performance.now() - started, digest });
        if (session.dead) {
          result.sessionsLost++;
          break;
        }
      }
    } finally {
      await close(session);
    }
  };

  try {
    await Promise.all(Array.from({ length: opts.sessions }, (_, i) => one(i)));
  } finally {
    if (ticker) clearInterval(ticker);
  }
  result.wallMs = performance.now() - started;
  return result;
}

/** The load-child.ts process: the same run, its clients off this process's event loop and CPU accounting. */
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'load-child.ts');

/** What crosses the IPC channel (a Map does not). */
export type SerializedLoadResult = Omit<LoadResult, 'connectFailures'> & { connectFailures: [string, number][] };

/**
 * `runLoad` in a child process (node --import tsx load-child.ts); `onTick` stays here, on a timer
 * of this process (the child cannot call back into it).
 */
export async function runLoadInChild(opts: LoadOptions): Promise<LoadResult> {
  const { onTick, ...plain } = opts;
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ticker = onTick ? setInterval(onTick, 250) : undefined;
  try {
    const answer = await new Promise<SerializedLoadResult>((resolve, reject) => {
      child.once('message', (msg: { result?: SerializedLoadResult; error?: string }) => (msg.result ? resolve(msg.result) : reject(new Error(`load child failed: ${msg.error}`))));
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`load child exited (${signal ?? code}) before answering`)));
      child.send(plain);
    });
    return { ...answer, connectFailures: new Map(answer.connectFailures) };
  } finally {
    if (ticker) clearInterval(ticker);
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** Waits until the gateway reports no live session (or the timeout passes); returns how long it took, or -1. */
export async function waitForNoSessions(gateway: { sessionCount(): number }, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (gateway.sessionCount() > 0) {
    if (performance.now() - t0 > timeoutMs) return -1;
    await new Promise((r) => setTimeout(r, 50));
  }
  return performance.now() - t0;
}
