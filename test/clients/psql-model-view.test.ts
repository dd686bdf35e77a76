import { expect, it } from 'vitest';
import { useStack } from '../helpers/stack-client.ts';
import { describeWithTools } from './helpers/describe-tools.ts';
import { libpqEnv, run } from './helpers/run.ts';

/**
 * Issue 15 item 6: psql shows users the data model, not the mechanism. No rows or staging temp
 * tables in \dt, \d or information_schema; no guard in \d+ or EXPLAIN; one scan per relation read
 * in text EXPLAIN (plain, ANALYZE, VERBOSE), named as the plan's other nodes name it.
 */
describeWithTools(['psql'], 'psql shows the data model', (tools) => {
  const t = useStack();

  /** One psql session running a script from standard input, stopping at the first error. */
  const session = async (script: string, extra: string[] = []) => {
    const r = await run(tools.psql.path!, ['-X', '-v', 'ON_ERROR_STOP=1', ...extra], { env: libpqEnv(t.stack), input: script });
    expect(r.stderr, r.stderr).not.toMatch(/ERROR|FATAL/);
    expect(r.code).toBe(0);
    return r.stdout;
  };

  /** The mechanism: none of it may show. */
  const internals = /jsm_rows_of|jsm_stage_|pg_jsm_rows|fetched\(|table_on_search_path|viewdef_with_guard|internal_table/;

  it('\\dt, \\d and information_schema list no internal temp tables, before and after a write; the client\'s own temp table is listed', async () => {
    const out = await session(`\\dt
SELECT requestid AS rid FROM requests ORDER BY requestid LIMIT 1 \\gset
INSERT INTO requestcomments (requestid, body, public) VALUES (:'rid', 'from the model test', true);
\\echo --- after the write
\\dt
\\d
SELECT 'tables:' || count(*) FROM information_schema.tables WHERE table_schema LIKE 'pg_temp%';
SELECT 'columns:' || count(*) FROM information_schema.columns WHERE table_schema LIKE 'pg_temp%';
CREATE TEMP TABLE my_notes (note text);
\\echo --- own temp table
\\dt
SELECT 'own:' || string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema LIKE 'pg_temp%';
`);
    expect(out).toContain('INSERT 0 1');
    expect(out).not.toMatch(internals);
    expect(out).not.toMatch(/pg_temp_\d+\s*\|\s*jsm_/);
    expect(out).toMatch(/tables:0/);
    expect(out).toMatch(/columns:0/);
    const own = out.slice(out.indexOf('--- own temp table'));
    expect(own).toMatch(/pg_temp_\d+\s*\|\s*my_notes\s*\|\s*table/);
    expect(own).toMatch(/own:my_notes\b/);
    // \d lists the JSM relations as views
    expect(out).toMatch(/jsm\s*\|\s*requests\s*\|\s*view/);
  });

  it('\\dv lists the relations, \\df none of the internals', async () => {
    const out = await session('\\dv\n\\df\n\\df+ jsm.*\n');
    expect(out).toMatch(/jsm\s*\|\s*requests\s*\|\s*view/);
    expect(out).toMatch(/\|\s*clear_cache\s*\|/);
    expect(out).not.toMatch(internals);
  });

  it('\\d+ shows a relation\'s columns and a definition without the guard', async () => {
    const out = await session('\\d+ requests\n');
    expect(out).toContain('View "jsm.requests"');
    expect(out).toMatch(/requestid\s*\|\s*text/);
    expect(out).toContain('View definition:');
    expect(out).not.toMatch(/fetched|Child tables|Triggers/);
    expect(out.slice(out.indexOf('View definition:'))).not.toMatch(/WHERE/);
  });

  it('EXPLAIN of a filtered scan: one scan of the relation, its filter, the API calls', async () => {
    const out = await session("EXPLAIN SELECT * FROM requests WHERE servicedeskid = '1';\n", ['-A', '-t']);
    const plan = out.slice(0, out.indexOf('JSM API calls:'));
    expect(plan).toMatch(/^Seq Scan on requests {2}\(cost=/);
    expect(plan).toMatch(/^ {2}Filter: \(servicedeskid = '1'::text\)$/m);
    expect(plan).not.toMatch(/Append|Result|One-Time Filter/);
    expect(out).not.toMatch(internals);
    expect(out).toMatch(/Requests: GET \/rest\/servicedeskapi\/request \(1 call, paged\)/);
    expect(out).toMatch(/Pushed: servicedeskid = '1'/);
  });

  it('EXPLAIN ANALYZE and VERBOSE of a filtered scan keep the figures and name the relation\'s columns', async () => {
    const analyzed = await session("EXPLAIN ANALYZE SELECT * FROM requests WHERE servicedeskid = '1';\n", ['-A', '-t']);
    expect(analyzed).toMatch(/^Seq Scan on requests {2}\(cost=[\d.]+ rows=\d+ width=\d+\) \(actual time=[\d.]+ rows=[\d.]+ loops=1\)$/m);
    expect(analyzed).toMatch(/Execution Time/);
    expect(analyzed).toMatch(/Actual: \d+ API calls?, \d+ pages?, \d+ rows? in [\d.]+ ms/);
    expect(analyzed).not.toMatch(internals);
    expect(analyzed).not.toMatch(/Append|One-Time Filter/);

    const verbose = await session("EXPLAIN VERBOSE SELECT requestid FROM requests WHERE servicedeskid = '1';\n", ['-A', '-t']);
    expect(verbose).toMatch(/^Seq Scan on jsm\.requests {2}\(cost=/);
    expect(verbose).toMatch(/^ {2}Output: requests\.requestid$/m);
    expect(verbose).toMatch(/^ {2}Filter: \(requests\.servicedeskid = '1'::text\)$/m);
    expect(verbose).not.toMatch(/requests_\d/);
    expect(verbose).not.toMatch(internals);
  });

  it('EXPLAIN of a join, plain, ANALYZE and VERBOSE: one scan per relation, named as the join condition names it', async () => {
    const sql = "SELECT r.requestid, c.body FROM requests r JOIN requestcomments c ON c.requestid = r.requestid WHERE r.servicedeskid = '1'";
    for (const options of ['', '(ANALYZE) ', '(ANALYZE, VERBOSE) ', '(COSTS OFF) ']) {
      const out = await session(`EXPLAIN ${options}${sql};\n`, ['-A', '-t']);
      const plan = out.slice(0, out.indexOf('JSM API calls:'));
      expect(plan, options).toMatch(/Hash Cond: \(requestcomments\.requestid = requests\.requestid\)/);
      const scans = plan.match(/Seq Scan on \S+/g) ?? [];
      expect(scans.map((s) => s.replace(/jsm\./, '')).sort(), options).toEqual(['Seq Scan on requestcomments', 'Seq Scan on requests']);
      expect(plan, options).not.toMatch(/Append|Result|One-Time Filter|_\d+\./);
      expect(out, options).not.toMatch(internals);
      expect(out, options).toMatch(/RequestComments: GET /);
      expect(out, options).toMatch(/Requests: GET /);
    }
  });

  it('EXPLAIN of a self-join names each read as its condition does', async () => {
    const out = await session('EXPLAIN (COSTS OFF) SELECT * FROM servicedesks a JOIN servicedesks b ON a.id = b.id;\n', ['-A', '-t']);
    expect(out).toMatch(/Hash Cond: \(servicedesks\.id = servicedesks_1\.id\)/);
    expect(out).toMatch(/^ {2}-> {2}Seq Scan on servicedesks$/m);
    expect(out).toMatch(/-> {2}Seq Scan on servicedesks servicedesks_1$/m);
    expect(out).not.toMatch(internals);
  });

  it('EXPLAIN of subqueries, UNION ALL, a One-Time Filter of the query\'s own and a table of the same name', async () => {
    const out = await session(`CREATE TEMP TABLE requests (requestid text);
EXPLAIN (COSTS OFF) SELECT * FROM pg_temp.requests JOIN jsm.requests r USING (requestid);
EXPLAIN (COSTS OFF) SELECT id FROM servicedesks UNION ALL SELECT id FROM servicedesks;
EXPLAIN (COSTS OFF) SELECT * FROM requests WHERE servicedeskid = '1' AND now() > '2000-01-01';
EXPLAIN (COSTS OFF) SELECT id, (SELECT count(*) FROM requests r WHERE r.servicedeskid = s.id) FROM servicedesks s;
EXPLAIN (COSTS OFF) SELECT * FROM servicedesks WHERE id = (SELECT max(servicedeskid) FROM requests);
`, ['-A', '-t']);
    const plans = out.split(/^JSM API calls:$/m);
    // the temp table takes the name requests: the JSM read is requests_1, as the condition says
    expect(plans[0]).toMatch(/Hash Cond: \(requests\.requestid = requests_1\.requestid\)\n {2}-> {2}Seq Scan on requests\n {2}-> {2}Hash\n {8}-> {2}Seq Scan on requests requests_1\n/);
    expect(plans[1]).toMatch(/^Append\n {2}-> {2}Seq Scan on servicedesks\n {2}-> {2}Seq Scan on servicedesks servicedesks_\d+\n/m);
    expect(plans[2]).toMatch(/^Result\n {2}One-Time Filter: \(now\(\) > '[^']+'::timestamp with time zone\)\n {2}-> {2}Seq Scan on requests\n {8}Filter: \(servicedeskid = '1'::text\)\n/m);
    expect(plans[3]).toMatch(/^Result\n {2}-> {2}Seq Scan on servicedesks\n {2}SubPlan \d+\n {4}-> {2}Aggregate\n {10}-> {2}Seq Scan on requests\n/m);
    expect(plans[4]).toMatch(/^Seq Scan on servicedesks\n {2}Filter: \(id = \(InitPlan 1\)\.col1\)\n {2}InitPlan 1\n {4}-> {2}Aggregate\n {10}-> {2}Seq Scan on requests\n/m);
    expect(out).not.toMatch(internals);
    expect(out).not.toMatch(/Append\n {2}-> {2}Result|One-Time Filter: pg_/);
  });

  it('EXPLAIN of a write shows the read that finds its rows as one scan', async () => {
    const out = await session("EXPLAIN UPDATE requestcomments SET body = 'x' WHERE requestid = '10001';\n", ['-A', '-t']);
    expect(out).toMatch(/Rows to update: found by/);
    expect(out).toMatch(/-> {2}Seq Scan on requestcomments requestcomments_1 {2}\(cost=[^)]+\)\n {6,}Filter: \(requestid = '10001'::text\)/);
    expect(out).not.toMatch(/jsm_rows_of|fetched\(|Append/);
  });

  it('EXPLAIN (FORMAT JSON) stays the engine\'s plan, one JSON value', async () => {
    const out = await session('EXPLAIN (FORMAT JSON) SELECT count(*) FROM servicedesks;\n', ['-A', '-t']);
    const plan = JSON.parse(out) as { Plan: { Plans: { 'Node Type': string }[] } }[];
    expect(plan[0]!.Plan.Plans[0]!['Node Type']).toBe('Append');
  });

  it('SET search_path = jsm: queries still read the relations, and \\dt still hides the rows tables', async () => {
    const out = await session("SET search_path = jsm;\nSELECT 'n:' || count(*) FROM requests;\n\\dt\nEXPLAIN SELECT count(*) FROM requests;\n", ['-A', '-t']);
    expect(out).toMatch(/n:(\d+)/);
    expect(Number(/n:(\d+)/.exec(out)![1])).toBeGreaterThan(0);
    expect(out).toMatch(/Seq Scan on requests/);
    expect(out).not.toMatch(internals);
  });
});
