import type { Catalog } from '../catalog/registry.ts';
import { planFacts, type PlanFacts, type RelationScan } from './explain.ts';
import { feedParents } from './parent-keys.ts';
import { cheaperListing, planScan, type ListingPages, type ScanPlan } from './scan-plan.ts';

/** A statement's reads of JSM relations: the facts of its plan, and one scan plan per scan. */
export interface PlannedStatement {
  readonly facts: PlanFacts;
  readonly plans: ScanPlan[];
  /**
   * MaxRows applies: the statement has no aggregation, GROUP BY or window, so the session returns
   * at most this many of its rows (seed: "Limits the number of rows returned when no aggregation or
   * GROUP BY is used in the query. This takes precedence over LIMIT clauses").
   */
  readonly maxRows?: number;
}

/** What the connection adds to every statement's plan. */
export interface PlanOptions {
  /** MaxRows (or SET jsm.max_rows) when above 0. */
  readonly maxRows?: number;
  /** ServiceDeskID: the desk a relation that takes one is read from when the statement names none. */
  readonly defaultDesk?: string;
  /** How many pages listings took when last read (the executor's statistics): see cheaperListing. */
  readonly listingPages?: ListingPages;
}

/** Node types a single-scan query may have for its LIMIT to be pushed (DESIGN.md §3). */
const LIMIT_SAFE = new Set(['Limit', 'Append', 'Seq Scan', 'Index Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan', 'Result', 'Index Only Scan']);

/** Node types that aggregate rows: MaxRows does not cut such a statement's result. */
const AGGREGATING = new Set(['Aggregate', 'Group', 'WindowAgg']);

const DESK_COLUMN = 'servicedeskid';

/**
 * A scan of a relation that takes a desk (a filter on its ServiceDeskId) with no condition on it
 * gets `ServiceDeskId = <default desk>`, as if the statement said so; the rows fetched by key are
 * then kept only when they are of that desk (ScanPlan.keep).
 */
function withDefaultDesk(scan: RelationScan, desk: string | undefined): { scan: RelationScan; injected: boolean } {
  if (!desk) return { scan, injected: false };
  const takesDesk = scan.table.filters.some((f) => f.column.toLowerCase() === DESK_COLUMN);
  if (!takesDesk || scan.quals.some((q) => q.column === DESK_COLUMN)) return { scan, injected: false };
  const text = `${DESK_COLUMN} = '${desk.replace(/'/g, "''")}'::text (ServiceDeskID)`;
  return { scan: { ...scan, quals: [...scan.quals, { column: DESK_COLUMN, values: [desk], text }] }, injected: true };
}

/**
 * Plans a statement from the engine's `EXPLAIN (VERBOSE, FORMAT JSON, COSTS OFF)` document (its
 * text, or parsed), with `limit` (LIMIT + OFFSET of a plain SELECT) pushed only when the statement
 * reads one relation, every qual reaches the API and nothing above the scan could need more rows.
 * MaxRows pushes one row more than it returns (to know that it cut), under the same rule.
 */
export function planStatement(explained: unknown, catalog: Catalog, limit?: number, opts: PlanOptions = {}): PlannedStatement {
  const doc = (typeof explained === 'string' ? JSON.parse(explained) : explained) as { Plan: never }[];
  const explainedFacts = planFacts(doc[0]!.Plan, catalog);
  const scans = [...explainedFacts.scans];
  const own = scans.map((s, i) => {
    const { scan, injected } = withDefaultDesk(s, opts.defaultDesk);
    const planned = planScan(scan);
    const listed = cheaperListing(scan, planned, opts.listingPages);
    if (listed) scans[i] = listed.scan;
    const plan = listed?.plan ?? planned;
    if (injected) plan.keep = { column: DESK_COLUMN, value: opts.defaultDesk! };
    return plan;
  });
  const facts = { ...explainedFacts, scans };
  const plans = feedParents(facts, own);
  // only statements that read JSM rows: the sys_* tables and the client's own tables are the engine's, as in PostgreSQL
  const maxRows = opts.maxRows && opts.maxRows > 0 && facts.scans.length > 0 && ![...facts.nodeTypes].some((t) => AGGREGATING.has(t)) ? opts.maxRows : undefined;
  const cap = maxRows === undefined ? limit : Math.min(limit ?? Infinity, maxRows + 1);
  const only = plans[0];
  if (cap !== undefined && plans.length === 1 && only && only.remaining.length === 0
    && [...facts.nodeTypes].every((t) => LIMIT_SAFE.has(t)) && (facts.nodeTypes.has('Limit') || maxRows !== undefined))
    only.limit = { value: cap, guaranteed: true };
  return { facts, plans, ...(maxRows !== undefined ? { maxRows } : {}) };
}
