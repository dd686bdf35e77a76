/**
 * The fault run: the read workload with the simulator misbehaving, compared row by row with the same
 * statements fault-free. Every statement must give exactly the fault-free rows or fail with an error
 * that has a SQLSTATE; a shorter (or otherwise different) result is a wrong answer. A phase can also
 * stop and restart the simulator while statements run.
 */
import { NO_FAULTS, type SimFaults } from '../../../src/simulator/types.ts';
import { createRng } from '../../../src/simulator/prng.ts';
import { alive, close, connect, outcomeKey, run, type Session } from './client.ts';
import type { HardeningStack } from './stack.ts';
import { canonicalRows, type WorkloadStatement } from './workload.ts';

export interface FaultPhase {
  name: string;
  faults?: Partial<SimFaults>;
  /** Stop the simulator for `downMs` every `everyMs` while the phase runs. */
  restarts?: { everyMs: number; downMs: number; /** Sessions repeat the statements (up to 10 rounds) until this many restarts happened. */ min?: number };
  /** Sessions read through the shared cache instead of bypassing it (a poisoned cache shows in the next phase). */
  sharedCache?: boolean;
  /** `CALL jsm.clear_cache()` before the phase, so a shared-cache phase fetches under the faults. */
  clearCache?: boolean;
}

export interface PhaseResult {
  phase: FaultPhase;
  statements: number;
  same: number;
  /** Errors with a SQLSTATE, by SQLSTATE. */
  errors: Map<string, number>;
  /** Each error with its statement (XX000 ones are bugs even when the rest is fine). */
  errorList: { name: string; code: string; message: string }[];
  /** Different rows: each with the statement and how they differ. */
  wrong: { name: string; detail: string }[];
  /** No SQLSTATE, or no answer in time. */
  broken: { name: string; outcome: string }[];
  sessionsLost: number;
  restarts: number;
  apiStatuses: Map<number, number>;
  wallMs: number;
}

export interface FaultRunOptions {
  stack: HardeningStack;
  statements: readonly WorkloadStatement[];
  phases: readonly FaultPhase[];
  /** Concurrent sessions per phase; each runs every statement once, in its own order. */
  sessions: number;
  timeoutMs: number;
  /** The gateway's per-statement Timeout (seconds) set in every session, so nothing waits forever on the API. */
  statementTimeoutS?: number;
  seed?: number;
  onPhase?: (r: PhaseResult) => void;
}

export interface FaultRunResult {
  /** Statements whose two fault-free runs differed or failed: left out of the comparison. */
  unstable: string[];
  phases: PhaseResult[];
}

function diffRows(expected: string[], got: string[]): string {
  const missing = expected.filter((r) => !got.includes(r));
  const extra = got.filter((r) => !expected.includes(r));
  const size = got.length < expected.length ? 'FEWER rows' : got.length > expected.length ? 'more rows' : 'same count, different rows';
  return `${size}: ${got.length} instead of ${expected.length}; missing ${missing.length} (e.g. ${missing[0] ?? '-'}), extra ${extra.length} (e.g. ${extra[0] ?? '-'})`;
}

async function openSession(url: string, timeoutMs: number, sharedCache: boolean, statementTimeoutS: number): Promise<Session | undefined> {
  const c = await connect(url, timeoutMs);
  if (!c.ok) return undefined;
  if (!sharedCache) await run(c.session, "SET jsm.cache = 'bypass'", { timeoutMs });
  if (statementTimeoutS > 0) await run(c.session, `SET jsm.timeout = '${statementTimeoutS}'`, { timeoutMs });
  return c.session;
}

export async function runFaultComparison(opts: FaultRunOptions): Promise<FaultRunResult> {
  const { stack } = opts;
  const statementTimeoutS = opts.statementTimeoutS ?? 0;
  stack.setFaults({ ...NO_FAULTS });

  // The fault-free rows, twice: a statement that does not give the same rows twice cannot be compared.
  const expected = new Map<string, string[]>();
  const unstable: string[] = [];
  const base = await openSession(stack.url, opts.timeoutMs, false, statementTimeoutS);
  if (!base) throw new Error('fault run: cannot connect for the fault-free run');
  for (const s of opts.statements) {
    const a = await run(base, s.sql, { timeoutMs: opts.timeoutMs });
    const b = await run(base, s.sql, { timeoutMs: opts.timeoutMs });
    if (a.kind !== 'rows' || b.kind !== 'rows' || JSON.stringify(canonicalRows(a.rows)) !== JSON.stringify(canonicalRows(b.rows))) {
      unstable.push(`${s.name} (${outcomeKey(a)} / ${outcomeKey(b)})`);
      continue;
    }
    expected.set(s.name, canonicalRows(a.rows));
  }
  await close(base);
  const compared = opts.statements.filter((s) => expected.has(s.name));

  const phases: PhaseResult[] = [];
  for (const [pi, phase] of opts.phases.entries()) {
    if (phase.clearCache) {
      const c = await openSession(stack.url, opts.timeoutMs, true, 0);
      const cleared = c ? await run(c, 'CALL jsm.clear_cache()', { timeoutMs: opts.timeoutMs }) : undefined;
      if (c) await close(c);
      if (cleared?.kind !== 'rows') throw new Error(`fault run: CALL jsm.clear_cache() failed: ${cleared ? outcomeKey(cleared) : 'no session'}`);
    }
    stack.setFaults({ ...NO_FAULTS, ...phase.faults });
    await fetch(`${stack.sim.url}/__sim/calls`, { method: 'DELETE' }).catch(() => {});
    const result: PhaseResult = { phase, statements: 0, same: 0, errors: new Map(), errorList: [], wrong: [], broken: [], sessionsLost: 0, restarts: 0, apiStatuses: new Map(), wallMs: 0 };
    const countCalls = async () => {
      try {
        const res = await fetch(`${stack.sim.url}/__sim/calls`);
        const body = (await res.json()) as { status: number; path: string }[] | { calls: { status: number; path: string }[] };
        for (const c of Array.isArray(body) ? body : body.calls) if (c.path.startsWith('/rest/')) result.apiStatuses.set(c.status, (result.apiStatuses.get(c.status) ?? 0) + 1);
      } catch {
        // the simulator is down: its calls since the last restart are lost with it
      }
    };
    const t0 = performance.now();
    let running = true;
    let restarterAlive = true;
    const restarter = phase.restarts
      ? (async () => {
          while (running) {
            await new Promise((r) => setTimeout(r, phase.restarts!.everyMs));
            if (!running) break;
            await countCalls();
            await stack.restartSimulator(phase.restarts!.downMs);
            stack.setFaults({ ...NO_FAULTS, ...phase.faults });
            result.restarts++;
          }
        })().finally(() => {
          restarterAlive = false;
        })
      : undefined;

    const worker = async (w: number) => {
      const rng = createRng((opts.seed ?? 1) * 7919 + pi * 101 + w);
      const order = [...compared];
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let session = await openSession(stack.url, opts.timeoutMs, phase.sharedCache ?? false, statementTimeoutS);
      const one = async (s: WorkloadStatement) => {
        if (!session) {
          result.sessionsLost++;
          session = await openSession(stack.url, opts.timeoutMs, phase.sharedCache ?? false, statementTimeoutS);
          if (!session) {
            result.broken.push({ name: s.name, outcome: 'could not reconnect' });
            return;
          }
        }
        const out = await run(session, s.sql, { timeoutMs: opts.timeoutMs });
        result.statements++;
        if (out.kind === 'rows') {
          const got = canonicalRows(out.rows);
          const want = expected.get(s.name)!;
          if (JSON.stringify(got) === JSON.stringify(want)) result.same++;
          else result.wrong.push({ name: s.name, detail: diffRows(want, got) });
        } else if (out.kind === 'error') {
          result.errors.set(out.code, (result.errors.get(out.code) ?? 0) + 1);
          result.errorList.push({ name: s.name, code: out.code, message: out.message });
          if (!(await alive(session, opts.timeoutMs))) {
            await close(session);
            session = undefined;
          }
        } else {
          result.broken.push({ name: s.name, outcome: outcomeKey(out) });
          await close(session);
          session = undefined;
        }
      };
      // A restart phase repeats the statements until the simulator restarted often enough: the
      // restarter runs on its own clock, so this ends however fast the rounds are (cached rounds
      // take milliseconds); the round cap only guards against a restarter that stopped.
      const again = () => phase.restarts !== undefined && restarterAlive && result.restarts < (phase.restarts.min ?? 1);
      for (let round = 0; round === 0 || (again() && round < 10_000); round++) {
        for (const s of order) await one(s);
      }
      if (session) await close(session);
    };
    await Promise.all(Array.from({ length: opts.sessions }, (_, w) => worker(w)));
    running = false;
    await restarter;
    await countCalls();
    result.wallMs = performance.now() - t0;
    phases.push(result);
    opts.onPhase?.(result);
  }
  stack.setFaults({ ...NO_FAULTS });
  return { unstable, phases };
}
