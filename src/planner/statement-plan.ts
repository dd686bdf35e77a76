import type { Catalog } from '../catalog/registry.ts';
import { planFacts, type PlanFacts } from './explain.ts';
import { planScan, type ScanPlan } from './scan-plan.ts';

/** A statement's reads of JSM relations: the facts of its plan, and one scan plan per scan. */
export interface PlannedStatement {
  readonly facts: PlanFacts;
  readonly plans: ScanPlan[];
}

/** Node types a single-scan query may have for its LIMIT to be pushed (DESIGN.md §3). */
const LIMIT_SAFE = new Set(['Limit', 'Append', 'Seq Scan', 'Index Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan', 'Result', 'Index Only Scan']);

/**
 * Plans a statement from the engine's `EXPLAIN (VERBOSE, FORMAT JSON, COSTS OFF)` document (its
 * text, or parsed), with `limit` (LIMIT + OFFSET of a plain SELECT) pushed only when the statement
 * reads one relation, every qual reaches the API and nothing above the scan could need more rows.
 */
export function planStatement(explained: unknown, catalog: Catalog, limit?: number): PlannedStatement {
  const doc = (typeof explained === 'string' ? JSON.parse(explained) : explained) as { Plan: never }[];
  const facts = planFacts(doc[0]!.Plan, catalog);
  const plans = facts.scans.map(planScan);
  const only = plans[0];
  if (limit !== undefined && plans.length === 1 && only && only.remaining.length === 0
    && [...facts.nodeTypes].every((t) => LIMIT_SAFE.has(t)) && facts.nodeTypes.has('Limit'))
    only.limit = { value: limit, guaranteed: true };
  return { facts, plans };
}
