import { PGlite } from '@electric-sql/pglite';
import { ENGINE_CONF, ENGINE_START_PARAMS, engineRuntime } from './runtime.ts';
import { ENGINE_DATABASE } from './snapshot.ts';

/** When any engine of the process last ran something: boots wait for a quiet moment (see EnginePool). */
let lastUse = 0;
export const msSinceEngineUse = () => performance.now() - lastUse;

/** One session's SQL engine. Never shared: interleaved protocol batches of two clients would clobber each other. */
export class Engine {
  private constructor(readonly db: PGlite) {}

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
  execRaw(bytes: Uint8Array): Promise<Uint8Array> {
    lastUse = performance.now();
    return this.db.execProtocolRaw(bytes, { syncToFs: false });
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> {
    lastUse = performance.now();
    return this.db.query<T>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    lastUse = performance.now();
    await this.db.exec(sql);
  }

  get closed(): boolean {
    return this.db.closed;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
