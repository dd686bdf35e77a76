/**
 * What showing the data model costs (issue 15 item 6): psql's \dt and \d queries with the gateway's
 * pg_table_is_visible (which leaves out the session's internal temp tables) against the same
 * queries with the built-in it wraps (pg_jsm_rows.table_on_search_path), in one session; and a
 * text EXPLAIN of a join against the same EXPLAIN in FORMAT JSON, which the gateway passes on as the
 * engine wrote it. Ratios of medians, the two queries of a pair run in turn in the same session.
 * Run: node --import tsx bench/psql-listings.ts [rounds]   (default 30)
 */
import pg from 'pg';
import { startStack } from '../test/helpers/gateway.ts';

const ROUNDS = Number(process.argv[2] ?? 30);
const stack = await startStack();
const client = new pg.Client(stack.url);
await client.connect();
await client.query('SELECT count(*) FROM servicedesks'); // warm the session before timing

/** psql 15's \dt (tables) and \d (every kind) without a pattern, with `visible` as the visibility test. */
const listing = (kinds: string, visible: string) => `SELECT n.nspname as "Schema", c.relname as "Name"
FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN (${kinds}) AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema'
  AND ${visible}(c.oid) ORDER BY 1,2`;
const BUILT_IN = 'pg_jsm_rows.table_on_search_path';
const GATEWAY = 'pg_catalog.pg_table_is_visible';
const JOIN = "SELECT r.requestid, c.body FROM requests r JOIN requestcomments c ON c.requestid = r.requestid WHERE r.servicedeskid = '1'";

/** Medians of the two queries, run in turn each round (after one run each to warm the plan caches). */
async function medians(a: string, b: string): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  await client.query(a);
  await client.query(b);
  for (let i = 0; i < ROUNDS; i++)
    for (const [k, sql] of [a, b].entries()) {
      const t0 = performance.now();
      await client.query(sql);
      times[k]!.push(performance.now() - t0);
    }
  const mid = (t: number[]) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)]!;
  return [mid(times[0]), mid(times[1])];
}

const cases: [string, string, string][] = [
  ['\\dt', listing("'r','p',''", BUILT_IN), listing("'r','p',''", GATEWAY)],
  ['\\d', listing("'r','p','v','m','S','f',''", BUILT_IN), listing("'r','p','v','m','S','f',''", GATEWAY)],
  ['EXPLAIN of a join (JSON → text)', `EXPLAIN (FORMAT JSON) ${JOIN}`, `EXPLAIN ${JOIN}`],
];
console.log(`${'query'.padEnd(34)} | baseline ms | shown ms | ratio`);
for (const [name, baseline, shown] of cases) {
  const [b, s] = await medians(baseline, shown);
  console.log(`${name.padEnd(34)} | ${b.toFixed(2).padStart(11)} | ${s.toFixed(2).padStart(8)} | ${(s / b).toFixed(2)}`);
}
await client.end();
await stack.close();
