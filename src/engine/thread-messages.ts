import type { SharedDataDir } from './shared-files.ts';

/**
 * What crosses between the main thread and an engine thread (engine-thread.ts). Kept to plain
 * data: bytes travel as transferable ArrayBuffers, errors as their name, message and code, since
 * structured cloning drops an Error's class and own fields.
 */

/**
 * Given to a new engine thread: everything it needs to boot without asking the main thread. The
 * bundle and the data directory's bytes are SharedArrayBuffers: every thread sees the same memory.
 */
export interface EngineThreadData {
  readonly wasmModule: WebAssembly.Module;
  readonly bundle: SharedArrayBuffer;
  /** The data directory to boot from; absent for a thread that only builds a snapshot. */
  readonly dataDir?: SharedDataDir;
  readonly database: string;
  readonly conf: readonly string[];
  readonly startParams: readonly string[];
  /** SQL run once after boot, before the thread reports ready (a session's own objects). */
  readonly prepare?: string;
}

export type EngineRequest =
  | { readonly id: number; readonly op: 'raw'; readonly bytes: Uint8Array }
  | { readonly id: number; readonly op: 'query'; readonly sql: string; readonly params?: unknown[] }
  | { readonly id: number; readonly op: 'exec'; readonly sql: string }
  | { readonly id: number; readonly op: 'build'; readonly ddl: string };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type EngineReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError }
  /** The engine died under the request (engine-limits.ts): the thread is of no further use. */
  | { readonly id: number; readonly ok: false; readonly fault: SerializedError };

/** The thread's first message: booted (and prepared), or why not. */
export type EngineThreadStatus = { readonly ready: true } | { readonly ready: false; readonly error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

/** An Error of the same kind (a RangeError stays one: engineFailure words a stack overflow by it). */
export function deserializeError(e: SerializedError): Error {
  const err = e.name === 'RangeError' ? new RangeError(e.message) : new Error(e.message);
  if (e.name !== err.name) err.name = e.name;
  if (e.code) Object.assign(err, { code: e.code });
  return err;
}

/** The buffer to transfer with a message, when the bytes own it whole (a pooled Buffer slice must be copied). */
export function transferable(bytes: Uint8Array): ArrayBuffer[] {
  const buf = bytes.buffer;
  return buf instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buf.byteLength ? [buf] : [];
}
