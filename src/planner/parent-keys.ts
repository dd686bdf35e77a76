import type { Row } from '../adapters/row-mapper.ts';
import { engineName, type Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { Engine } from '../engine/engine.ts';
import {
  apiCallLimit, apiCallLimitError, apiCallsLeft, commitApiCalls, fetchCallParts, fetchCalls, PARENT_COLUMN_PREFIX, type FetchContext,
} from '../executor/fetch-scan.ts';
import type { PlanFacts, RelationScan } from './explain.ts';
import { bindParents, chooseCalls, listAndFilter, planScan, type ApiCall, type ScanPlan } from './scan-plan.ts';

/** A scan waiting for its calls; scanCalls may replace `scan` and `plan` with their list-and-filter form. */
export interface PendingScan { scan: RelationScan; plan: ScanPlan; facts: PlanFacts }

type Binding = Record<string, string>;

/** The other side of a join equality on this scan's parent-key column, if the query has one. */
export function driverOf(s: PendingScan): { alias: string; column: string; table?: TableDecl } | undefined {
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

/** Child columns copied from the parent row that this scan reads. */
function wantedParentColumns(s: PendingScan): [child: string, parent: string][] {
  // Two scans of one relation (a self-join) load into one rows table: each row must be complete
  // for the other scan's quals, and rows of the same item must agree to merge into one.
  const shared = s.facts.scans.filter((x) => x.table === s.plan.table).length > 1;
  return Object.entries(s.plan.table.parent?.columns ?? {}).filter(([child]) => shared || !s.scan.columns || s.scan.columns.has(engineName(child)));
}

function parentBinding(s: PendingScan, row: Row): Binding | undefined {
  const b: Binding = {};
  for (const k of s.plan.parentKeys) {
    const v = row[engineName(k.column)];
    if (v === null || v === undefined) return undefined;
    b[k.param] = String(v);
  }
  for (const [child, parent] of wantedParentColumns(s)) {
    const v = row[engineName(parent)];
    if (v !== null && v !== undefined) b[PARENT_COLUMN_PREFIX + child] = String(v);
  }
  return b;
}

/** Calls of a scan with the parent gets that fill their parent columns, and their cost in API calls. */
interface Candidate { s: PendingScan; calls: ApiCall[]; lookups: ParentLookups; cost: number }

/**
 * The calls of a scan: as planned, or per parent key — from the rows of the relation the query
 * joins it to, else one list-everything call where the API has one, else every parent. When they
 * would take the statement past its cap on API calls, the scan is read in its list-and-filter form
 * if that fits (and `s.scan` and `s.plan` become that form: read `s.plan` after this), else the
 * statement is refused before any of the scan's calls is made.
 */
export async function scanCalls(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: ReadonlySet<TableDecl>): Promise<ApiCall[]> {
  let chosen = candidate(catalog, s, await candidateCalls(engine, catalog, s, ctx, loaded));
  if (chosen.cost > apiCallsLeft(ctx)) {
    const wider = await listAndFilterCandidate(engine, catalog, s, ctx, loaded);
    // listing the parents for the wider form may itself have taken calls
    const left = apiCallsLeft(ctx);
    const choice = chooseCalls({ planned: chosen.cost, listAndFilter: wider?.cost }, left);
    if (choice === 'refuse') {
      const n = (x: number) => x.toLocaleString('en-US');
      const before = apiCallLimit(ctx) - left;
      const needed = Math.min(chosen.cost, wider?.cost ?? Infinity);
      throw apiCallLimitError(ctx, { calls: before + needed }, [
        `${s.plan.table.name} takes ${n(chosen.cost)} calls as planned (one per key value or parent row)`,
        wider ? `, ${n(wider.cost)} listed and filtered` : ', and the API has no call that lists them all',
        before > 0 ? `; the rest of the statement takes ${n(before)}.` : '.',
      ].join(''));
    }
    if (choice === 'list-and-filter') {
      chosen = wider!;
      s.scan = chosen.s.scan;
      s.plan = chosen.s.plan;
    }
  }
  commitApiCalls(ctx, chosen.cost);
  return withParentColumns(catalog, chosen, ctx);
}

function candidate(catalog: Catalog, s: PendingScan, calls: ApiCall[]): Candidate {
  const lookups = parentLookups(catalog, s, calls);
  return { s, calls, lookups, cost: calls.length + lookups.size };
}

/** The scan with its fanned-out IN lists left to the engine, if it has any it can leave. */
async function listAndFilterCandidate(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: ReadonlySet<TableDecl>): Promise<Candidate | undefined> {
  const scan = listAndFilter(s.scan, s.plan);
  if (!scan) return undefined;
  const wider: PendingScan = { scan, plan: planScan(scan), facts: s.facts };
  return candidate(catalog, wider, await candidateCalls(engine, catalog, wider, ctx, loaded));
}

async function candidateCalls(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: ReadonlySet<TableDecl>): Promise<ApiCall[]> {
  const { plan } = s;
  if (plan.parentKeys.length === 0) return plan.calls;
  const driver = driverOf(s);
  // A driver not loaded yet (a cycle of children) would yield no keys: never use it then.
  if (driver && (!driver.table || loaded.has(driver.table))) return bindParents(plan, await driverBindings(engine, catalog, s, driver));
  const all = listAllCalls(plan);
  if (all) return all;
  const parent = catalog.table(plan.table.parent!.table)!;
  // Parent keys the query binds already (QueueRequests' ServiceDeskId) narrow the parents listed,
  // and each call takes only the parents that agree with its own binding.
  const bound = Object.entries(plan.table.parent!.keys).filter(([param]) => !plan.parentKeys.some((k) => k.param === param));
  const quals = bound.map(([param, column]) => ({ column: engineName(column), values: [...new Set(plan.calls.map((c) => c.binding[param]!))], text: '' }));
  const parentScan: RelationScan = { table: parent, aliases: new Set(), quals, others: [], columns: undefined };
  const rows = await fetchCalls(parent, await scanCalls(engine, catalog, { scan: parentScan, plan: planScan(parentScan), facts: s.facts }, ctx, loaded), ctx);
  const agrees = (c: ApiCall, r: Row) => bound.every(([param, column]) => String(r[engineName(column)]) === c.binding[param]);
  return plan.calls.flatMap((c) => unique(rows.filter((r) => agrees(c, r)).map((r) => parentBinding(s, r))).map((b) => ({ ...c, binding: { ...c.binding, ...b } })));
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

async function driverBindings(engine: Engine, catalog: Catalog, s: PendingScan, driver: { alias: string; column: string; table?: TableDecl }): Promise<Binding[]> {
  const a = quoteIdent(driver.alias);
  const parentTable = s.plan.table.parent && catalog.table(s.plan.table.parent.table);
  const key = s.plan.parentKeys[0]!;
  // Joined on the parent's own key: its other columns (e.g. RequestKey) come along.
  const sameParent = driver.table === parentTable && driver.column === engineName(key.column);
  const extras = sameParent ? wantedParentColumns(s).map(([child, parent]) => `, (${a}.${quoteIdent(engineName(parent))})::text AS ${quoteIdent(PARENT_COLUMN_PREFIX + child)}`).join('') : '';
  const local = driver.table ? undefined : s.facts.localRelations.get(driver.alias)!;
  const rel = driver.table ? `jsm.${engineName(driver.table.name)}` : `${quoteIdent(local!.schema)}.${quoteIdent(local!.relation)}`;
  const res = await engine.query<Record<string, string | null>>(
    `SELECT DISTINCT (${a}.${quoteIdent(driver.column)})::text AS k${extras} FROM ${rel} ${a}${local?.filter ? ` WHERE ${local.filter}` : ''}`,
  );
  return res.rows.flatMap((r) => {
    if (r.k === null || r.k === undefined) return [];
    const b: Binding = { [key.param]: r.k };
    for (const [k, v] of Object.entries(r)) if (k !== 'k' && v !== null) b[k] = v;
    return [b];
  });
}

/** The parent gets (by their key, deduplicated) that calls bound by a qual need for their parent columns. */
type ParentLookups = Map<string, ApiCall[]>;

/** Calls bound by a qual (e.g. RequestId = '10001') learn the parent's other columns from one get of the parent. */
function parentLookups(catalog: Catalog, s: PendingScan, calls: readonly ApiCall[]): ParentLookups {
  const lookups: ParentLookups = new Map();
  const wanted = wantedParentColumns(s);
  const parentDecl = s.plan.table.parent;
  if (!wanted.length || !parentDecl || s.plan.parentKeys.length > 0) return lookups;
  const parent = catalog.table(parentDecl.table)!;
  for (const c of calls) {
    if (!needsLookup(s, c)) continue;
    const keyQuals = Object.entries(parentDecl.keys).map(([param, column]) => ({ column: engineName(column), values: [c.binding[param]!], text: '' }));
    const id = lookupId(c, parentDecl.keys);
    if (!lookups.has(id)) lookups.set(id, planScan({ table: parent, aliases: new Set(), quals: keyQuals, others: [], columns: new Set(wanted.map(([, p]) => engineName(p))) }).calls);
  }
  return lookups;
}

function needsLookup(s: PendingScan, c: ApiCall): boolean {
  const keys = Object.keys(s.plan.table.parent!.keys);
  return wantedParentColumns(s).some(([child]) => c.binding[PARENT_COLUMN_PREFIX + child] === undefined) && keys.every((k) => c.binding[k] !== undefined);
}

function lookupId(c: ApiCall, keys: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(keys).map((k) => c.binding[k]));
}

async function withParentColumns(catalog: Catalog, { s, calls, lookups }: Candidate, ctx: FetchContext): Promise<ApiCall[]> {
  if (lookups.size === 0) return calls;
  const parentDecl = s.plan.table.parent!;
  const ids = [...lookups.keys()];
  const parts = await fetchCallParts(catalog.table(parentDecl.table)!, ids.flatMap((id) => lookups.get(id)!), ctx);
  const rowOf = new Map<string, Row | undefined>();
  let at = 0;
  for (const id of ids) {
    const n = lookups.get(id)!.length;
    rowOf.set(id, parts.slice(at, at + n).flat()[0]);
    at += n;
  }
  const wanted = wantedParentColumns(s);
  return calls.map((c) => {
    const row = needsLookup(s, c) ? rowOf.get(lookupId(c, parentDecl.keys)) : undefined;
    if (!row) return c;
    const extra: Binding = {};
    for (const [child, p] of wanted) {
      const v = row[engineName(p)];
      if (v !== null && v !== undefined) extra[PARENT_COLUMN_PREFIX + child] = String(v);
    }
    return { ...c, binding: { ...c.binding, ...extra } };
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
