import type { Row } from '../adapters/row-mapper.ts';
import { engineName, type Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { Engine } from '../engine/engine.ts';
import { fetchCallParts, type FetchContext } from './fetch-scan.ts';
import { loadParts, type LoadTracker } from './loader.ts';
import { planFacts, type PlanFacts } from '../planner/explain.ts';
import { driverOf, scanCalls, type PendingScan } from '../planner/parent-keys.ts';
import { planScan, type ScanPlan } from '../planner/scan-plan.ts';

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
  if (st.limit !== undefined && plans.length === 1 && only && only.remaining.length === 0
    && [...facts.nodeTypes].every((t) => LIMIT_SAFE.has(t)) && facts.nodeTypes.has('Limit'))
    only.limit = { value: st.limit, guaranteed: true };
  return { facts, plans };
}


/**
 * Plans, fetches and loads every JSM relation the statements read, parents before the children
 * whose keys come from them, so the engine then runs the statements over exactly the rows needed.
 */
export interface LoadOptions {
  readonly inTransaction: boolean;
  readonly tracker?: LoadTracker;
  /** Lets the engine read these relations (the guard of schemaDdl): a child's call list reads its parents' loaded keys. */
  readonly readable: (tables: readonly string[]) => Promise<void>;
}

export async function prepareReads(engine: Engine, catalog: Catalog, planned: PlannedStatement[], ctx: FetchContext, opts: LoadOptions): Promise<void> {
  const partsByTable = new Map<TableDecl, Row[][]>();
  const loaded = new Set<TableDecl>();
  let pending: PendingScan[] = planned.flatMap((p) => p.facts.scans.map((scan, i) => ({ scan, plan: p.plans[i]!, facts: p.facts })));

  while (pending.length) {
    const ready = pending.filter((s) => {
      const d = driverOf(s);
      return !d || !d.table || loaded.has(d.table);
    });
    const round = ready.length ? ready : pending; // a cycle of child drivers: fall back to enumerating parents
    pending = pending.filter((s) => !round.includes(s));
    await Promise.all(round.map(async (s) => {
      const calls = await scanCalls(engine, catalog, s, ctx, loaded);
      const parts = await fetchCallParts(s.plan.table, calls, ctx, s.plan.limit?.value);
      partsByTable.set(s.plan.table, [...(partsByTable.get(s.plan.table) ?? []), ...parts]);
    }));
    for (const t of new Set(round.map((s) => s.plan.table))) {
      await loadParts(engine, t, partsByTable.get(t) ?? [], opts.inTransaction, opts.tracker);
      loaded.add(t);
    }
    if (pending.length) await opts.readable([...loaded].map((t) => engineName(t.name)));
  }
}
