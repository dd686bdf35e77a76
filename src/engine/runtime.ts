import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ENGINE_LIMIT_CONF } from './engine-limits.ts';
import { sharedCopy } from './shared-files.ts';

/**
 * Settings that keep one engine small (DESIGN.md §2; bench/README.md, "Where an idle session's
 * memory goes"), and the limits that make every statement end with an answer (engine-limits.ts).
 * - Postgres touches all of shared_buffers at start: 2MB instead of 8MB saved 8 MB per idle session
 *   with no measurable change in catalog queries; the JSM rows live in temporary tables (temp_buffers).
 * - An engine is one backend, but Postgres sizes its shared memory (process slots, lock table) for
 *   max_connections: 4 instead of 100 took it from 10 to 6 MB and ~4 MB off each engine's RSS.
 *   The lock table shrinks with it: max_locks_per_transaction 128 keeps room for a transaction
 *   that locks ~2,000 relations (beyond, 53200 out of shared memory, and the session goes on).
 * - full_page_writes: the engine's files live in memory and die with it, so torn pages cannot
 *   happen; without the page images the prepare SQL's WAL fits in the segment an engine already
 *   copied from the snapshot, instead of one more 1 MB segment of its own (shared-memfs.ts).
 */
export const ENGINE_CONF = [
  'shared_buffers=2MB', 'wal_buffers=64kB', 'work_mem=4MB', 'temp_buffers=4MB',
  'max_connections=4', 'max_locks_per_transaction=128', 'full_page_writes=off',
  ...ENGINE_LIMIT_CONF,
];

/**
 * PGlite's own start parameters, except the search_path: the JSM schema first (so `SELECT * FROM Requests`
 * resolves and RESET keeps it) and pg_temp last (so a session's rows tables stay behind their relations).
 */
export const ENGINE_START_PARAMS = [
  '--single', '-F', '-O', '-j',
  '-c', 'search_path=jsm,userviews,public,pg_temp',
  '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false',
  '-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0',
  '-c', 'io_method=sync', '-c', 'max_parallel_maintenance_workers=0',
];

export interface EngineRuntime {
  readonly wasmModule: WebAssembly.Module;
  /** PGlite's file-system bundle (pglite.data), in memory every engine thread shares (shared-memfs.ts). */
  readonly bundle: SharedArrayBuffer;
}

let runtime: Promise<EngineRuntime> | undefined;

/** One compiled WASM module and file-system bundle shared by every engine in the process. */
export function engineRuntime(): Promise<EngineRuntime> {
  runtime ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@electric-sql/pglite'));
    const [wasmBytes, data] = await Promise.all([readFile(join(dir, 'pglite.wasm')), readFile(join(dir, 'pglite.data'))]);
    return { wasmModule: await wasm.compile(wasmBytes), bundle: await sharedCopy(data) };
  })();
  return runtime;
}

/** @types/node declares WebAssembly's types but not its runtime value. */
export const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<WebAssembly.Module>; Module: { exports(m: WebAssembly.Module): unknown[] } } }).WebAssembly;
