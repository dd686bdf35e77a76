import type { TableDecl } from '../catalog/types.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { PARENT_COLUMN_PREFIX, type ApiCall } from '../planner/scan-plan.ts';
import { Coalescer } from './coalesce.ts';
import { ListingSizes } from './listing-sizes.ts';
import type { Row } from './row-mapper.ts';

interface Entry {
  /** Seed name of the relation. */
  readonly table: string;
  readonly call: ApiCall;
  readonly rows: Row[];
  /** rows × columns: what the entry weighs against the budget. */
  readonly cells: number;
  readonly expires: number;
  /** Set when the fetch stopped at a pushed LIMIT: reusable only for the same call and limit. */
  readonly limit?: number;
}

export interface ScanCacheLimits {
  readonly maxEntries?: number;
  /** Values held in all (rows × columns), the measure of the memory the cache takes. */
  readonly maxCells?: number;
}

/** One API call of a scan, as the cache tells calls apart. */
export interface CachedCall {
  readonly table: TableDecl;
  readonly call: ApiCall;
  /** Query params that only narrow the rows: a result fetched without them also serves the call. */
  readonly narrowing: ReadonlySet<string>;
  /** A pushed LIMIT the fetch stops at. */
  readonly limit?: number;
}

/** How a statement uses the cache (the names of FetchContext, which passes itself). */
export interface CacheUse {
  readonly signal: AbortSignal;
  /** How long a fetched result serves later calls (CacheTTL, SET jsm.cache_ttl); 0 stores nothing. */
  readonly cacheTtlMs: number;
  /** 'bypass' (SET jsm.cache = 'bypass') fetches even when a result is cached; the fetch is still shared and stored. */
  readonly cacheMode: 'use' | 'bypass';
  /** Counts this statement's hits and misses (the gateway's metrics, when it serves them). */
  readonly metrics?: Pick<GatewayMetrics, 'cacheHit' | 'cacheMiss'>;
}

/**
 * The gateway's one cache of JSM results: the rows each API call of a scan returned, shared by every
 * session of one JSM identity (never across identities). A result also serves calls whose filters are
 * the same or stricter, since the engine re-applies every qual; identical calls in flight at once are
 * made once. Every session reading a result gets the same arrays (a session tells by their identity
 * that nothing changed), so they are frozen: a consumer that mutated them would change other sessions'
 * rows. Bounded by entries and by cells, least recently used first.
 */
export class ScanCache {
  readonly maxEntries: number;
  readonly maxCells: number;
  // Map order is recency: a hit re-inserts its entry, so the first one is the least recently used.
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Coalescer<Row[]>();
  /** How long each listing was when last read to its end (the page window of the next scan of it). */
  readonly sizes = new ListingSizes();
  #cells = 0;
  // Bumped by every clear: a fetch started before it may have read what the clear meant to drop.
  #generation = 0;
  hits = 0;

  constructor(limits: ScanCacheLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 2_000;
    this.maxCells = limits.maxCells ?? 4_000_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  get cells(): number {
    return this.#cells;
  }

  /** Callers that were served by a fetch another caller had in flight. */
  get coalesced(): number {
    return this.#inflight.joined;
  }

  /** The rows of one call: from a fresh result that covers it, else fetched (once for every caller asking at the same time) and stored. */
  async rows(c: CachedCall, use: CacheUse, fetch: (signal: AbortSignal) => Promise<Row[]>): Promise<Row[]> {
    if (use.cacheMode === 'use') {
      const hit = this.#lookup(c, Date.now());
      if (hit) {
        use.metrics?.cacheHit(c.table.name);
        return hit;
      }
    }
    use.metrics?.cacheMiss(c.table.name);
    const key = entryKey(c.table.name, c.call, c.limit);
    const generation = this.#generation;
    return this.#inflight.run(key, use.signal, async (signal) => {
      const rows = freeze(await fetch(signal));
      if (generation === this.#generation) this.#store(key, c, rows, use.cacheTtlMs);
      return rows;
    });
  }

  /**
   * Drops the results of one relation (seed name), or of all. Fetches in flight are not joined by
   * later callers, and none started before the clear stores its rows.
   */
  clear(table?: string): void {
    this.#generation++;
    for (const [key, e] of this.#entries) if (table === undefined || e.table === table) this.#drop(key);
    this.#inflight.forget(table === undefined ? '' : `${table}\n`);
  }

  /** An exact hit, or a list result of the same endpoint whose filters are the same or wider. */
  #lookup(c: CachedCall, now: number): Row[] | undefined {
    const exactKeys = [entryKey(c.table.name, c.call), ...(c.limit ? [entryKey(c.table.name, c.call, c.limit)] : [])];
    for (const key of exactKeys) {
      const e = this.#entries.get(key);
      if (e && e.expires > now) return this.#hit(key, e);
    }
    for (const [key, e] of this.#entries) {
      if (e.expires <= now) this.#drop(key);
      else if (e.table === c.table.name && e.call.endpoint === 'list' && e.call.decl.path === c.call.decl.path && e.limit === undefined
        && covers(e.call, c.call, c.narrowing)) return this.#hit(key, e);
    }
    return undefined;
  }

  #hit(key: string, e: Entry): Row[] {
    this.#entries.delete(key);
    this.#entries.set(key, e);
    this.hits++;
    return e.rows;
  }

  #store(key: string, c: CachedCall, rows: Row[], ttlMs: number): void {
    const cells = rows.length * c.table.columns.length;
    // A result larger than the whole budget would only evict everything else.
    if (ttlMs <= 0 || cells > this.maxCells) return;
    this.#drop(key);
    const now = Date.now();
    this.#entries.set(key, { table: c.table.name, call: c.call, rows, cells, expires: now + ttlMs, limit: c.limit });
    this.#cells += cells;
    for (const [k, e] of this.#entries) if (e.expires <= now) this.#drop(k);
    while (this.#entries.size > this.maxEntries || this.#cells > this.maxCells) this.#drop(this.#entries.keys().next().value!);
  }

  #drop(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#cells -= e.cells;
  }
}

/** Starts with the relation's name, so a clear of one relation can tell its fetches in flight. */
function entryKey(table: string, call: ApiCall, limit?: number): string {
  return `${table}\n${JSON.stringify([call.endpoint, call.decl.path, sorted(call.binding), sorted(call.extra), limit ?? null])}`;
}

function sorted(o: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}

function freeze(rows: Row[]): Row[] {
  for (const row of rows) Object.freeze(row);
  Object.freeze(rows);
  return rows;
}

/** Does the cached call `wide` return every row `narrow` would? */
function covers(wide: ApiCall, narrow: ApiCall, narrowing: ReadonlySet<string>): boolean {
  // parent columns copied into the rows (RequestKey of a request's comments) are extra, not a filter
  for (const [k, v] of Object.entries(wide.binding)) if (narrow.binding[k] !== v && !(k.startsWith(PARENT_COLUMN_PREFIX) && !(k in narrow.binding))) return false;
  for (const k of Object.keys(narrow.binding)) if (!(k in wide.binding) && !narrowing.has(k)) return false;
  const have = new Set((wide.extra.expand ?? '').split(',').filter(Boolean));
  return (narrow.extra.expand ?? '').split(',').filter(Boolean).every((x) => have.has(x));
}

const caches = new Map<string, ScanCache>();

/** The cache of one JSM identity (JsmClient.identityKey): no other identity's sessions read its rows. */
export function scanCacheFor(identityKey: string): ScanCache {
  let c = caches.get(identityKey);
  if (!c) caches.set(identityKey, (c = new ScanCache()));
  return c;
}
