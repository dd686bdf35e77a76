import type { Catalog } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { Engine } from '../engine/engine.ts';
import {
  apiCallLimit, apiCallLimitError, apiCallsLeft, commitApiCalls, fetchCallParts, fetchCalls, servedInline, type FetchContext,
} from './fetch-scan.ts';
import { callSource, candidate, widerScan, withParentColumns, type Candidate, type DriverKeyRow, type PendingScan } from '../planner/parent-keys.ts';
import { chooseCalls, type ApiCall } from '../planner/scan-plan.ts';

/**
 * The calls of a scan, with what the planner asked to read for them read here: the driver's keys
 * from the engine, the parents' rows and the parent gets from the API. When they would take the
 * statement past its cap on API calls, the scan is read in its list-and-filter form if that fits
 * (and `s.scan` and `s.plan` become that form: read `s.plan` after this), else the statement is
 * refused before any of the scan's calls is made.
 */
export async function scanCalls(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: ReadonlySet<TableDecl>): Promise<ApiCall[]> {
  let chosen = await candidateOf(engine, catalog, s, ctx, loaded);
  if (chosen.cost > apiCallsLeft(ctx)) {
    const widerScanned = widerScan(s);
    const wider = widerScanned && await candidateOf(engine, catalog, widerScanned, ctx, loaded);
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
  if (!chosen.lookups) return chosen.calls;
  const { table, gets } = chosen.lookups;
  return withParentColumns(chosen, await fetchCallParts(table, [...gets.values()].flat(), ctx));
}

/** The planner's candidate calls for a scan, after reading the keys or parent rows it needs. */
async function candidateOf(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: ReadonlySet<TableDecl>): Promise<Candidate> {
  const c = await plannedCandidate(engine, catalog, s, ctx, loaded);
  // calls the parents' inline pages answer whole cost nothing
  return { ...c, cost: c.cost - servedInline(ctx, s.plan.table, c.calls) };
}

async function plannedCandidate(engine: Engine, catalog: Catalog, s: PendingScan, ctx: FetchContext, loaded: ReadonlySet<TableDecl>): Promise<Candidate> {
  const source = callSource(catalog, s, loaded);
  switch (source.kind) {
    case 'calls':
      return candidate(catalog, s, source.calls);
    case 'driver-keys':
      return candidate(catalog, s, source.calls((await engine.query<DriverKeyRow>(source.sql)).rows));
    case 'parent-rows': {
      // The parents' own scan may in turn list, narrow or refuse, and commits its calls first.
      const parentCalls = await scanCalls(engine, catalog, source.parent, ctx, loaded);
      return candidate(catalog, s, source.calls(await fetchCalls(source.parent.plan.table, parentCalls, ctx, undefined, source.parent.plan.feeds)));
    }
  }
}
