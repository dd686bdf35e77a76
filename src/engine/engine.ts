import { Worker } from 'node:worker_threads';
import { PgError, SqlState } from '../errors/index.ts';
import { ENGINE_GATE } from './engine-gate.ts';
import { engineFailure, engineReplied } from './engine-limits.ts';
import { ENGINE_CONF, ENGINE_START_PARAMS, engineRuntime } from './runtime.ts';
import { sharedDataDir } from './shared-files.ts';
import { engineThreadCode } from './thread-code.ts';
import {
  deserializeError, transferable,
  type EngineReply, type EngineRequest, type EngineThreadData, type EngineThreadStatus,
} from './thread-messages.ts';

export const ENGINE_DATABASE = 'jsm';


type Op = EngineRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;
type RequestOf<O extends Op> = Omit<Extract<EngineRequest, { op: O }>, 'id'>;

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; release: () => void }

/** One engine thread and the requests waiting for its answers. */
class EngineThread {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests waiting at the ENGINE_GATE. */
  private gated = 0;
  /** Why the thread is gone (set before terminate, or from an exit nobody asked for). */
  private ended?: Error;
  exited = false;

  private constructor(private readonly worker: Worker, public onFault: (fault: Error) => void) {
    worker.on('message', (msg: EngineReply) => this.answer(msg));
    worker.on('error', (err) => this.end(engineFailure(err)));
    worker.on('exit', (code) => {
      this.exited = true;
      this.end(engineFailure(new Error(`the engine thread exited with code ${code}`)));
    });
  }

  static async start(data: EngineThreadData, onFault: (fault: Error) => void): Promise<EngineThread> {
    // a small young generation: the thread's JavaScript is a thin loop around PGlite, and V8's
    // default semi-spaces alone held ~15 MB per idle session
    const worker = new Worker(await engineThreadCode(), { workerData: data, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    const listeners: [string, (arg: never) => void][] = [];
    const status = await new Promise<EngineThreadStatus>((resolve, reject) => {
      listeners.push(['message', resolve], ['error', reject], ['exit', (code: number) => reject(new Error(`the engine thread exited with code ${code} while starting`))]);
      for (const [event, fn] of listeners) worker.once(event, fn as (arg: unknown) => void);
    }).catch((err: unknown) => ({ ready: false as const, error: { name: 'Error', message: String((err as Error)?.message ?? err) } }));
    // only these: the Worker's own listeners keep its message port referenced
    for (const [event, fn] of listeners) worker.off(event, fn as (arg: unknown) => void);
    if (!status.ready) {
      await worker.terminate();
      throw deserializeError(status.error);
    }
    return new EngineThread(worker, onFault);
  }

  get busy(): boolean {
    return this.pending.size > 0 || this.gated > 0;
  }

  get gone(): boolean {
    return this.exited || this.ended !== undefined;
  }

  async request<O extends Op>(req: RequestOf<O>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.ended) throw this.ended;
    // waiting for its turn counts as busy: a cancel then ends the thread, and the request with it
    this.gated++;
    const release = await ENGINE_GATE.enter().finally(() => this.gated--);
    if (this.ended) {
      release();
      throw this.ended;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, release });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  private answer(msg: EngineReply): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.release();
    if (msg.ok) return p.resolve(msg.value);
    if ('fault' in msg) {
      const fault = deserializeError(msg.fault);
      this.onFault(fault);
      return p.reject(engineFailure(fault));
    }
    p.reject(deserializeError(msg.error));
  }

  /** Rejects what waits with `reason` and stops the thread (its memory goes with it). */
  async end(reason: Error): Promise<void> {
    this.ended ??= reason;
    for (const p of this.pending.values()) {
      p.release();
      p.reject(this.ended);
    }
    this.pending.clear();
    if (!this.exited) await this.worker.terminate().catch(() => undefined);
  }
}

/**
 * One session's SQL engine, running in a thread of its own (DESIGN.md §8). Never shared:
 * interleaved protocol batches of two clients would clobber each other. A handle lets go of its
 * thread when another handle takes it over (adopt): from then on it is closed.
 */
export class Engine {
  /** The engine failed outside Postgres's error handling and cannot be used again. */
  dead = false;
  private thread?: EngineThread;

  /** @param prepared the SQL the engine ran after its boot */
  private constructor(readonly prepared: string) {}

  /** Boots an engine from the data directory in a new thread, then runs `prepare` there. */
  static async boot(snapshot: Blob, opts: { prepare?: string } = {}): Promise<Engine> {
    const [{ wasmModule, bundle }, dataDir] = await Promise.all([engineRuntime(), sharedDataDir(snapshot)]);
    const engine = new Engine(opts.prepare ?? '');
    engine.take(await EngineThread.start({
      wasmModule, bundle, dataDir, database: ENGINE_DATABASE, conf: ENGINE_CONF, startParams: ENGINE_START_PARAMS, prepare: opts.prepare,
    }, () => undefined));
    return engine;
  }

  private take(thread: EngineThread): void {
    this.thread = thread;
    thread.onFault = () => (this.dead = true);
  }

  private get t(): EngineThread {
    if (!this.thread) throw new PgError(SqlState.AdminShutdown, 'the session\'s SQL engine was closed', { severity: 'FATAL' });
    return this.thread;
  }

  /** Raw frontend bytes in, backend bytes out; a FATAL PgError once the engine died under them (see engine-limits.ts). */
  async execRaw(bytes: Uint8Array): Promise<Uint8Array> {
    const out = (await this.t.request<'raw'>({ op: 'raw', bytes }, transferable(bytes))) as Uint8Array;
    // nothing at all for a Query or Sync (a COPY FROM STDIN answers CopyInResponse, not ReadyForQuery)
    if (out.length === 0 && !engineReplied(bytes, out)) {
      this.dead = true;
      await this.t.end(engineFailure(new Error('the engine answered nothing')));
      throw engineFailure(new Error('the engine answered nothing'));
    }
    return out;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> {
    return { rows: (await this.t.request<'query'>({ op: 'query', sql, params })) as T[] };
  }

  async exec(sql: string): Promise<void> {
    await this.execScript(sql);
  }

  /** Runs statements over the simple protocol (no parameters: what EXPLAIN (GENERIC_PLAN) needs); the rows of each. */
  async execScript<T = Record<string, unknown>>(sql: string): Promise<T[][]> {
    return (await this.t.request<'exec'>({ op: 'exec', sql })) as T[][];
  }

  /** Whether a request is running in the engine now. */
  get busy(): boolean {
    return this.thread?.busy ?? false;
  }

  /**
   * Stops what the engine is running by ending its thread: the pending request fails with
   * `reason`. The engine is then of no use until it adopts a fresh one (PGlite has no signals:
   * neither a cancel nor statement_timeout reaches a running statement).
   */
  async interrupt(reason: PgError): Promise<void> {
    this.dead = true;
    await this.thread?.end(reason);
  }

  /** Takes over `fresh`'s thread, after an interrupt or a failure; `fresh` is left closed. */
  adopt(fresh: Engine): void {
    const old = this.thread;
    const thread = fresh.t;
    fresh.thread = undefined;
    fresh.dead = true;
    this.take(thread);
    this.dead = false;
    void old?.end(new Error('replaced'));
  }

  get closed(): boolean {
    return this.thread?.gone ?? true;
  }

  async close(): Promise<void> {
    await this.thread?.end(new PgError(SqlState.AdminShutdown, 'the session\'s SQL engine was closed'));
  }
}

/** Builds an engine data directory from `ddl` in a thread of its own (snapshot-build.ts). */
export async function buildInThread(ddl: string): Promise<Blob> {
  const { wasmModule, bundle } = await engineRuntime();
  const thread = await EngineThread.start({ wasmModule, bundle, database: ENGINE_DATABASE, conf: ENGINE_CONF, startParams: [] }, () => undefined);
  try {
    return new Blob([(await thread.request<'build'>({ op: 'build', ddl })) as Uint8Array<ArrayBuffer>]);
  } finally {
    await thread.end(new Error('built'));
  }
}
