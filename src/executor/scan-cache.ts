import type { ApiCall } from '../planner/scan-plan.ts';
import type { Row } from '../adapters/row-mapper.ts';
import type { TableDecl } from '../catalog/types.ts';

interface Entry {
  readonly table: string;
  readonly call: ApiCall;
  readonly rows: Row[];
  readonly expires: number;
  /** Set when the fetch stopped at a pushed LIMIT: reusable only for the same call and limit. */
  readonly limit?: number;
}

interface Inflight {
  readonly promise: Promise<Row[]>;
  readonly controller: AbortController;
  waiters: number;
}

const MAX_ENTRIES = 2_000;

/**
 * Fetched scan results, shared by every session of one JSM identity (never across identities).
 * A result also serves calls whose filters are the same or stricter: the engine re-applies every qual.
 */
export class ScanCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Inflight>();
  hits = 0;
  coalesced = 0;

  static key(table: TableDecl, call: ApiCall, limit?: number): string {
    return JSON.stringify([table.name, call.endpoint, call.decl.path, sorted(call.binding), sorted(call.extra), limit ?? null]);
  }

  /** Exact or superset hit. `strictOnly` lists params whose presence narrows rows (query filters); others must match. */
  lookup(table: TableDecl, call: ApiCall, narrowing: ReadonlySet<string>, limit?: number, now = Date.now()): Row[] | undefined {
    const exact = this.entries.get(ScanCache.key(table, call)) ?? (limit ? this.entries.get(ScanCache.key(table, call, limit)) : undefined);
    if (exact && exact.expires > now) return this.hit(exact);
    for (const e of this.entries.values()) {
      if (e.table !== table.name || e.expires <= now || e.call.endpoint !== 'list' || e.call.decl.path !== call.decl.path || e.limit !== undefined) continue;
      if (!covers(e.call, call, narrowing)) continue;
      return this.hit(e);
    }
    return undefined;
  }

  store(table: TableDecl, call: ApiCall, rows: Row[], ttlMs: number, limit?: number): void {
    if (ttlMs <= 0) return;
    const key = ScanCache.key(table, call, limit);
    this.entries.delete(key);
    this.entries.set(key, { table: table.name, call, rows, expires: Date.now() + ttlMs, limit });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * One fetch for identical calls in flight at once. The fetch runs on a signal of its own, aborted
   * only when every session waiting on it has been cancelled: one session's cancel (Ctrl-C, Timeout)
   * neither fails the others' statements nor waits for their fetch to end.
   */
  async coalesce(key: string, signal: AbortSignal, fetch: (signal: AbortSignal) => Promise<Row[]>): Promise<Row[]> {
    if (signal.aborted) throw signal.reason;
    let shared = this.inflight.get(key);
    if (shared) this.coalesced++;
    else {
      const controller = new AbortController();
      const entry: Inflight = { promise: fetch(controller.signal), controller, waiters: 0 };
      const settle = () => {
        if (this.inflight.get(key) === entry) this.inflight.delete(key);
      };
      entry.promise.then(settle, settle);
      this.inflight.set(key, (shared = entry));
    }
    return this.wait(key, shared, signal);
  }

  private wait(key: string, shared: Inflight, signal: AbortSignal): Promise<Row[]> {
    shared.waiters++;
    return new Promise<Row[]>((resolve, reject) => {
      const onAbort = () => {
        if (--shared.waiters === 0) {
          // nobody is left: a newcomer must not join a fetch that is being stopped
          if (this.inflight.get(key) === shared) this.inflight.delete(key);
          shared.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (settle: () => void) => {
        if (signal.aborted) return; // already answered by onAbort
        signal.removeEventListener('abort', onAbort);
        shared.waiters--;
        settle();
      };
      shared.promise.then((rows) => done(() => resolve(rows)), (err) => done(() => reject(err)));
    });
  }

  clear(table?: string): void {
    if (!table) this.entries.clear();
    else for (const [k, e] of this.entries) if (e.table === table) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private hit(e: Entry): Row[] {
    this.hits++;
    return e.rows;
  }
}

function sorted(o: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Does the cached call `wide` return every row `narrow` would? */
function covers(wide: ApiCall, narrow: ApiCall, narrowing: ReadonlySet<string>): boolean {
  for (const [k, v] of Object.entries(wide.binding)) if (narrow.binding[k] !== v) return false;
  for (const k of Object.keys(narrow.binding)) if (!(k in wide.binding) && !narrowing.has(k)) return false;
  const have = new Set((wide.extra.expand ?? '').split(',').filter(Boolean));
  return (narrow.extra.expand ?? '').split(',').filter(Boolean).every((x) => have.has(x));
}

const caches = new Map<string, ScanCache>();
export function scanCacheFor(identityKey: string): ScanCache {
  let c = caches.get(identityKey);
  if (!c) caches.set(identityKey, (c = new ScanCache()));
  return c;
}
