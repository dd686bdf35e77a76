import { existsSync, readFileSync } from 'node:fs';
import { loadModule } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/catalog/registry.ts';
import type { FilterDecl, TableDecl } from '../../src/catalog/types.ts';
import { callSource, candidate, driverOf, widerScan, withParentColumns, type PendingScan } from '../../src/planner/parent-keys.ts';
import { PARENT_COLUMN_PREFIX, type ApiCall } from '../../src/planner/scan-plan.ts';
import { planStatement } from '../../src/planner/statement-plan.ts';
import { JOINS, NOT_PUSHED, PLAN_CASES, PUSHED, type Params, type PlanCase, type ScanExpectation } from './plan-cases.ts';
import { fixtureFile, type RecordedPlan } from './record-plans.ts';

/**
 * The planner over the engine's own EXPLAIN output, recorded once by record-plans.ts: no engine
 * runs here. Per case, which quals reach the API (accepted) and which stay with the engine
 * (remaining), and the endpoint and parameters of each call.
 */
const catalog = getCatalog();
const RERECORD = 'add or change the case in plan-cases.ts, then run: npx tsx test/planner/record-plans.ts';

beforeAll(() => loadModule());

const fixtures = new Map<string, Record<string, RecordedPlan>>();
function recorded(c: PlanCase): RecordedPlan {
  const file = fixtureFile(c.relation);
  if (!fixtures.has(file)) fixtures.set(file, existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});
  const r = fixtures.get(file)![c.id];
  if (!r) throw new Error(`no recorded plan for ${c.id}: ${RERECORD}`);
  expect({ sql: r.sql, params: r.params, generic: r.generic }, `the recorded statement of ${c.id} is stale: ${RERECORD}`)
    .toEqual({ sql: c.sql, params: c.params, generic: c.generic });
  return r;
}

/** A call's parameters, without the parent columns it carries for the rows. */
const paramsOf = (call: ApiCall): Params => Object.fromEntries(Object.entries(call.binding).filter(([k]) => !k.startsWith(PARENT_COLUMN_PREFIX)));

function expectScan(table: TableDecl, s: PendingScan, want: ScanExpectation, singleScan: boolean): void {
  const { plan } = s;
  expect(plan.accepted.map((q) => q.column).sort(), 'the quals that reach the API').toEqual([...want.pushed].sort());
  for (const fragment of want.left ?? []) expect(plan.remaining.join(' AND '), 'the conditions left to the engine').toContain(fragment);
  if (!want.left && singleScan) expect(plan.remaining, 'every condition reaches the API').toEqual([]);
  const decl = want.endpoint === 'get' ? table.get : table.list;
  expect(plan.calls.map((c) => [c.endpoint, c.decl.path]), 'the endpoint').toEqual(plan.calls.map(() => [want.endpoint, decl!.path]));
  expect(plan.calls.map(paramsOf), 'the parameters of each call').toEqual(want.calls);
  expect(plan.parentKeys.map((k) => k.param), 'the placeholders bound per parent').toEqual(want.parentKeys ?? []);
  expect(plan.limit, 'the LIMIT pushed').toEqual(want.limit === undefined ? undefined : { value: want.limit, guaranteed: true });

  // Every relation the statement reads counts as loaded: the driver's keys are read after it is.
  const source = callSource(catalog, s, new Set(catalog.tables));
  const { source: from } = want;
  if (from === undefined) expect(source).toEqual({ kind: 'calls', calls: plan.calls });
  else if (from === 'parent-rows') {
    expect(source.kind, 'the parents are read first').toBe('parent-rows');
    if (source.kind === 'parent-rows') expect(source.parent.plan.table.name).toBe(table.parent!.table);
  } else if ('driver' in from) {
    expect(source.kind, 'the joined relation drives the calls').toBe('driver-keys');
    expect(driverOf(s)?.alias).toBe(from.driver);
    if (from.sql && source.kind === 'driver-keys') expect(source.sql, 'what the executor reads for the keys').toBe(from.sql);
  } else {
    expect(source.kind, "the parents' list-everything call").toBe('calls');
    if (source.kind === 'calls') {
      expect(source.calls.map((c) => c.decl)).toEqual(from.listAll.map(() => table.parent!.listAll));
      expect(source.calls.map(paramsOf)).toEqual(from.listAll);
    }
  }
  if (source.kind === 'calls') expect(candidate(catalog, s, source.calls).lookups?.gets.size ?? 0, 'the gets of the parent for its columns').toBe(want.lookups ?? 0);
}

function check(c: PlanCase): void {
  const st = planStatement(recorded(c).plan, catalog, c.limit);
  expect(st.facts.scans.map((s) => [...s.aliases].sort()).length, 'one expectation per scan of the statement').toBe(Object.keys(c.expect).length);
  for (const [alias, want] of Object.entries(c.expect)) {
    const i = st.facts.scans.findIndex((s) => s.aliases.has(alias));
    expect(i, `a scan named ${alias}`).toBeGreaterThanOrEqual(0);
    expectScan(st.plans[i]!.table, { scan: st.facts.scans[i]!, plan: st.plans[i]!, facts: st.facts }, want, st.plans.length === 1);
  }
}

const endpointOf = (f: FilterDecl) => f.endpoint ?? 'list';
const lc = (s: string) => s.toLowerCase();

describe('every filter the catalog declares reaches the API (recorded plans)', () => {
  for (const table of catalog.tables) {
    describe(table.name, () => {
      it.each(table.filters.map((f) => [`${f.column} ${f.operators.join('/')} (${endpointOf(f)} ${endpointOf(f) === 'get' ? table.get!.path : table.list.path})`, f] as const))(
        '%s', (_name, f) => {
          const cases = [...PUSHED, ...JOINS].filter((c) => {
            const want = c.expect[lc(table.name)];
            return want && want.endpoint === endpointOf(f) && want.pushed.includes(lc(f.column));
          });
          expect(cases.map((c) => c.id), `no case pushes ${table.name}.${f.column} to the ${endpointOf(f)} endpoint: ${RERECORD}`).not.toEqual([]);
          for (const c of cases) check(c);
        },
      );
    });
  }
});

describe.each([
  ['filters and their IN lists, pseudo columns, key values, LIMIT', PUSHED],
  ['conditions that must not reach the API', NOT_PUSHED],
  ['children fetched by the keys of the parent they are joined to', JOINS],
] as const)('%s', (_title, cases) => {
  it.each(cases.map((c) => [`${c.relation}: ${c.title}`, c] as const))('%s', (_name, c) => check(c));
});

it('every case has its own name and a recorded plan', () => {
  expect(new Set(PLAN_CASES.map((c) => c.id)).size).toBe(PLAN_CASES.length);
  for (const c of PLAN_CASES) expect(() => recorded(c)).not.toThrow();
});

/** The scan of `relation` in the recorded plan of case `id`. */
function pendingOf(id: string, relation: string): PendingScan {
  const c = PLAN_CASES.find((x) => x.id === id)!;
  const st = planStatement(recorded(c).plan, catalog, c.limit);
  const i = st.facts.scans.findIndex((s) => s.aliases.has(lc(relation)));
  return { scan: st.facts.scans[i]!, plan: st.plans[i]!, facts: st.facts };
}

const bindings = (calls: readonly ApiCall[]) => calls.map((c) => c.binding);

describe('the calls follow from what the executor read for them', () => {
  it("the driver's keys, with the parent columns read along, bind one call per key; null keys bind none", () => {
    const source = callSource(catalog, pendingOf('RequestComments.join-requests', 'RequestComments'), new Set(catalog.tables));
    if (source.kind !== 'driver-keys') throw new Error(source.kind);
    const rows = [{ k: '10001', '^RequestId': '10001' }, { k: '10002', '^RequestId': '10002' }, { k: null, '^RequestId': null }];
    expect(bindings(source.calls(rows))).toEqual([
      { internal: 'true', issueIdOrKey: '10001', '^RequestId': '10001' },
      { internal: 'true', issueIdOrKey: '10002', '^RequestId': '10002' },
    ]);
  });

  it("a driver not loaded yet is not read: the parents are listed instead (a cycle of children)", () => {
    expect(callSource(catalog, pendingOf('RequestComments.join-requests', 'RequestComments'), new Set()).kind).toBe('parent-rows');
  });

  it('the parents listed bind the calls that agree with the keys the query gave', () => {
    const source = callSource(catalog, pendingOf('QueueRequests.servicedeskid', 'QueueRequests'), new Set());
    if (source.kind !== 'parent-rows') throw new Error(source.kind);
    expect(bindings(source.parent.plan.calls)).toEqual([{ serviceDeskId: '1' }]);
    const queues = [{ id: '2', servicedeskid: '1' }, { id: '3', servicedeskid: '1' }, { id: '2', servicedeskid: '1' }, { id: '9', servicedeskid: '2' }, { id: null, servicedeskid: '1' }];
    expect(bindings(source.calls(queues))).toEqual([{ serviceDeskId: '1', queueId: '2' }, { serviceDeskId: '1', queueId: '3' }]);
  });

  it("a child named by its request's ID learns the request's key from one get of the request", () => {
    const s = pendingOf('RequestComments.requestid', 'RequestComments');
    const c = candidate(catalog, s, s.plan.calls);
    expect(c.cost).toBe(2);
    expect(c.lookups!.table.name).toBe('Requests');
    expect([...c.lookups!.gets.values()].flat().map((x) => [x.endpoint, x.binding])).toEqual([['get', { issueIdOrKey: '10001' }]]);
    expect(bindings(withParentColumns(c, [[{ requestid: '10001', requestkey: 'TEST-1' }]]))).toEqual([
      { issueIdOrKey: '10001', internal: 'true', '^RequestId': '10001', '^RequestKey': 'TEST-1' },
    ]);
    // a request that does not exist leaves the calls as they were
    expect(bindings(withParentColumns(c, [[]]))).toEqual(bindings(s.plan.calls));
  });

  it('the list-and-filter form of a fanned-out IN list lists once and leaves the IN to the engine', () => {
    const wider = widerScan(pendingOf('Requests.requestid-in', 'Requests'))!;
    expect(wider.plan.calls.map((c) => [c.endpoint, paramsOf(c)])).toEqual([['list', { requestOwnership: 'ALL_REQUESTS', requestStatus: 'ALL_REQUESTS' }]]);
    expect(wider.plan.remaining.join(' ')).toContain('requestid IN');
    expect(widerScan(pendingOf('Requests.servicedeskid', 'Requests'))).toBeUndefined();
  });
});
