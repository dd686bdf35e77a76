import { describe, expect, it } from 'vitest';
import { useStackAndClient } from '../helpers/stack-client.ts';

/**
 * EXPLAIN over the extended protocol (node-postgres with parameters; pgjdbc runs every statement
 * this way) shows what psql's does (psql-model-view.test.ts): one scan per relation read, no guard,
 * and the API calls.
 */
describe('EXPLAIN over the extended protocol (node-postgres)', () => {
  const t = useStackAndClient();

  const plan = async (sql: string, values?: unknown[]) => (await t.client.query(sql, values)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');

  it('with a parameter: one scan, its filter, the API calls', async () => {
    const out = await plan('EXPLAIN SELECT * FROM requests WHERE servicedeskid = $1', ['1']);
    expect(out).toMatch(/^Seq Scan on requests {2}\(cost=/);
    expect(out).toMatch(/^ {2}Filter: \(servicedeskid = '1'::text\)$/m);
    expect(out).toMatch(/^ {4}Pushed: servicedeskid = '1'$/m);
    expect(out).not.toMatch(/Append|jsm_rows_of|fetched\(/);
  });

  it('EXPLAIN ANALYZE of a join with a parameter adds what the calls did', async () => {
    const out = await plan('EXPLAIN ANALYZE SELECT r.requestid, c.body FROM requests r JOIN requestcomments c ON c.requestid = r.requestid WHERE r.servicedeskid = $1', ['1']);
    expect((out.match(/Seq Scan on \w+/g) ?? []).sort()).toEqual(['Seq Scan on requestcomments', 'Seq Scan on requests']);
    expect(out).toMatch(/Actual: \d+ API calls?, \d+ pages?, \d+ rows? in [\d.]+ ms/);
    expect(out).not.toMatch(/Append|jsm_rows_of|fetched\(/);
  });

  it('the session goes on: a query after the EXPLAIN reads its rows', async () => {
    const r = await t.client.query('SELECT count(*)::int AS n FROM requests WHERE servicedeskid = $1', ['1']);
    expect(r.rows[0].n).toBeGreaterThan(0);
  });
});
