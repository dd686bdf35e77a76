import { mapRow, readPath, type Row } from './row-mapper.ts';
import type { ColumnDecl, TableDecl } from '../catalog/types.ts';
import { placeholders } from '../catalog/validate.ts';
import { DEFAULT_MAX_API_CALLS } from '../config/properties-other.ts';
import { PgError, SqlState } from '../errors/index.ts';
import { encodePathSegment, type JsmClient } from '../jsm/index.ts';
import { PARENT_COLUMN_PREFIX, type ApiCall, type Feed, type ListingPages } from '../planner/scan-plan.ts';
import type { ScanCache } from './scan-cache.ts';

export interface FetchContext {
  readonly jsm: JsmClient;
  readonly cache: ScanCache;
  readonly signal: AbortSignal;
  /** SET jsm.cache_ttl, else CacheTTL (see ScanCache). */
  readonly cacheTtlMs: number;
  /** SET jsm.cache: 'bypass' skips reading the cache (results are still shared and stored). */
  readonly cacheMode: 'use' | 'bypass';
  readonly pageSize: number;
  readonly concurrency: number;
  /** Counters of the statement: one object per statement, shared by every copy of its context. */
  readonly progress: { rows: number; pages: number; calls: number };
  /**
   * API calls the statement may make in all, parents and children alike (MaxApiCallsPerStatement,
   * or SET jsm.max_api_calls); 0 = no limit; unset = the property's default.
   */
  readonly maxApiCalls?: number;
}

/** The statement's cap on API calls; a paged list counts as one call (Timeout bounds its pages). */
export function apiCallLimit(ctx: FetchContext): number {
  const max = ctx.maxApiCalls ?? DEFAULT_MAX_API_CALLS;
  return max > 0 ? max : Infinity;
}

/** Calls the planner has committed a statement to, served from the cache or not: a statement plans the same cold or warm. */
const committed = new WeakMap<FetchContext['progress'], number>();

/** How many more calls the statement's plan may take. */
export function apiCallsLeft(ctx: FetchContext): number {
  return apiCallLimit(ctx) - (committed.get(ctx.progress) ?? 0);
}

/** The planner commits a scan's calls before any of them is made. */
export function commitApiCalls(ctx: FetchContext, calls: number): void {
  committed.set(ctx.progress, (committed.get(ctx.progress) ?? 0) + calls);
}

/** The statement would pass its cap: say how many calls it takes and how to allow them. */
export function apiCallLimitError(ctx: FetchContext, needed: { calls: number; atLeast?: boolean }, detail?: string): PgError {
  const n = (x: number) => x.toLocaleString('en-US');
  const what = `${needed.atLeast ? 'at least ' : ''}${n(needed.calls)}`;
  return new PgError(SqlState.ProgramLimitExceeded, `statement needs ${what} JSM API calls; the limit is ${n(apiCallLimit(ctx))} per statement`, {
    ...(detail ? { detail } : {}),
    hint: `Narrow the query (e.g. a shorter IN list, or a filter the API takes), or allow more calls: SET jsm.max_api_calls = '${needed.atLeast ? 'N' : needed.calls}' for this session, or the MaxApiCallsPerStatement connection property (0 = no limit).`,
  });
}

const paramOfCache = new WeakMap<TableDecl, (c: ColumnDecl) => string | undefined>();
export function paramOf(table: TableDecl): (c: ColumnDecl) => string | undefined {
  let f = paramOfCache.get(table);
  if (!f) {
    const map = new Map(table.filters.map((x) => [x.column.toLowerCase(), x.param]));
    f = (c) => map.get(c.name.toLowerCase());
    paramOfCache.set(table, f);
  }
  return f;
}

/** Query params that only narrow the rows (the engine re-checks them), so a wider cached result can serve them. */
export function narrowingParams(table: TableDecl): ReadonlySet<string> {
  const path = new Set(placeholders(table.list.path));
  const pseudo = new Set(table.columns.filter((c) => c.pseudo).map((c) => c.name.toLowerCase()));
  // A parameter echoed into a bound column (RequestTypes' groupId) labels rows by the call: a wider result lacks that label.
  const echoed = new Set(table.columns.map((c) => c.bind).filter(Boolean));
  return new Set(table.filters.filter((f) => f.endpoint !== 'get' && !path.has(f.param) && !echoed.has(f.param) && !pseudo.has(f.column.toLowerCase())).map((f) => f.param));
}

/** A parent's first page of one child relation, as its item carried it inline (see ParentDecl.expand). */
interface InlinePage {
  readonly values: readonly unknown[];
  readonly last: boolean;
}

/** Per statement (by its progress object): child table + parent key → the inline page read with the parent. */
const inlinePages = new WeakMap<FetchContext['progress'], Map<string, InlinePage>>();
const inlineKey = (child: TableDecl, parentKey: string) => `${child.name}\n${parentKey}`;

function keepInline(ctx: FetchContext, feeds: readonly Feed[], item: unknown, row: Row): void {
  let pages = inlinePages.get(ctx.progress);
  if (!pages) inlinePages.set(ctx.progress, (pages = new Map()));
  for (const f of feeds) {
    const page = readPath(item, f.items) as { values?: unknown; isLastPage?: unknown } | null;
    const key = row[f.column];
    if (!page || !Array.isArray(page.values) || key === null || key === undefined) continue;
    pages.set(inlineKey(f.child, String(key)), { values: page.values, last: page.isLastPage !== false });
  }
}

/**
 * The inline page a child call can start from: read with its parent in this statement, for a call
 * that asks for nothing the inline page does not hold (its only parameters are the parent key, the
 * parent columns it copies and pseudo columns at their defaults, which inline pages are read with).
 */
function inlineFor(ctx: FetchContext, table: TableDecl, call: ApiCall): InlinePage | undefined {
  const keys = Object.keys(table.parent?.keys ?? {});
  if (!table.parent?.expand || keys.length !== 1 || call.endpoint !== 'list') return undefined;
  const defaults = new Map(table.columns.filter((c) => c.pseudo).map((c) => [paramOf(table)(c), c.default]));
  const plain = Object.entries(call.binding).every(([k, v]) => k === keys[0] || k.startsWith(PARENT_COLUMN_PREFIX) || (defaults.has(k) && defaults.get(k) === v));
  const parentKey = call.binding[keys[0]!];
  return plain && parentKey !== undefined ? inlinePages.get(ctx.progress)?.get(inlineKey(table, parentKey)) : undefined;
}

/** Calls of a child scan that its parents' inline pages answer whole: they make no API call. */
export function servedInline(ctx: FetchContext, table: TableDecl, calls: readonly ApiCall[]): number {
  return calls.filter((c) => inlineFor(ctx, table, c)?.last).length;
}

export function fillPath(path: string, binding: Readonly<Record<string, string>>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => encodePathSegment(binding[k]!));
}

function withParentColumns(row: Row, table: TableDecl, binding: Readonly<Record<string, string>>): Row {
  for (const child of Object.keys(table.parent?.columns ?? {})) {
    const v = binding[PARENT_COLUMN_PREFIX + child];
    if (v !== undefined) row[child.toLowerCase()] = v;
  }
  return row;
}

/** The path and query parameters a call is sent with (before paging). */
export function callTarget(call: ApiCall): { path: string; query: Record<string, string>; pathKeys: ReadonlySet<string> } {
  const pathKeys = new Set(placeholders(call.decl.path));
  const query: Record<string, string> = { ...call.decl.query, ...call.extra };
  for (const [k, v] of Object.entries(call.binding)) if (!pathKeys.has(k) && !k.startsWith(PARENT_COLUMN_PREFIX)) query[k] = v;
  return { path: fillPath(call.decl.path, call.binding), query, pathKeys };
}

/** The planner's view of the statistics (PlanOptions.listingPages). */
export function listingPagesOf(cache: ScanCache): ListingPages {
  return (call) => {
    const { path, query } = callTarget(call);
    return cache.sizes.pages(path, query);
  };
}

async function fetchCall(table: TableDecl, call: ApiCall, ctx: FetchContext, maxRows?: number, feeds?: readonly Feed[]): Promise<Row[]> {
  const { path, query, pathKeys } = callTarget(call);
  const mapOnly = (item: unknown) => withParentColumns(mapRow(table, item, call.binding, paramOf(table)), table, call.binding);
  const map = feeds?.length
    ? (item: unknown) => {
      const row = mapOnly(item);
      keepInline(ctx, feeds, item, row);
      return row;
    }
    : mapOnly;
  // the parent's item had the first page: only the pages after it are asked for
  const inline = inlineFor(ctx, table, call);
  const rows: Row[] = inline ? inline.values.map(mapOnly) : [];
  if (inline?.last) return rows;
  // The planner keeps a statement within its cap; this stops any call it did not count.
  if (ctx.progress.calls >= apiCallLimit(ctx)) throw apiCallLimitError(ctx, { calls: ctx.progress.calls + 1, atLeast: true }, `${table.name}: ${call.decl.path}`);
  ctx.progress.calls++;
  if (call.decl.paging === 'none') {
    const body = await ctx.jsm.getOrNull<unknown>(path, query, { signal: ctx.signal });
    ctx.progress.pages++;
    if (body === null) return [];
    const items = call.decl.items ? readPath(body, call.decl.items) : [body];
    const list = Array.isArray(items) ? items : items === null ? [] : [items];
    ctx.progress.rows += list.length;
    return list.map(map);
  }
  const from = inline?.values.length ?? 0;
  const known = ctx.cache.sizes.expected(path, query);
  let read = 0;
  let pages = 0;
  try {
    for await (const page of ctx.jsm.paginate<unknown>(path, query, {
      signal: ctx.signal, pageSize: ctx.pageSize, maxRows, parallel: maxRows ? 1 : ctx.concurrency, style: call.decl.paging,
      start: from, expectedRows: known === undefined ? undefined : known - from,
    })) {
      ctx.progress.pages++;
      ctx.progress.rows += page.length;
      read += page.length;
      pages++;
      for (const item of page) rows.push(map(item));
    }
  } catch (err) {
    if (notFoundByFilter(table, call, pathKeys, err)) return [];
    throw err;
  }
  // read to its end (a pushed LIMIT stops early and says nothing of the listing's length)
  if (maxRows === undefined || read < maxRows) ctx.cache.sizes.note(path, query, from + read, from === 0 ? pages : undefined);
  return maxRows ? rows.slice(0, maxRows) : rows;
}

/**
 * A 404 on a list named by a WHERE value (a parent key in the path, a filter parameter) says no
 * such parent exists: zero rows, as a get by key. A 404 on an unfiltered list stays an error.
 */
function notFoundByFilter(table: TableDecl, call: ApiCall, pathKeys: ReadonlySet<string>, err: unknown): boolean {
  if (!(err instanceof PgError) || err.code !== SqlState.UndefinedObject) return false;
  const narrowing = narrowingParams(table);
  return pathKeys.size > 0 || Object.keys(call.binding).some((k) => narrowing.has(k));
}

/** Runs a scan's calls (bounded concurrency; the JSM client also caps per site), through the shared cache. */
export async function fetchCalls(table: TableDecl, calls: readonly ApiCall[], ctx: FetchContext, maxRows?: number, feeds?: readonly Feed[]): Promise<Row[]> {
  return (await fetchCallParts(table, calls, ctx, maxRows, feeds)).flat();
}

/** The rows of each call as its own array: cached results keep their identity, so a session can tell nothing changed. */
export async function fetchCallParts(table: TableDecl, calls: readonly ApiCall[], ctx: FetchContext, maxRows?: number, feeds?: readonly Feed[]): Promise<Row[][]> {
  const narrowing = narrowingParams(table);
  // The gateway's metrics travel with its JSM client (see JsmClient.metrics).
  const use = ctx.jsm.metrics ? { ...ctx, metrics: ctx.jsm.metrics } : ctx;
  const results: Row[][] = new Array(calls.length);
  let next = 0;
  let collected = 0;
  // A pushed LIMIT is a row budget over all calls (per parent key, per IN value): stop calling once it is met.
  const budgetMet = () => maxRows !== undefined && collected >= maxRows;
  const worker = async () => {
    while (next < calls.length && !budgetMet()) {
      const i = next++;
      const call = calls[i]!;
      results[i] = await ctx.cache.rows({ table, call, narrowing, limit: maxRows }, use, (signal) => fetchCall(table, call, { ...ctx, signal }, maxRows, feeds));
      collected += results[i]!.length;
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.concurrency, calls.length) }, worker));
  return results.filter((r) => r !== undefined);
}
