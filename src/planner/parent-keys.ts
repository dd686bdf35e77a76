import { engineName, type Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { PlanFacts, RelationScan } from './explain.ts';
import { bindParents, feeding, listedForm, PARENT_COLUMN_PREFIX, planScan, type ApiCall, type Feed, type ScanPlan } from './scan-plan.ts';

/**
 * Child fetches driven by parent keys, decided without reading anything: where a scan's calls need
 * keys or rows the planner does not have, it says what to read (`CallSource`) and how the calls
 * follow from it; the executor (src/executor/scan-calls.ts) reads them and feeds them back.
 */

/** A scan waiting for its calls; the executor may replace `scan` and `plan` with their list-and-filter form. */
export interface PendingScan { scan: RelationScan; plan: ScanPlan; facts: PlanFacts }

type Binding = Record<string, string>;

/** A row the executor read for the planner (a parent's, by engine column name). */
export type Row = Readonly<Record<string, unknown>>;

/** The relation whose rows give a child scan its parent keys: a JSM relation (`table`) or a local one. */
export interface Driver { alias: string; column: string; table?: TableDecl }

/** The other side of a join equality on this scan's parent-key column, if the query has one. */
export function driverOf(s: PendingScan): Driver | undefined {
  if (s.plan.parentKeys.length !== 1) return undefined;
  const col = s.plan.table.columns.find((c) => c.bind === s.plan.parentKeys[0]!.param);
  if (!col) return undefined;
  const name = engineName(col.name);
  for (const j of s.facts.joins) {
    for (const [mine, other] of [[j.left, j.right], [j.right, j.left]] as const) {
      if (mine.column !== name || !mine.alias || !s.scan.aliases.has(mine.alias) || !other.alias || s.scan.aliases.has(other.alias)) continue;
      const jsm = s.facts.scans.find((x) => x.aliases.has(other.alias!));
      if (jsm) return { alias: other.alias, column: other.column, table: jsm.table };
      if (s.facts.localRelations.has(other.alias)) return { alias: other.alias, column: other.column };
    }
  }
  return undefined;
}

/** A driver's keys can be read once its rows are in the engine: always for a local relation. */
const driverReadable = (d: Driver, loaded: ReadonlySet<TableDecl>) => !d.table || loaded.has(d.table);

/** Whether a scan waits for its driver, a JSM relation not loaded yet, before its calls can be known. */
export function waitsForDriver(s: PendingScan, loaded: ReadonlySet<TableDecl>): boolean {
  const d = driverOf(s);
  return d !== undefined && !driverReadable(d, loaded);
}

/** Child columns copied from the parent row that this scan reads. */
function wantedParentColumns(s: PendingScan): [child: string, parent: string][] {
  // Two scans of one relation (a self-join) load into one rows table: each row must be complete
  // for the other scan's quals, and rows of the same item must agree to merge into one.
  const shared = s.facts.scans.filter((x) => x.table === s.plan.table).length > 1;
  return Object.entries(s.plan.table.parent?.columns ?? {}).filter(([child]) => shared || !s.scan.columns || s.scan.columns.has(engineName(child)));
}

/** The binding keys that carry a parent row's columns into the child's rows. */
function parentColumnsOf(s: PendingScan, row: Row): Binding {
  const b: Binding = {};
  for (const [child, parent] of wantedParentColumns(s)) {
    const v = row[engineName(parent)];
    if (v !== null && v !== undefined) b[PARENT_COLUMN_PREFIX + child] = String(v);
  }
  return b;
}

function parentBinding(s: PendingScan, row: Row): Binding | undefined {
  const b: Binding = {};
  for (const k of s.plan.parentKeys) {
    const v = row[engineName(k.column)];
    if (v === null || v === undefined) return undefined;
    b[k.param] = String(v);
  }
  return { ...b, ...parentColumnsOf(s, row) };
}

/** A row of the driver-keys query: the key as `k`, and the parent columns under their binding keys. */
export type DriverKeyRow = Readonly<Record<string, string | null>>;
const DRIVER_KEY = 'k';

/**
 * Where a scan's calls come from: planned already (`calls`), or built by `calls(…)` from the keys
 * of the relation the query joins it to (`sql`, run on the engine once that relation is loaded),
 * or from the rows of its parent (`parent`, a scan of its own, fetched first).
 */
export type CallSource =
  | { readonly kind: 'calls'; readonly calls: ApiCall[] }
  | { readonly kind: 'driver-keys'; readonly sql: string; readonly calls: (rows: readonly DriverKeyRow[]) => ApiCall[] }
  | { readonly kind: 'parent-rows'; readonly parent: PendingScan; readonly calls: (rows: readonly Row[]) => ApiCall[] };

/**
 * The calls of a scan: as planned, or per parent key — from the rows of the relation the query
 * joins it to, else one list-everything call where the API has one, else every parent.
 */
export function callSource(catalog: Catalog, s: PendingScan, loaded: ReadonlySet<TableDecl>): CallSource {
  const { plan } = s;
  if (plan.parentKeys.length === 0) return { kind: 'calls', calls: plan.calls };
  const driver = driverOf(s);
  // A driver not loaded yet (a cycle of children) would yield no keys: never use it then.
  if (driver && driverReadable(driver, loaded)) {
    return { kind: 'driver-keys', sql: driverKeysSql(catalog, s, driver), calls: (rows) => bindParents(plan, driverBindings(s, rows)) };
  }
  const all = listAllCalls(plan);
  if (all) return { kind: 'calls', calls: all };
  const parent = catalog.table(plan.table.parent!.table)!;
  // Parent keys the query binds already (QueueRequests' ServiceDeskId) narrow the parents listed,
  // and each call takes only the parents that agree with its own binding.
  const bound = Object.entries(plan.table.parent!.keys).filter(([param]) => !plan.parentKeys.some((k) => k.param === param));
  const quals = bound.map(([param, column]) => ({ column: engineName(column), values: [...new Set(plan.calls.map((c) => c.binding[param]!))], text: '' }));
  const parentScan: RelationScan = { table: parent, aliases: new Set(), quals, others: [], columns: undefined };
  const agrees = (c: ApiCall, r: Row) => bound.every(([param, column]) => String(r[engineName(column)]) === c.binding[param]);
  const parentPlan = planScan(parentScan);
  // a pushed LIMIT stops calling parents once it is met: listing every parent with its children would read them all
  const feed = s.plan.limit ? undefined : feedOf(s);
  return {
    kind: 'parent-rows',
    parent: { scan: parentScan, plan: feed ? feeding(parentPlan, feed.expand, feed.feed) : parentPlan, facts: s.facts },
    calls: (rows) => plan.calls.flatMap((c) => unique(rows.filter((r) => agrees(c, r)).map((r) => parentBinding(s, r))).map((b) => ({ ...c, binding: { ...c.binding, ...b } }))),
  };
}

/** The parent's expand that carries a child scan's first pages, if the child declares one (single parent key). */
function feedOf(s: PendingScan): { expand: string; feed: Feed } | undefined {
  const parent = s.plan.table.parent;
  if (!parent?.expand || s.plan.parentKeys.length !== 1) return undefined;
  return { expand: parent.expand.name, feed: { child: s.plan.table, items: parent.expand.items, column: engineName(s.plan.parentKeys[0]!.column) } };
}

/**
 * Children joined to their parent on its key (Requests r JOIN RequestComments c ON c.RequestId =
 * r.RequestId) have their first pages read with the parents, through the parent's expand: the
 * parent's scan asks for it (one more parameter on calls it makes anyway) and the child's calls
 * then only fetch the pages after the inline one, instead of one call per parent. Returns the
 * plans with the parents' changed; the facts and the other plans are as given.
 */
export function feedParents(facts: PlanFacts, plans: ScanPlan[]): ScanPlan[] {
  const out = [...plans];
  facts.scans.forEach((scan, i) => {
    const s: PendingScan = { scan, plan: plans[i]!, facts };
    const feed = feedOf(s);
    const driver = driverOf(s);
    if (!feed || !driver?.table || driver.table.name !== s.plan.table.parent!.table || driver.column !== feed.feed.column) return;
    const at = facts.scans.findIndex((x) => x.aliases.has(driver.alias));
    if (at >= 0) out[at] = feeding(out[at]!, feed.expand, feed.feed);
  });
  return out;
}

/** What EXPLAIN says of a scan's calls: callSource's choice, as if every relation the statement reads were loaded. */
export type CallsExplained =
  | { readonly kind: 'calls'; readonly calls: ApiCall[]; readonly lookups?: { readonly table: TableDecl; readonly calls: ApiCall[] } }
  | { readonly kind: 'driver'; readonly driver: string; readonly inline: boolean }
  | { readonly kind: 'parents'; readonly parent: ScanPlan; readonly inline: boolean };

export function explainCalls(catalog: Catalog, s: PendingScan, plans: readonly ScanPlan[]): CallsExplained {
  const source = callSource(catalog, s, new Set(s.facts.scans.map((x) => x.table)));
  const inline = plans.some((p) => p.feeds?.some((f) => f.child === s.plan.table));
  switch (source.kind) {
    case 'calls': {
      const lookups = parentLookups(catalog, s, source.calls);
      return { kind: 'calls', calls: source.calls, ...(lookups ? { lookups: { table: lookups.table, calls: [...lookups.gets.values()].flat() } } : {}) };
    }
    case 'driver-keys': {
      const driver = driverOf(s)!;
      return { kind: 'driver', driver: `${driver.alias}.${driver.column}`, inline };
    }
    case 'parent-rows':
      return { kind: 'parents', parent: source.parent.plan, inline: !!source.parent.plan.feeds?.length };
  }
}

/** One call listing the rows of every parent, when the API has one that takes every parameter the calls bind. */
function listAllCalls(plan: ScanPlan): ApiCall[] | undefined {
  const listAll = plan.table.parent?.listAll;
  const parentParams = new Set(Object.keys(plan.table.parent?.keys ?? {}));
  // Dropping a parameter listAll cannot take would lose its filter's meaning.
  if (!listAll || !plan.calls.every((c) => Object.keys(c.binding).every((k) => parentParams.has(k) || k.startsWith(PARENT_COLUMN_PREFIX) || listAll.params.includes(k)))) return undefined;
  const keep = new Set(listAll.params);
  const seen = new Map<string, ApiCall>();
  for (const c of plan.calls) {
    const binding = Object.fromEntries(Object.entries(c.binding).filter(([k]) => keep.has(k)));
    seen.set(JSON.stringify(binding), { ...c, decl: listAll, binding });
  }
  return [...seen.values()];
}

/** The driver's distinct keys, with the parent columns the child copies when it joins on the parent's own key. */
function driverKeysSql(catalog: Catalog, s: PendingScan, driver: Driver): string {
  const a = quoteIdent(driver.alias);
  const parentTable = s.plan.table.parent && catalog.table(s.plan.table.parent.table);
  const key = s.plan.parentKeys[0]!;
  // Joined on the parent's own key: its other columns (e.g. RequestKey) come along.
  const sameParent = driver.table === parentTable && driver.column === engineName(key.column);
  const extras = sameParent ? wantedParentColumns(s).map(([child, parent]) => `, (${a}.${quoteIdent(engineName(parent))})::text AS ${quoteIdent(PARENT_COLUMN_PREFIX + child)}`).join('') : '';
  const local = driver.table ? undefined : s.facts.localRelations.get(driver.alias)!;
  const rel = driver.table ? `jsm.${engineName(driver.table.name)}` : `${quoteIdent(local!.schema)}.${quoteIdent(local!.relation)}`;
  return `SELECT DISTINCT (${a}.${quoteIdent(driver.column)})::text AS ${DRIVER_KEY}${extras} FROM ${rel} ${a}${local?.filter ? ` WHERE ${local.filter}` : ''}`;
}

function driverBindings(s: PendingScan, rows: readonly DriverKeyRow[]): Binding[] {
  const key = s.plan.parentKeys[0]!;
  return rows.flatMap((r) => {
    const k = r[DRIVER_KEY];
    if (k === null || k === undefined) return [];
    const b: Binding = { [key.param]: k };
    for (const [name, v] of Object.entries(r)) if (name !== DRIVER_KEY && v !== null) b[name] = v;
    return [b];
  });
}

/** Gets of the parent, one per parent key, that fill the parent columns of calls a qual bound (RequestId = '10001'). */
export interface ParentLookups {
  readonly table: TableDecl;
  /** Per parent key (its values as JSON), the calls getting that parent. */
  readonly gets: ReadonlyMap<string, ApiCall[]>;
}

/** Calls of a scan with the parent gets that fill their parent columns, and their cost in API calls. */
export interface Candidate {
  readonly s: PendingScan;
  readonly calls: ApiCall[];
  readonly lookups: ParentLookups | undefined;
  readonly cost: number;
}

export function candidate(catalog: Catalog, s: PendingScan, calls: ApiCall[]): Candidate {
  const lookups = parentLookups(catalog, s, calls);
  return { s, calls, lookups, cost: calls.length + (lookups?.gets.size ?? 0) };
}

/** The scan with its fanned-out IN lists left to the engine, if it has any it can leave. */
export function widerScan(s: PendingScan): PendingScan | undefined {
  const listed = listedForm(s.scan, s.plan);
  return listed && { ...listed, facts: s.facts };
}

/** Calls bound by a qual (e.g. RequestId = '10001') learn the parent's other columns from one get of the parent. */
function parentLookups(catalog: Catalog, s: PendingScan, calls: readonly ApiCall[]): ParentLookups | undefined {
  const wanted = wantedParentColumns(s);
  const parentDecl = s.plan.table.parent;
  if (!wanted.length || !parentDecl || s.plan.parentKeys.length > 0) return undefined;
  const parent = catalog.table(parentDecl.table)!;
  const gets = new Map<string, ApiCall[]>();
  for (const c of calls) {
    if (!needsLookup(s, c)) continue;
    const keyQuals = Object.entries(parentDecl.keys).map(([param, column]) => ({ column: engineName(column), values: [c.binding[param]!], text: '' }));
    const id = lookupId(c, parentDecl.keys);
    if (!gets.has(id)) gets.set(id, planScan({ table: parent, aliases: new Set(), quals: keyQuals, others: [], columns: new Set(wanted.map(([, p]) => engineName(p))) }).calls);
  }
  return gets.size ? { table: parent, gets } : undefined;
}

function needsLookup(s: PendingScan, c: ApiCall): boolean {
  const keys = Object.keys(s.plan.table.parent!.keys);
  return wantedParentColumns(s).some(([child]) => c.binding[PARENT_COLUMN_PREFIX + child] === undefined && !boundByCall(s.plan.table, child, c))
    && keys.every((k) => c.binding[k] !== undefined);
}

/**
 * The call's binding fills the child column itself, so no get of the parent is needed for it:
 * RequestId when the request was named by its ID. A value that fits another column bound to the
 * same placeholder (RequestKey's pattern: the request was named by key) is that column's, not this one's.
 */
function boundByCall(table: TableDecl, child: string, c: ApiCall): boolean {
  const col = table.columns.find((x) => x.name === child);
  const v = col?.bind ? c.binding[col.bind] : undefined;
  if (v === undefined) return false;
  if (col!.bindPattern) return new RegExp(col!.bindPattern).test(v);
  return !table.columns.some((o) => o !== col && o.bind === col!.bind && o.bindPattern && new RegExp(o.bindPattern).test(v));
}

function lookupId(c: ApiCall, keys: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(keys).map((k) => c.binding[k]));
}

/** The candidate's calls completed from its lookups' rows: `parts` holds each lookup call's rows, in the order of `gets`. */
export function withParentColumns({ s, calls, lookups }: Candidate, parts: readonly Row[][]): ApiCall[] {
  if (!lookups) return calls;
  const rowOf = new Map<string, Row | undefined>();
  let at = 0;
  for (const [id, gets] of lookups.gets) {
    rowOf.set(id, parts.slice(at, at + gets.length).flat()[0]);
    at += gets.length;
  }
  const keys = s.plan.table.parent!.keys;
  return calls.map((c) => {
    const row = needsLookup(s, c) ? rowOf.get(lookupId(c, keys)) : undefined;
    return row ? { ...c, binding: { ...c.binding, ...parentColumnsOf(s, row) } } : c;
  });
}

function unique(bindings: (Binding | undefined)[]): Binding[] {
  const m = new Map<string, Binding>();
  for (const b of bindings) if (b) m.set(JSON.stringify(b), b);
  return [...m.values()];
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
