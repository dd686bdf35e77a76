/**
 * The SQL fuzzer's run: each generated statement on one session, then `SELECT 1` on that session
 * and on another one, every wait bounded. A finding is a statement that did not answer in time, an
 * error without a SQLSTATE (a dropped connection), a session that stopped answering afterwards, or a
 * process-level failure (uncaught exception, unhandled rejection) while it ran.
 */
import { alive, close, connect, outcomeKey, run, type Outcome, type Session } from './client.ts';
import { SqlGenerator, type FuzzCase } from './sql-gen.ts';

export interface FuzzOptions {
  url: string;
  seed: number;
  count: number;
  /** The longest wait for one statement or one `SELECT 1`. */
  timeoutMs: number;
  hostile?: boolean;
  /** The fuzzed session is replaced by a new one every this many statements (session churn). */
  rotateEvery?: number;
  /** Process-level failures recorded so far (see watchProcess): a new one is blamed on the statement that was running. */
  processFailures?: () => number;
  /** Only these case indexes (a replay). */
  only?: ReadonlySet<number>;
  onCase?: (c: FuzzCase, outcome: Outcome) => void;
}

export interface FuzzFinding {
  case: FuzzCase;
  problem: string;
  outcome: string;
}

export interface FuzzResult {
  cases: number;
  outcomes: Map<string, number>;
  byShape: Map<string, Map<string, number>>;
  /** The first message seen for each SQLSTATE, with its statement. */
  examples: Map<string, { message: string; sql: string }>;
  findings: FuzzFinding[];
  /** XX000 answers: the gateway or the engine failed internally (the session survived, but it is a bug). */
  internal: { case: FuzzCase; message: string }[];
  slowest: { case: FuzzCase; ms: number }[];
  wallMs: number;
}

export const describeCase = (c: FuzzCase) =>
  `#${c.index} [${c.shape}${c.values ? ` values=${JSON.stringify(c.values)}` : c.extended ? ' extended' : ''}] ${c.sql.length > 400 ? c.sql.slice(0, 400) + `… (${c.sql.length} chars)` : c.sql}`;

export async function runSqlFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const t0 = performance.now();
  const cases = new SqlGenerator({ seed: opts.seed, hostile: opts.hostile }).generate(opts.count).filter((c) => !opts.only || opts.only.has(c.index));
  const result: FuzzResult = { cases: cases.length, outcomes: new Map(), byShape: new Map(), examples: new Map(), findings: [], internal: [], slowest: [], wallMs: 0 };
  const open = async (what: string, c?: FuzzCase): Promise<Session | undefined> => {
    const s = await connect(opts.url, opts.timeoutMs, { application_name: `fuzz-${what}` });
    if (s.ok) return s.session;
    if (c) result.findings.push({ case: c, problem: `could not open the ${what} session afterwards: ${s.code ?? ''} ${s.message}`, outcome: 'connect failed' });
    else throw new Error(`fuzz: cannot connect the ${what} session: ${s.message}`);
    return undefined;
  };
  let main = await open('main');
  let other = await open('other');
  let failuresBefore = opts.processFailures?.() ?? 0;
  let sinceRotate = 0;

  for (const c of cases) {
    if (!main) main = await open('main', c);
    if (!other) other = await open('other', c);
    if (!main || !other) break;
    const out = await run(main, c.sql, { timeoutMs: opts.timeoutMs, values: c.values, extended: c.extended });
    opts.onCase?.(c, out);
    const key = outcomeKey(out);
    result.outcomes.set(key, (result.outcomes.get(key) ?? 0) + 1);
    const shape = result.byShape.get(c.shape) ?? new Map<string, number>();
    shape.set(key, (shape.get(key) ?? 0) + 1);
    result.byShape.set(c.shape, shape);
    if (out.kind === 'error') {
      if (!result.examples.has(out.code)) result.examples.set(out.code, { message: out.message, sql: c.sql.slice(0, 300) });
      if (out.code === 'XX000') result.internal.push({ case: c, message: out.message });
    }
    result.slowest.push({ case: c, ms: out.ms });
    result.slowest.sort((a, b) => b.ms - a.ms).splice(5);
    if (out.kind === 'timeout') result.findings.push({ case: c, problem: `no answer within ${opts.timeoutMs} ms`, outcome: key });
    if (out.kind === 'broken') result.findings.push({ case: c, problem: `failed without a SQLSTATE: ${out.message}`, outcome: key });

    if (!main.dead && !(await alive(main, opts.timeoutMs))) result.findings.push({ case: c, problem: 'the session did not answer SELECT 1 afterwards', outcome: key });
    if (!(await alive(other, opts.timeoutMs))) result.findings.push({ case: c, problem: 'another session did not answer SELECT 1 afterwards', outcome: key });
    const failuresNow = opts.processFailures?.() ?? 0;
    if (failuresNow > failuresBefore) result.findings.push({ case: c, problem: `${failuresNow - failuresBefore} process-level failure(s) (uncaught exception / unhandled rejection) while it ran`, outcome: key });
    failuresBefore = failuresNow;

    if (main.dead) {
      await close(main);
      main = undefined;
      sinceRotate = 0;
    } else if (opts.rotateEvery && ++sinceRotate >= opts.rotateEvery) {
      await close(main);
      main = undefined;
      sinceRotate = 0;
    }
    if (other.dead) {
      await close(other);
      other = undefined;
    }
  }
  if (main) await close(main);
  if (other) await close(other);
  result.wallMs = performance.now() - t0;
  return result;
}
