import type { Row } from '../adapters/row-mapper.ts';
import { engineName, type Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { Engine } from '../engine/engine.ts';
import { fetchCalls, PARENT_COLUMN_PREFIX, type FetchContext } from '../executor/fetch-scan.ts';
import type { PlanFacts, RelationScan } from './explain.ts';
import { bindParents, planScan, type ApiCall, type ScanPlan } from './scan-plan.ts';

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

/**
 * The calls of a scan: as planned, or per parent key — from the rows of the relation the query
 * joins it to, else one list-everything call where the API has one, else every parent.
 */
export async function scanCalls(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: ReadonlySet<TableDecl>): Promise<ApiCall[]> {
  const { plan } = s;
  if (plan.parentKeys.length === 0) return withParentColumns(catalog, s, plan.calls, ctx);
  const driver = driverOf(s);
  // A driver not loaded yet (a cycle of children) would yield no keys: never use it then.
  if (driver && (!driver.table || loaded.has(driver.table))) return bindParents(plan, await driverBindings(engine, catalog, s, driver));
  const listAll = plan.table.parent?.listAll;
  const parentParams = new Set(Object.keys(plan.table.parent?.keys ?? {}));
  // listAll only when it can take every parameter the calls bind: dropping one would lose its filter's meaning.
  if (listAll && plan.calls.every((c) => Object.keys(c.binding).every((k) => parentParams.has(k) || k.startsWith(PARENT_COLUMN_PREFIX) || listAll.params.includes(k)))) {
    const keep = new Set(listAll.params);
    const seen = new Map<string, ApiCall>();
    for (const c of plan.calls) {
      const binding = Object.fromEntries(Object.entries(c.binding).filter(([k]) => keep.has(k)));
      seen.set(JSON.stringify(binding), { ...c, decl: listAll, binding });
    }
    return [...seen.values()];
  }
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

/** Calls bound by a qual (e.g. RequestId = '10001') learn the parent's other columns from one get of the parent. */
async function withParentColumns(catalog: Catalog, s: PendingScan, calls: ApiCall[], ctx: FetchContext): Promise<ApiCall[]> {
  const wanted = wantedParentColumns(s);
  const parentDecl = s.plan.table.parent;
  if (!wanted.length || !parentDecl) return calls;
  const parent = catalog.table(parentDecl.table)!;
  const missing = (c: ApiCall) => wanted.some(([child]) => c.binding[PARENT_COLUMN_PREFIX + child] === undefined);
  const lookups = new Map<string, Promise<Row | undefined>>();
  const lookup = (c: ApiCall) => {
    const keyQuals = Object.entries(parentDecl.keys).map(([param, column]) => ({ column: engineName(column), values: [c.binding[param]!], text: '' }));
    const id = JSON.stringify(keyQuals);
    let p = lookups.get(id);
    if (!p) {
      const plan = planScan({ table: parent, aliases: new Set(), quals: keyQuals, others: [], columns: new Set(wanted.map(([, p]) => engineName(p))) });
      lookups.set(id, (p = fetchCalls(parent, plan.calls, ctx).then((rows) => rows[0])));
    }
    return p;
  };
  return Promise.all(calls.map(async (c) => {
    if (!missing(c) || Object.keys(parentDecl.keys).some((k) => c.binding[k] === undefined)) return c;
    const row = await lookup(c);
    if (!row) return c;
    const extra: Binding = {};
    for (const [child, p] of wanted) {
      const v = row[engineName(p)];
      if (v !== null && v !== undefined) extra[PARENT_COLUMN_PREFIX + child] = String(v);
    }
    return { ...c, binding: { ...c.binding, ...extra } };
  }));
}

function unique(bindings: (Binding | undefined)[]): Binding[] {
  const m = new Map<string, Binding>();
  for (const b of bindings) if (b) m.set(JSON.stringify(b), b);
  return [...m.values()];
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
