import { engineName, type Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { Engine } from '../engine/engine.ts';
import { fetchCallParts, type FetchContext } from './fetch-scan.ts';
import { loadParts, type LoadTracker } from './loader.ts';
import { scanCalls } from './scan-calls.ts';
import { waitsForDriver, type PendingScan } from '../planner/parent-keys.ts';
import { planStatement, type PlanOptions, type PlannedStatement } from '../planner/statement-plan.ts';

export type { PlannedStatement };

export interface ReadStatement {
  readonly sql: string;
  readonly params?: readonly (string | null)[];
  /** LIMIT + OFFSET from the parse tree of a plain SELECT, if constant. */
  readonly limit?: number;
  /** Parameters exist but could not be decoded: plan generically (fewer quals pushed, same rows). */
  readonly generic?: boolean;
}

/** The engine's plan of a statement, as EXPLAIN (VERBOSE, FORMAT JSON, COSTS OFF) returns it: what planStatement reads. */
export async function explainPlan(engine: Engine, st: ReadStatement): Promise<unknown> {
  type Plan = { 'QUERY PLAN': unknown };
  if (st.generic) {
    // Over the extended protocol the $n of the statement become the EXPLAIN's own parameters, which
    // Bind must then supply; only the simple protocol leaves them to GENERIC_PLAN. `st.sql` is one
    // statement (the session's classification of it), so the simple protocol runs nothing else.
    const [rows] = await engine.execScript<Plan>(`EXPLAIN (GENERIC_PLAN, VERBOSE, FORMAT JSON, COSTS OFF) ${st.sql}`);
    return rows?.[0]?.['QUERY PLAN'];
  }
  const res = await engine.query<Plan>(`EXPLAIN (VERBOSE, FORMAT JSON, COSTS OFF) ${st.sql}`, st.params as unknown[] | undefined);
  return res.rows[0]?.['QUERY PLAN'];
}

export async function explainStatement(engine: Engine, catalog: Catalog, st: ReadStatement, opts?: PlanOptions): Promise<PlannedStatement> {
  return planStatement(await explainPlan(engine, st), catalog, st.limit, opts);
}

export interface LoadOptions {
  readonly inTransaction: boolean;
  readonly tracker?: LoadTracker;
  /** Lets the engine read these relations (the guard of schemaDdl): a child's call list reads its parents' loaded keys. */
  readonly readable: (tables: readonly string[]) => Promise<void>;
}

/**
 * Plans, fetches and loads every JSM relation the statements read, parents before the children
 * whose keys come from them, so the engine then runs the statements over exactly the rows needed.
 */
export async function prepareReads(engine: Engine, catalog: Catalog, planned: PlannedStatement[], ctx: FetchContext, opts: LoadOptions): Promise<void> {
  const partsByTable = new Map<TableDecl, Awaited<ReturnType<typeof fetchCallParts>>>();
  const loaded = new Set<TableDecl>();
  let pending: PendingScan[] = planned.flatMap((p) => p.facts.scans.map((scan, i) => ({ scan, plan: p.plans[i]!, facts: p.facts })));

  while (pending.length) {
    const ready = pending.filter((s) => !waitsForDriver(s, loaded));
    const round = ready.length ? ready : pending; // a cycle of child drivers: fall back to enumerating parents
    pending = pending.filter((s) => !round.includes(s));
    await Promise.all(round.map(async (s) => {
      const calls = await scanCalls(engine, catalog, s, ctx, loaded);
      const fetched = await fetchCallParts(s.plan.table, calls, ctx, s.plan.limit?.value, s.plan.feeds);
      const keep = s.plan.keep;
      const parts = keep ? fetched.map((p) => p.filter((r) => r[keep.column] === keep.value)) : fetched;
      partsByTable.set(s.plan.table, [...(partsByTable.get(s.plan.table) ?? []), ...parts]);
    }));
    for (const t of new Set(round.map((s) => s.plan.table))) {
      await loadParts(engine, t, partsByTable.get(t) ?? [], opts.inTransaction, opts.tracker, ctx.jsm.metrics);
      loaded.add(t);
    }
    if (pending.length) await opts.readable([...loaded].map((t) => engineName(t.name)));
  }
}
