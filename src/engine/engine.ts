import { PGlite } from '@electric-sql/pglite';
import { PgError } from '../errors/index.ts';
import { engineFailure, engineReplied, guardEngine, type EngineGuard } from './engine-limits.ts';
import { ENGINE_CONF, ENGINE_START_PARAMS, engineRuntime } from './runtime.ts';
import { ENGINE_DATABASE } from './snapshot.ts';

/** When any engine of the process last ran something: boots wait for a quiet moment (see EnginePool). */
let lastUse = 0;
export const msSinceEngineUse = () => performance.now() - lastUse;

/** One session's SQL engine. Never shared: interleaved protocol batches of two clients would clobber each other. */
export class Engine {
  private readonly guard: EngineGuard;

  private constructor(readonly db: PGlite) {
    this.guard = guardEngine(db);
  }

  static async boot(snapshot: Blob): Promise<Engine> {
    const { wasmModule, fsBundle } = await engineRuntime();
    const db = await PGlite.create({
      pgliteWasmModule: wasmModule,
      fsBundle,
      loadDataDir: snapshot,
      database: ENGINE_DATABASE,
      postgresqlconf: ENGINE_CONF,
      startParams: ENGINE_START_PARAMS,
    });
    return new Engine(db);
  }

  /** Forward raw frontend protocol bytes; returns the backend bytes the engine produced. */
  /** Raw frontend bytes in, backend bytes out; a FATAL PgError once the engine died under them (see engine-limits.ts). */
  async execRaw(bytes: Uint8Array): Promise<Uint8Array> {
    lastUse = performance.now();
    const out = await this.alive(() => this.db.execProtocolRaw(bytes, { syncToFs: false }));
    // nothing at all for a Query or Sync (a COPY FROM STDIN answers CopyInResponse, not ReadyForQuery)
    if (out.length === 0 && !engineReplied(bytes, out)) throw this.failed(new Error('the engine answered nothing'));
    return out;
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> {
    lastUse = performance.now();
    return this.alive(() => this.db.query<T>(sql, params));
  }

  async exec(sql: string): Promise<void> {
    lastUse = performance.now();
    await this.alive(() => this.db.exec(sql));
  }

  /** Runs `work`, then turns a fault the guard saw into the session's FATAL error. */
  private async alive<T>(work: () => Promise<T>): Promise<T> {
    if (this.guard.fault) throw this.failed(this.guard.fault);
    try {
      const result = await work();
      if (this.guard.fault) throw this.failed(this.guard.fault);
      return result;
    } catch (err) {
      if (this.guard.fault && !(err instanceof PgError)) throw this.failed(this.guard.fault);
      throw err;
    }
  }

  private failed(fault: Error): PgError {
    this.dead = true;
    return engineFailure(this.guard.fault ?? fault);
  }

  /** The engine failed outside Postgres's error handling and cannot be used again. */
  dead = false;

  get closed(): boolean {
    return this.db.closed;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
