import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ENGINE_LIMIT_CONF } from './engine-limits.ts';
import { sharedCopy } from './shared-files.ts';

/**
 * Settings that keep one engine near 57 MB instead of 200+ (DESIGN.md §2), and the limits that make
 * every statement end with an answer (engine-limits.ts). Postgres touches all of shared_buffers at
 * start: 2MB instead of 8MB saved 8 MB per idle session (65.2 → 57.3 MB, 10 engines) with no
 * measurable change in catalog queries; the JSM rows live in temporary tables (temp_buffers).
 */
export const ENGINE_CONF = ['shared_buffers=2MB', 'wal_buffers=64kB', 'work_mem=4MB', 'temp_buffers=4MB', ...ENGINE_LIMIT_CONF];

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
