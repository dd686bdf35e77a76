import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/catalog/registry.ts';
import type { TableDecl } from '../../src/catalog/types.ts';
import type { RelationScan } from '../../src/planner/explain.ts';
import { describeQual, type Qual } from '../../src/planner/quals.ts';
import { batchValues, chooseCalls, IN_BATCH, listAndFilter, planScan } from '../../src/planner/scan-plan.ts';

const catalog = getCatalog();
const table = (name: string) => catalog.table(name)!;
const qual = (column: string, ...values: string[]): Qual => ({ column, values, text: describeQual({ column, values }) });
const scanOf = (t: TableDecl, ...quals: Qual[]): RelationScan => ({ table: t, aliases: new Set(['x']), quals, others: [], columns: undefined });
const ids = (n: number) => Array.from({ length: n }, (_, i) => String(10_001 + i));

describe('chooseCalls: the planner over the statement cap', () => {
  it.each([
    { planned: 10, listAndFilter: undefined, left: 1000, choice: 'planned' },
    { planned: 1000, listAndFilter: 1, left: 1000, choice: 'planned' },
    { planned: 5000, listAndFilter: 1, left: 1000, choice: 'list-and-filter' },
    { planned: 5000, listAndFilter: 1000, left: 1000, choice: 'list-and-filter' },
    { planned: 5000, listAndFilter: 1001, left: 1000, choice: 'refuse' },
    { planned: 5000, listAndFilter: undefined, left: 1000, choice: 'refuse' },
    { planned: 2, listAndFilter: 1, left: 1, choice: 'list-and-filter' },
    { planned: 1, listAndFilter: undefined, left: 0, choice: 'refuse' },
    { planned: 1e6, listAndFilter: undefined, left: Infinity, choice: 'planned' },
  ] as const)('planned $planned, list-and-filter $listAndFilter, $left left: $choice', ({ planned, listAndFilter, left, choice }) => {
    expect(chooseCalls({ planned, listAndFilter }, left)).toBe(choice);
  });
});

describe('listAndFilter: the scan with its fanned-out IN lists left to the engine', () => {
  it('a get per RequestId becomes one list of the desk, the IN left to the engine', () => {
    const scan = scanOf(table('Requests'), qual('requestid', ...ids(5000)), qual('servicedeskid', '1'));
    const plan = planScan(scan);
    expect(plan.calls).toHaveLength(5000);
    expect(plan.calls[0]!.endpoint).toBe('get');
    const wider = listAndFilter(scan, plan)!;
    expect(wider.quals.map((q) => q.column)).toEqual(['servicedeskid']);
    expect(wider.others).toEqual([scan.quals[0]!.text]);
    const widerPlan = planScan(wider);
    expect(widerPlan.calls).toHaveLength(1);
    expect(widerPlan.calls[0]).toMatchObject({ endpoint: 'list', binding: { serviceDeskId: '1' } });
    expect(widerPlan.remaining).toContain(scan.quals[0]!.text);
    expect(widerPlan.limit).toBeUndefined();
  });

  it('a child keyed by an IN list is read per parent instead', () => {
    const scan = scanOf(table('RequestComments'), qual('requestid', ...ids(3)));
    const wider = listAndFilter(scan, planScan(scan))!;
    expect(planScan(wider).parentKeys).toEqual([{ param: 'issueIdOrKey', column: 'RequestId' }]);
  });

  it.each<[string, string, Qual[]]>([
    ['nothing fans out', 'Requests', [qual('requestid', '10001')]],
    ['a pseudo column echoes the value it was fetched with', 'Requests', [qual('requeststatus', 'OPEN_REQUESTS', 'CLOSED_REQUESTS')]],
    ['an echoed filter labels its rows by the call', 'RequestTypes', [qual('servicedeskid', '1'), qual('groupids', '1', '2')]],
    ['a required filter cannot be dropped', 'KnowledgeBaseArticles', [qual('query', 'vpn', 'wifi')]],
    ['the list-everything call leaves the parent key null', 'Organizations', [qual('servicedeskid', '1', '2')]],
  ])('none when %s', (_why, name, quals) => {
    const scan = scanOf(table(name), ...quals);
    expect(listAndFilter(scan, planScan(scan))).toBeUndefined();
  });
});

describe('IN lists sent to a filter that takes several values', () => {
  it.each([
    { values: ids(1), batches: [1] },
    { values: ids(100), batches: [100] },
    { values: ids(250), batches: [100, 100, 50] },
    // 'x'.repeat(500) is 503 characters with its comma: three fit in 2,000
    { values: Array.from({ length: 7 }, (_, i) => `${i}`.padEnd(500, 'x')), batches: [3, 3, 1] },
    { values: ['a'.repeat(IN_BATCH.chars * 2), 'b'], batches: [1, 1] },
  ])('$batches.length call(s) for $values.length value(s)', ({ values, batches }) => {
    const got = batchValues(values);
    expect(got.map((b) => b.split(',').length)).toEqual(batches);
    expect(got.join(',')).toBe(values.join(','));
  });

  it('planScan sends an `in` filter in batches and an `=` filter one value per call', () => {
    const base = table('Requests');
    const batched: TableDecl = { ...base, get: undefined, filters: base.filters.map((f) => (f.column === 'ServiceDeskId' ? { ...f, operators: ['=', 'in'] } : f)) };
    const desks = ids(250);
    expect(planScan(scanOf(batched, qual('servicedeskid', ...desks))).calls.map((c) => c.binding.serviceDeskId!.split(',').length)).toEqual([100, 100, 50]);
    expect(planScan(scanOf(base, qual('servicedeskid', ...desks))).calls).toHaveLength(250);
  });
});

describe('key values that cannot be a path segment', () => {
  it('match no row: never planned as a call', () => {
    const scan = scanOf(table('Requests'), qual('requestid', '10001', '10001/comment', '../10002', 'a/b', '.', '..', ''));
    expect(planScan(scan).calls.map((c) => c.binding.issueIdOrKey)).toEqual(['10001']);
    const child = scanOf(table('RequestComments'), qual('requestid', '10001/../10002'));
    expect(planScan(child).calls).toEqual([]);
  });
});
