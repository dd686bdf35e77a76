import { describe, expect, it } from 'vitest';
import { modelPlanRows } from '../../src/session/explain-model.ts';
import { parsePlanText, renderPlanText } from '../../src/session/plan-text.ts';

/**
 * The text EXPLAIN folding on plans as the engine writes them (PostgreSQL 18 in PGlite): the
 * shapes psql-model-view.test.ts does not reach through a query, and text that is not a plan.
 * The end-to-end checks are in test/clients/psql-model-view.test.ts.
 */
const READ = [
  'Append  (cost=0.25..12.26 rows=2 width=528)',
  '  ->  Result  (cost=0.25..0.25 rows=1 width=528)',
  "        One-Time Filter: pg_jsm_rows.fetched('requests'::text)",
  '        ->  Seq Scan on requests requests_1  (cost=0.25..0.25 rows=1 width=528)',
  "              Filter: (servicedeskid = '1'::text)",
  '  ->  Result  (cost=0.25..12.00 rows=1 width=528)',
  "        One-Time Filter: pg_jsm_rows.fetched('requests'::text)",
  '        ->  Seq Scan on jsm_rows_of_requests requests_2  (cost=0.25..12.00 rows=1 width=528)',
  "              Filter: (servicedeskid = '1'::text)",
];

describe('text EXPLAIN as the data model', () => {
  it('reads and writes back a plan unchanged (labels, deep properties, the lines after the tree)', () => {
    const lines = [
      'Append  (cost=13.22..29.99 rows=4 width=128)',
      '  InitPlan 1',
      '    ->  Aggregate  (cost=12.96..12.97 rows=1 width=32)',
      '          ->  Seq Scan on t  (cost=0.25..12.61 rows=141 width=32)',
      '  ->  Seq Scan on u  (cost=0.25..16.75 rows=3 width=128)',
      '        Filter: (id = (InitPlan 1).col1)',
      'Planning:',
      '  Buffers: shared hit=18',
      'Planning Time: 0.386 ms',
    ];
    expect(renderPlanText(parsePlanText(lines)!)).toEqual(lines);
  });

  it('gives back text it does not read as a plan', () => {
    for (const lines of [[], ['  ->  Seq Scan on t'], ['Seq Scan on t', '        too deep'], ['Append', '  ->  Seq Scan on a', '  Filter: after a child']])
      expect(modelPlanRows(lines)).toEqual(lines);
  });

  it('folds a read into one scan with the Append\'s figures', () => {
    expect(modelPlanRows(READ)).toEqual(['Seq Scan on requests  (cost=0.25..12.26 rows=2 width=528)', "  Filter: (servicedeskid = '1'::text)"]);
  });

  it('keeps the conjuncts of a One-Time Filter that are not the guard, quotes and parentheses included', () => {
    const filter = "(pg_jsm_rows.fetched('requests'::text) AND ('a) AND (b' = $1) AND (now() > '2000-01-01'::timestamp))";
    const out = modelPlanRows(READ.map((l) => l.replace("pg_jsm_rows.fetched('requests'::text)", filter)));
    expect(out).toEqual([
      'Result  (cost=0.25..12.26 rows=2 width=528)',
      "  One-Time Filter: (('a) AND (b' = $1) AND (now() > '2000-01-01'::timestamp))",
      '  ->  Seq Scan on requests  (cost=0.25..12.00 rows=1 width=528)',
      "        Filter: (servicedeskid = '1'::text)",
    ]);
  });

  it('leaves an Append whose members are not a read\'s pair as it is', () => {
    const other = READ.map((l) => l.replace('jsm_rows_of_requests requests_2', 'archive requests_2'));
    expect(modelPlanRows(other).join('\n')).toContain('Seq Scan on archive requests_2');
    expect(modelPlanRows(other).join('\n')).toMatch(/^Append/);
  });

  it('names a read as the plan names its parent when the numbers add up, else by its rows table', () => {
    const union = [
      'Append',
      '  ->  Append',
      '        ->  Seq Scan on servicedesks servicedesks_1',
      '        ->  Seq Scan on jsm_rows_of_servicedesks servicedesks_2',
      '  ->  Append',
      '        ->  Seq Scan on servicedesks servicedesks_4',
      '        ->  Seq Scan on jsm_rows_of_servicedesks servicedesks_5',
    ];
    expect(modelPlanRows(union)).toEqual(['Append', '  ->  Seq Scan on servicedesks', '  ->  Seq Scan on servicedesks servicedesks_3']);
    // three names no node shows (0, 1, 4) for two reads: the parents cannot be told, the rows tables' names stay
    const unclear = union.map((l) => l.replace(/servicedesks_(\d)/, (_, n: string) => `servicedesks_${Number(n) + 1}`));
    expect(modelPlanRows(unclear)).toEqual(['Append', '  ->  Seq Scan on servicedesks servicedesks_3', '  ->  Seq Scan on servicedesks servicedesks_6']);
  });
});
