import type { PGlite } from '@electric-sql/pglite';
import { PgError, SqlState } from '../errors/index.ts';

/*
 * What makes a statement end with an answer inside a PGlite engine (issue 14, finding 4).
 * Measured on PGlite 0.5.16 / Node 20 (figures in test/engine/limits.test.ts and below).
 *
 * PGlite runs Postgres as WebAssembly on the calling thread's V8 stack: about 984 kB on the main
 * thread, about 4 MB in a worker thread whatever `resourceLimits.stackSizeMB` says. Postgres's own
 * guard, max_stack_depth, measures only the WebAssembly shadow stack (locals whose address is taken),
 * which grows far slower than the V8 stack: at the default 2MB a deep expression, a deep jsonb literal
 * or plpgsql recursion overflows V8 first. Then PGlite swallows the RangeError ("Maximum call stack
 * size exceeded") inside execProtocolRaw, returns no bytes at all (no ErrorResponse, no
 * ReadyForQuery: the client waits forever) and the engine is left with Postgres's state half
 * unwound: later statements answer nothing ("table index is out of bounds") or answer with leaked
 * snapshots and cache references. Such an engine must never serve another statement.
 *
 * Engines now run in worker threads (engine.ts), with about 4 MB of V8 stack: there every shape
 * measured below on the main thread (SQL-function recursion, a regular expression nested 3,000
 * deep, subqueries 1,000 deep) ends with Postgres's own 54001 first (test/engine/limits.test.ts).
 * The settings, the session's refusals and the guard stay: they cost nothing and bound what a
 * larger statement could still do.
 */

/**
 * Engine settings that bound what a statement can do before Postgres stops it with its own error.
 *
 * - max_stack_depth=100kB (the lowest value Postgres accepts): on the main thread, deep
 *   expressions (`1+1+…` beyond ~450 terms: at 140kB and up the engine died instead), nested
 *   function calls, jsonb nesting beyond ~1,260 levels, CASE/coalesce/NOT nesting and plpgsql
 *   recursion beyond 70 levels now fail with 54001 and the engine lives on. It cannot protect query
 *   nesting (subqueries, derived tables, chains of WITH queries or views: the planner recursion
 *   overflows V8 after 90–185 levels with less than 100 kB of shadow stack) nor SQL-function
 *   recursion (~1,370 levels, dies at every setting): the first are refused from the parse tree
 *   (session/refusals.ts), and both are caught by guardEngine below.
 * - temp_file_limit=128MB: statement_timeout is never enforced inside PGlite (no timer signals:
 *   `SET statement_timeout='2s'; SELECT pg_sleep(10)` takes 10 s), so a runaway statement ends only
 *   by an error. Unbounded `WITH RECURSIVE` (UNION and UNION ALL), `generate_series` to 10⁹ in FROM
 *   and array_agg over it spill to temporary files, which live in the engine's in-memory file
 *   system; with the limit they stop with 53400 after 3–25 s instead of growing until the process
 *   dies. 128 MB covers a spilled sort of the largest fetch the call cap allows.
 *
 * Both are superuser-only settings: refusals.ts refuses raising them while client SQL runs as a
 * superuser.
 */
export const ENGINE_LIMIT_CONF: readonly string[] = ['max_stack_depth=100kB', 'temp_file_limit=128MB'];

/** Settings a client must not change (their names as Postgres spells them, lower case). */
export const PROTECTED_SETTINGS: ReadonlySet<string> = new Set(['max_stack_depth', 'temp_file_limit']);

/** What guardEngine reports about one engine. */
export interface EngineGuard {
  /** Set once the engine failed outside Postgres's error handling; the engine is dead from then on. */
  readonly fault: Error | undefined;
}

/** Postgres's errors reach PGlite's loop as this Emscripten exit status (PGlite's POSTGRES_MAIN_LONGJMP). */
const POSTGRES_ERROR_STATUS = 100;
/** Emscripten's errno for EACCES (its numbering, not Linux's). */
const EMSCRIPTEN_EACCES = 2;

interface EmscriptenModule {
  _PostgresMainLoopOnce?: (...args: unknown[]) => unknown;
  ___errno_location?: () => number;
  HEAPU8?: Uint8Array;
}

interface GuardedPGlite {
  Module?: EmscriptenModule;
  handleExternalCmd?: (cmd: string, mode: string) => number;
  execProtocolRawSync?: (message: Uint8Array) => Uint8Array;
}

/** Emscripten's ExitStatus and longjmp objects are not Errors. */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  const o = err as { name?: unknown; message?: unknown; status?: unknown } | null;
  const e = new Error(`engine failed: ${typeof o?.message === 'string' ? o.message : String(err)}`, { cause: err });
  if (typeof o?.name === 'string') e.name = o.name;
  return e;
}

const guards = new WeakMap<PGlite, { fault: Error | undefined }>();

/**
 * Installs on one engine (once; later calls return the same guard):
 *  - a fault watch: any exception other than a Postgres error that leaves Postgres's main loop
 *    (V8 stack overflow, a JS error from a PGlite callback) is recorded in `fault`. PGlite swallows it
 *    and execProtocolRaw still resolves, often with no bytes. Postgres exiting (ExitStatus, thrown
 *    out of execProtocolRaw) is recorded too: after it the next message never returns. The caller
 *    must check `fault` after each call, and before the next: when set, end the session with
 *    engineFailure(fault) and close (never pool) the engine. close() works on a dead engine.
 *  - a refusal of external programs: PGlite answers popen (COPY … TO/FROM PROGRAM, also from
 *    functions and DO blocks the parse tree does not show) by throwing "Unhandled cmd" through
 *    Postgres, which kills the engine. Answering "permission denied" instead makes Postgres raise
 *    42501 `could not execute command "…": Permission denied` and carry on. PGlite's own
 *    `locale -a` is passed through.
 * Depends on PGlite 0.5 internals (`Module._PostgresMainLoopOnce`, `execProtocolRawSync`,
 * `handleExternalCmd`); when they
 * are missing nothing is installed, and engineReplied() still notices an engine that answers nothing.
 */
export function guardEngine(db: PGlite): EngineGuard {
  const existing = guards.get(db);
  if (existing) return existing;
  const guard: { fault: Error | undefined } = { fault: undefined };
  guards.set(db, guard);
  const pg = db as unknown as GuardedPGlite;
  const mod = pg.Module;

  const loopOnce = mod?._PostgresMainLoopOnce;
  if (mod && typeof loopOnce === 'function') {
    mod._PostgresMainLoopOnce = (...args: unknown[]) => {
      try {
        return loopOnce(...args);
      } catch (err) {
        if ((err as { status?: unknown } | null)?.status !== POSTGRES_ERROR_STATUS) guard.fault ??= asError(err);
        throw err;
      }
    };
  }

  // What escapes PGlite's loop: Postgres exiting (ExitStatus), e.g. `COPY … FROM STDIN` sent without its
  // data: Postgres reads end of input and exits; the next message to that engine then spins forever.
  const rawSync = pg.execProtocolRawSync;
  if (typeof rawSync === 'function') {
    pg.execProtocolRawSync = (message: Uint8Array) => {
      try {
        return rawSync.call(db, message);
      } catch (err) {
        guard.fault ??= asError(err);
        throw err;
      }
    };
  }

  const external = pg.handleExternalCmd;
  if (mod && typeof external === 'function') {
    pg.handleExternalCmd = (cmd: string, mode: string) => {
      if (cmd.startsWith('locale -a')) return external.call(db, cmd, mode);
      const errno = mod.___errno_location?.();
      if (errno !== undefined && mod.HEAPU8) new DataView(mod.HEAPU8.buffer).setInt32(errno, EMSCRIPTEN_EACCES, true);
      return 0; // a NULL FILE*: Postgres reports "could not execute command"
    };
  }
  return guard;
}

/**
 * The error a session gets when its engine died under a statement: FATAL, then the session ends
 * (its engine is closed and replaced; other sessions are untouched). A stack overflow says so,
 * with Postgres's own wording, since the statement's depth caused it.
 */
export function engineFailure(fault: Error): PgError {
  const detail = 'The SQL engine of this session failed while running the statement and cannot continue; the session ends. Other sessions are not affected.';
  if (fault instanceof RangeError) {
    return new PgError(SqlState.StatementTooComplex, 'stack depth limit exceeded', {
      severity: 'FATAL',
      detail,
      hint: 'The statement nests or recurses too deeply (subqueries, views, WITH queries or function calls); reduce its depth.',
    }, { cause: fault });
  }
  const message = fault.name === 'ExitStatus' ? 'the SQL engine of this session exited' : 'the SQL engine of this session failed';
  return new PgError(SqlState.InternalError, message, { severity: 'FATAL', detail }, { cause: fault });
}

/**
 * Whether engine output answers the input: a Query or a Sync must be answered by a trailing
 * ReadyForQuery. False means the engine died (PGlite returns no bytes after a stack overflow).
 * Only a backstop to guardEngine: in a pipeline the messages after a failure can still produce a
 * ReadyForQuery from the broken engine.
 */
export function engineReplied(input: Uint8Array, output: Uint8Array): boolean {
  if (!expectsReady(input)) return true;
  const n = output.length;
  return n >= 6 && output[n - 6] === 0x5a && output[n - 5] === 0 && output[n - 4] === 0 && output[n - 3] === 0 && output[n - 2] === 5;
}

function expectsReady(input: Uint8Array): boolean {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let off = 0;
  while (off + 5 <= input.length) {
    const type = input[off];
    if (type === 0x51 /* Q */ || type === 0x53 /* S */) return true;
    const len = view.getInt32(off + 1);
    if (len < 4) return false;
    off += 1 + len;
  }
  return false;
}
