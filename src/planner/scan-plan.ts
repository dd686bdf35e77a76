import { engineName } from '../catalog/registry.ts';
import type { EndpointDecl, FilterDecl, TableDecl } from '../catalog/types.ts';
import { placeholders } from '../catalog/validate.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { RelationScan } from './explain.ts';
import type { Qual } from './quals.ts';

/** One API call a scan makes: an endpoint with its bound parameters. */
export interface ApiCall {
  readonly endpoint: 'list' | 'get';
  readonly decl: EndpointDecl;
  /**
   * param → value: fills path placeholders and query parameters, and is echoed into bound/pseudo
   * columns; keys starting with PARENT_COLUMN_PREFIX carry parent columns instead.
   */
  readonly binding: Readonly<Record<string, string>>;
  /** Extra query parameters (expand) that do not change which rows come back. */
  readonly extra: Readonly<Record<string, string>>;
}

/** The pushdown contract for one scan (Trino style): what the API enforces and what the engine still checks. */
export interface ScanPlan {
  readonly table: TableDecl;
  readonly calls: ApiCall[];
  /** Placeholders still unbound: the calls are templates, completed per parent row. */
  readonly parentKeys: readonly { param: string; column: string }[];
  readonly accepted: readonly Qual[];
  readonly remaining: readonly string[];
  limit?: { value: number; guaranteed: boolean };
  /** Only rows whose column has this value are loaded (ServiceDeskID's default desk: a get by key may answer another desk's row). */
  keep?: { column: string; value: string };
  /** Children this scan's items carry inline (its calls ask for their expand): see ParentDecl.expand. */
  feeds?: Feed[];
  /** Read listed and filtered because that took fewer calls (see cheaperListing): the two costs, for EXPLAIN. */
  listed?: { readonly perValue: number; readonly pages: number };
}

/**
 * A child relation whose first page per parent comes inline in the parent's items: the executor
 * keeps each parent's page (by the parent's key value, `column` of the parent row) for the child's
 * calls on that parent, which then call the API only for the pages after it.
 */
export interface Feed {
  readonly child: TableDecl;
  readonly items: string;
  readonly column: string;
}

/** The plan with its calls asking for `expand` and feeding `feed` (a new object: plans of the cache's keys are never changed in place). */
export function feeding(plan: ScanPlan, expand: string, feed: Feed): ScanPlan {
  const calls = plan.calls.map((c) => {
    const have = (c.extra.expand ?? '').split(',').filter(Boolean);
    return have.includes(expand) ? c : { ...c, extra: { ...c.extra, expand: [...have, expand].join(',') } };
  });
  return { ...plan, calls, feeds: [...(plan.feeds ?? []).filter((f) => f.child !== feed.child), feed] };
}

/**
 * Binding keys that carry a parent row's column into the child's row (`parent.columns`); never sent
 * to the API (the executor leaves them out of a call's query and maps them into its rows).
 */
export const PARENT_COLUMN_PREFIX = '^';

/**
 * Whether a value can be a JSM key in a path. No key is empty, "." or "..", or contains "/" (the
 * values src/jsm/url.ts encodePathSegment refuses): such a value matches no row, and sending it
 * would change which endpoint is called, so the planner drops it. The planner may not import
 * src/jsm; test/planner/planner-purity.test.ts checks that the two agree.
 */
export function isPathKeyValue(text: string): boolean {
  return text !== '' && text !== '.' && text !== '..' && !text.includes('/');
}

const lc = (s: string) => s.toLowerCase();

function qualFor(scan: RelationScan, column: string): Qual | undefined {
  return scan.quals.find((q) => q.column === lc(column));
}

/**
 * Most values, and most characters of their comma-joined form, one call takes for a filter declared
 * with `in`: URLs past a few kB are refused by proxies and servers, so a long list is sent in batches.
 */
export const IN_BATCH = { values: 100, chars: 2_000 } as const;

/** Values of an `in` filter grouped into as few calls as IN_BATCH allows, each comma-joined. */
export function batchValues(values: readonly string[]): string[] {
  const batches: string[][] = [];
  let chars = 0;
  for (const v of values) {
    const last = batches[batches.length - 1];
    const size = encodeURIComponent(v).length + 3; // the encoded comma
    if (last && last.length < IN_BATCH.values && chars + size <= IN_BATCH.chars) {
      last.push(v);
      chars += size;
    } else {
      batches.push([v]);
      chars = size;
    }
  }
  return batches.map((b) => b.join(','));
}

function product(dims: { param: string; values: readonly string[] }[]): Record<string, string>[] {
  let acc: Record<string, string>[] = [{}];
  for (const d of dims) acc = acc.flatMap((b) => d.values.map((v) => ({ ...b, [d.param]: v })));
  return acc;
}

function expandsFor(table: TableDecl, scan: RelationScan): Record<string, string> {
  const wanted = new Set<string>();
  for (const c of table.columns) if (c.expand && (!scan.columns || scan.columns.has(engineName(c.name)))) wanted.add(c.expand);
  return wanted.size ? { expand: [...wanted].join(',') } : {};
}

/** Maps the quals Postgres attached to a scan onto the entity's declared filters. */
export function planScan(scan: RelationScan): ScanPlan {
  const table = scan.table;
  const accepted: Qual[] = [];
  const extra = expandsFor(table, scan);
  const dims: { param: string; values: readonly string[] }[] = [];
  const bound = new Set<string>();
  const use = (f: FilterDecl, q: Qual, pathSegment = false) => {
    if (bound.has(f.param)) return;
    bound.add(f.param);
    accepted.push(q);
    const values = pathSegment ? q.values.filter(isPathKeyValue) : q.values;
    dims.push({ param: f.param, values: values.length > 1 && f.operators.includes('in') ? batchValues(values) : values });
  };

  for (const r of table.required ?? [])
    if (!qualFor(scan, r))
      throw new PgError(SqlState.InvalidParameterValue, `${table.name} needs a value for ${r}: add WHERE ${r} = '...' to the query`, {
        hint: `The JSM API cannot list ${table.name} without ${r}.`,
      });

  // Get by key when every placeholder of the get endpoint has an = qual, and no pseudo column asks
  // for other than its default (the get cannot take it, and its row echoes the default).
  if (table.get) {
    const getFilters = table.filters.filter((f) => f.endpoint === 'get');
    const chosen = placeholders(table.get.path).map((p) => getFilters.map((f) => [f, qualFor(scan, f.column)] as const).find(([f, q]) => f.param === p && q));
    const pseudoPinned = table.columns.some((c) => c.pseudo && !getFilters.some((f) => lc(f.column) === lc(c.name))
      && qualFor(scan, c.name)?.values.some((v) => v !== c.default));
    if (chosen.every(Boolean) && chosen.length > 0 && !pseudoPinned) {
      for (const c of chosen) use(c![0], c![1]!, true);
      return finish('get', table.get);
    }
  }

  const listFilters = table.filters.filter((f) => f.endpoint !== 'get');
  const pathParams = placeholders(table.list.path);
  for (const f of listFilters) {
    const q = qualFor(scan, f.column);
    if (q && pathParams.includes(f.param)) use(f, q, true);
  }
  const parentKeys = pathParams
    .filter((p) => !bound.has(p))
    .map((p) => {
      const column = table.parent?.keys[p];
      if (!column) throw new PgError(SqlState.InvalidParameterValue, `${table.name} needs a value for {${p}}: add it to the WHERE clause`);
      return { param: p, column };
    });
  for (const f of listFilters) {
    const q = qualFor(scan, f.column);
    if (!q || pathParams.includes(f.param)) continue;
    const prerequisites = f.requires ?? [];
    if (prerequisites.every((r) => bound.has(r) || parentKeys.some((k) => k.param === r) || listFilters.some((o) => o.param === r && qualFor(scan, o.column))))
      use(f, q);
  }
  // Pseudo columns without a qual send their default, which is also what their rows echo.
  for (const c of table.columns) {
    if (!c.pseudo || c.default === undefined) continue;
    const f = listFilters.find((x) => lc(x.column) === lc(c.name));
    if (f && !bound.has(f.param)) {
      bound.add(f.param);
      dims.push({ param: f.param, values: [c.default] });
    }
  }
  return finish('list', table.list, parentKeys);

  function finish(endpoint: 'list' | 'get', decl: EndpointDecl, parentKeys: ScanPlan['parentKeys'] = []): ScanPlan {
    const acceptedSet = new Set(accepted);
    const remaining = [
      ...scan.quals.filter((q) => !acceptedSet.has(q)).map((q) => q.text),
      ...scan.others,
    ];
    return {
      table,
      calls: product(dims).map((binding) => ({ endpoint, decl, binding, extra })),
      parentKeys,
      accepted,
      remaining: [...new Set(remaining)],
    };
  }
}

/** Completes template calls with parent key values (one call per parent key per template). */
export function bindParents(plan: ScanPlan, parentRows: Record<string, string>[]): ApiCall[] {
  return plan.calls.flatMap((call) => parentRows.map((keys) => ({ ...call, binding: { ...call.binding, ...keys } })));
}

/**
 * The list-and-filter form of a scan: the IN lists that make it fan out (one call per value, or per
 * batch) are left to the engine, which applies every qual again anyway, so the relation is read
 * with its other filters only. Undefined when no such qual can be left: a pseudo column's or an
 * echoed filter's rows carry the value they were fetched with, a parent key column is filled only
 * when each parent is called in turn (a list-everything call leaves it null), a required filter
 * cannot be dropped, and a path placeholder without a parent to enumerate cannot be filled.
 */
export function listAndFilter(scan: RelationScan, plan: ScanPlan): RelationScan | undefined {
  const table = plan.table;
  const parentParams = new Set(table.parent?.listAll ? [] : Object.keys(table.parent?.keys ?? {}));
  const listPath = new Set(placeholders(table.list.path));
  const leavable = (q: Qual) => {
    const col = table.columns.find((c) => lc(c.name) === q.column);
    if (!col || col.pseudo || (col.bind && !parentParams.has(col.bind))) return false;
    if (table.required?.some((r) => lc(r) === q.column)) return false;
    return table.filters.every((f) => lc(f.column) !== q.column || f.endpoint === 'get' || !listPath.has(f.param) || parentParams.has(f.param));
  };
  const left = plan.accepted.filter((q) => q.values.length > 1 && leavable(q));
  if (left.length === 0) return undefined;
  return { ...scan, quals: scan.quals.filter((q) => !left.includes(q)), others: [...scan.others, ...left.map((q) => q.text)] };
}

/** The list-and-filter form of a scan (listAndFilter) and its plan. */
export function listedForm(scan: RelationScan, plan: ScanPlan): { scan: RelationScan; plan: ScanPlan } | undefined {
  const wider = listAndFilter(scan, plan);
  return wider && { scan: wider, plan: planScan(wider) };
}

/** Pages a listing took when last read to its end (the executor's statistics), if it was. */
export type ListingPages = (call: ApiCall) => number | undefined;

/**
 * A scan fanned out over an IN list (one call per value) in its list-and-filter form instead, when
 * the listing it would read took fewer pages than the values when last read to its end: 26 requests
 * of a desk by key are 26 gets, the desk's list 1 page. Without statistics the fan-out stays: a
 * listing of unknown length could cost far more than the values.
 */
export function cheaperListing(scan: RelationScan, plan: ScanPlan, listingPages: ListingPages | undefined): { scan: RelationScan; plan: ScanPlan } | undefined {
  if (!listingPages || plan.calls.length <= 1 || plan.parentKeys.length > 0) return undefined;
  const listed = listedForm(scan, plan);
  if (!listed) return undefined;
  const { scan: wider, plan: widerPlan } = listed;
  const complete = (c: ApiCall) => placeholders(c.decl.path).every((p) => c.binding[p] !== undefined);
  if (widerPlan.parentKeys.length > 0 || !widerPlan.calls.every(complete)) return undefined;
  let pages = 0;
  for (const c of widerPlan.calls) {
    const n = listingPages(c);
    if (n === undefined) return undefined;
    pages += Math.max(1, n);
  }
  if (pages >= plan.calls.length) return undefined;
  return { scan: wider, plan: { ...widerPlan, listed: { perValue: plan.calls.length, pages } } };
}

/**
 * The planner's choice for a scan whose calls would take the statement past its cap on API calls
 * (`left` is what the cap still allows): its planned calls while they fit, else its list-and-filter
 * form when that fits, else neither and the statement is refused.
 */
export function chooseCalls(cost: { planned: number; listAndFilter?: number }, left: number): 'planned' | 'list-and-filter' | 'refuse' {
  if (cost.planned <= left) return 'planned';
  if (cost.listAndFilter !== undefined && cost.listAndFilter <= left) return 'list-and-filter';
  return 'refuse';
}
