import type { Row } from '../adapters/row-mapper.ts';
import { engineName, type Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { Engine } from '../engine/engine.ts';
import { fetchCalls, type FetchContext } from '../executor/fetch-scan.ts';
import { loadRows } from '../executor/loader.ts';
import { planFacts, type PlanFacts, type RelationScan } from './explain.ts';
import { bindParents, planScan, type ScanPlan } from './scan-plan.ts';

export interface ReadStatement {
  readonly sql: string;
  readonly params?: readonly (string | null)[];
  /** LIMIT + OFFSET from the parse tree of a plain SELECT, if constant. */
  readonly limit?: number;
  /** Parameters exist but could not be decoded: plan generically (fewer quals pushed, same rows). */
  readonly generic?: boolean;
}

export interface PlannedStatement {
  readonly facts: PlanFacts;
  readonly plans: ScanPlan[];
}

/** Node types a single-scan query may have for its LIMIT to be pushed (DESIGN.md §3). */
const LIMIT_SAFE = new Set(['Limit', 'Append', 'Seq Scan', 'Index Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan', 'Result', 'Index Only Scan']);

export async function explainStatement(engine: Engine, catalog: Catalog, st: ReadStatement): Promise<PlannedStatement> {
  const options = st.generic ? 'GENERIC_PLAN, VERBOSE, FORMAT JSON, COSTS OFF' : 'VERBOSE, FORMAT JSON, COSTS OFF';
  const res = await engine.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${options}) ${st.sql}`, st.generic ? undefined : (st.params as unknown[] | undefined));
  const raw = res.rows[0]?.['QUERY PLAN'];
  const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: never }[];
  const facts = planFacts(doc[0]!.Plan, catalog);
  const plans = facts.scans.map(planScan);
  const only = plans[0];
  if (st.limit !== undefined && plans.length === 1 && only && only.remaining.length === 0 && only.parentKeys.length === 0
    && [...facts.nodeTypes].every((t) => LIMIT_SAFE.has(t)) && facts.nodeTypes.has('Limit'))
    only.limit = { value: st.limit, guaranteed: true };
  return { facts, plans };
}

interface PendingScan { scan: RelationScan; plan: ScanPlan; facts: PlanFacts }

/**
 * Plans, fetches and loads every JSM relation the statements read, parents before the children
 * whose keys come from them, so the engine then runs the statements over exactly the rows needed.
 */
export async function prepareReads(engine: Engine, catalog: Catalog, planned: PlannedStatement[], ctx: FetchContext, inTransaction: boolean): Promise<void> {
  const rowsByTable = new Map<TableDecl, Row[]>();
  const loaded = new Set<TableDecl>();
  let pending: PendingScan[] = planned.flatMap((p) => p.facts.scans.map((scan, i) => ({ scan, plan: p.plans[i]!, facts: p.facts })));

  while (pending.length) {
    const ready = pending.filter((s) => {
      const d = s.plan.parentKeys.length ? driverOf(s) : undefined;
      return !d || !d.table || loaded.has(d.table);
    });
    const round = ready.length ? ready : pending; // a cycle of child drivers: fall back to enumerating parents
    pending = pending.filter((s) => !round.includes(s));
    await Promise.all(round.map(async (s) => {
      const calls = s.plan.parentKeys.length ? bindParents(s.plan, await parentBindings(engine, catalog, s, ctx, loaded)) : s.plan.calls;
      const rows = await fetchCalls(s.plan.table, calls, ctx, s.plan.limit?.value);
      rowsByTable.set(s.plan.table, [...(rowsByTable.get(s.plan.table) ?? []), ...rows]);
    }));
    for (const t of new Set(round.map((s) => s.plan.table))) {
      await loadRows(engine, t, rowsByTable.get(t) ?? [], inTransaction);
      loaded.add(t);
    }
  }
}

/** The other side of a join equality on this scan's parent-key column, if the query has one. */
function driverOf(s: PendingScan): { alias: string; column: string; table?: TableDecl } | undefined {
  const col = s.plan.table.columns.find((c) => c.bind === s.plan.parentKeys[0]?.param);
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

async function parentBindings(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: Set<TableDecl>): Promise<Record<string, string>[]> {
  const keys = s.plan.parentKeys;
  const driver = keys.length === 1 ? driverOf(s) : undefined;
  let values: string[];
  if (driver && (!driver.table || loaded.has(driver.table))) {
    const rel = driver.table ? `jsm.${engineName(driver.table.name)}` : qualified(s.facts.localRelations.get(driver.alias)!);
    const filter = driver.table ? undefined : s.facts.localRelations.get(driver.alias)?.filter;
    const res = await engine.query<{ v: string | null }>(
      `SELECT DISTINCT (${quoteIdent(driver.alias)}.${quoteIdent(driver.column)})::text AS v FROM ${rel} ${quoteIdent(driver.alias)}${filter ? ` WHERE ${filter}` : ''}`,
    );
    values = res.rows.map((r) => r.v).filter((v): v is string => v !== null);
  } else {
    // Nothing in the query constrains the parent: enumerate it.
    const parent = catalog.table(s.plan.table.parent!.table)!;
    const parentPlan = planScan({ table: parent, aliases: new Set(), quals: [], others: [], columns: new Set() });
    const rows = await fetchCalls(parent, parentPlan.calls, ctx);
    const col = engineName(keys[0]!.column);
    values = [...new Set(rows.map((r) => r[col]).filter((v) => v !== null && v !== undefined).map(String))];
  }
  return values.map((v) => ({ [keys[0]!.param]: v }));
}

function qualified(r: { schema: string; relation: string }): string {
  return `${quoteIdent(r.schema)}.${quoteIdent(r.relation)}`;
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
