/**
 * pgbench against the gateway and against a native PostgreSQL holding the same Requests rows:
 * transactions per second for SELECT 1 (simple and extended protocol), a pg_catalog join and a JSM
 * query served from the gateway's cache, with 1 and 8 clients, 5 s each. Prints a table; asserts
 * nothing. The ratio is gateway ÷ native: the price of the gateway's protocol thread, its
 * per-statement classification, the hop to each session's engine thread and PGlite (WASM) against a
 * server with a process per client.
 * Run: node --import tsx bench/pgbench.ts [seconds per run, default 5]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { libpqEnv, run } from '../test/clients/helpers/run.ts';
import { startStack } from '../test/helpers/gateway.ts';
import { startNativePostgres, type NativePostgres } from '../test/helpers/native-pg.ts';
import { requireTool } from '../test/helpers/require-tool.ts';

const DURATION_S = Number(process.argv[2] ?? 5);
const CLIENTS = [1, 8];

interface Case {
  name: string;
  sql: string;
  mode: 'simple' | 'extended';
}

const CASES: Case[] = [
  { name: 'SELECT 1', sql: 'SELECT 1;', mode: 'simple' },
  { name: 'SELECT 1', sql: 'SELECT 1;', mode: 'extended' },
  { name: 'catalog join', sql: "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'jsm';", mode: 'simple' },
  { name: 'cached JSM query', sql: "SELECT count(*) FROM requests WHERE servicedeskid = '1';", mode: 'simple' },
];

for (const tool of ['pgbench', 'postgres'] as const) {
  const t = requireTool(tool);
  if (!t.available) {
    console.error(`pgbench bench needs ${tool}: ${t.reason}`);
    process.exit(1);
  }
}
const pgbench = requireTool('pgbench').path!;

/**
 * Copies the gateway's Requests into jsm.requests on the native server, with the column types the
 * gateway's engine declares, and puts jsm first on the search_path as the gateway does.
 */
async function loadRequests(gatewayUrl: string, native: NativePostgres): Promise<number> {
  const src = new pg.Client(gatewayUrl);
  const dst = new pg.Client(native.url);
  await Promise.all([src.connect(), dst.connect()]);
  try {
    const columns = await src.query<{ name: string; type: string; notnull: boolean }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
         FROM pg_attribute a WHERE a.attrelid = 'jsm.requests'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    );
    const rows = await src.query('SELECT * FROM Requests');
    const ddl = columns.rows.map((c) => `${pg.escapeIdentifier(c.name)} ${c.type}${c.notnull ? ' NOT NULL' : ''}`).join(', ');
    await dst.query('CREATE SCHEMA jsm');
    await dst.query(`CREATE TABLE jsm.requests (${ddl}, PRIMARY KEY (requestid))`);
    // One JSON parameter, so the row values keep their text form and the server casts them.
    await dst.query('INSERT INTO jsm.requests SELECT * FROM json_populate_recordset(NULL::jsm.requests, $1)', [JSON.stringify(rows.rows)]);
    await dst.query('ALTER DATABASE postgres SET search_path = jsm, public');
    await dst.query('ANALYZE jsm.requests');
    return rows.rowCount ?? 0;
  } finally {
    await Promise.all([src.end(), dst.end()]);
  }
}

async function tps(env: NodeJS.ProcessEnv, script: string, c: Case, clients: number): Promise<number> {
  const args = ['-n', '-f', script, '-T', String(DURATION_S), '-c', String(clients), '-j', String(Math.min(clients, 2)), '-M', c.mode];
  const r = await run(pgbench, args, { env, timeoutMs: (DURATION_S + 60) * 1000 });
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout);
  if (r.code !== 0 || !m) throw new Error(`pgbench ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return Number(m[1]);
}

// A warm pool of 8, so all 8 clients get an engine at once (with the default of 1, seven boots in
// a row can use up the whole -T window, which pgbench starts before connecting). The pool then
// boots replacements one at a time in their own threads (src/engine/pool.ts) while the run goes
// on: on a 2-core machine that takes one core from the 8 clients for a few seconds.
const stack = await startStack({ scale: 'small', argv: ['--pool-size', String(Math.max(...CLIENTS))] });
const native = await startNativePostgres();
const dir = await mkdtemp(join(tmpdir(), 'jsm-pg-pgbench-'));
try {
  const loaded = await loadRequests(stack.url, native);
  // Prime the gateway's cache, so the JSM case measures serving from it, not the simulator.
  const prime = new pg.Client(stack.url);
  await prime.connect();
  await prime.query(CASES[3]!.sql);
  await prime.end();

  const targets = {
    gateway: libpqEnv(stack),
    native: { PGHOST: '127.0.0.1', PGPORT: String(native.port), PGUSER: 'postgres', PGDATABASE: 'postgres' },
  };
  console.log(`pgbench -T ${DURATION_S}; ${loaded} requests in both; native PostgreSQL from ${native.binDir}`);
  console.log('query            | protocol | clients | tps gateway | tps native | gateway/native');
  console.log('-----------------|----------|---------|-------------|------------|---------------');
  for (const [i, c] of CASES.entries()) {
    const script = join(dir, `case${i}.sql`);
    await writeFile(script, c.sql + '\n');
    for (const clients of CLIENTS) {
      // each session gets a fresh engine: start every run with the pool warm, so connects do not eat the run
      while (stack.gateway.idleEngines() < Math.max(...CLIENTS)) await new Promise((r) => setTimeout(r, 200));
      const gw = await tps(targets.gateway, script, c, clients);
      const nat = await tps(targets.native, script, c, clients);
      console.log(
        `${c.name.padEnd(16)} | ${c.mode.padEnd(8)} | ${String(clients).padStart(7)} | ${gw.toFixed(0).padStart(11)} | ${nat.toFixed(0).padStart(10)} | ${(gw / nat).toFixed(2).padStart(14)}`,
      );
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
  await native.stop();
  await stack.close();
}
