/**
 * The mixed read workload of the load test and the fault run: what a crowd of psql users, BI tools
 * and dashboards send. Values are those of the simulator's `small` dataset (seed 1) but every
 * statement is valid on any scale. `deterministic` statements give the same rows on every run (no
 * clock, no LIMIT without a total ORDER BY), so the fault run can compare them row by row.
 */

export interface WorkloadStatement {
  name: string;
  sql: string;
  kind: 'trivial' | 'catalog' | 'jsm';
  deterministic: boolean;
  /** Relative frequency in the load mix. */
  weight: number;
}

/** psql 15/16 `\dt` */
const PSQL_DT = `SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r','p','v','m','S','f','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;`;

/** psql `\d requests` (first of its queries) */
const PSQL_D = `SELECT c.oid,
  n.nspname,
  c.relname
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(requests)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 2, 3;`;

export const WORKLOAD: readonly WorkloadStatement[] = [
  { name: 'SELECT 1', sql: 'SELECT 1', kind: 'trivial', deterministic: true, weight: 4 },
  { name: 'psql \\dt', sql: PSQL_DT, kind: 'catalog', deterministic: true, weight: 2 },
  { name: 'psql \\d requests', sql: PSQL_D, kind: 'catalog', deterministic: true, weight: 1 },
  {
    name: 'information_schema columns',
    sql: "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'jsm' ORDER BY table_name, ordinal_position",
    kind: 'catalog',
    deterministic: true,
    weight: 1,
  },
  { name: 'sys_tables', sql: "SELECT TableName, TableType FROM sys_tables ORDER BY 1", kind: 'catalog', deterministic: true, weight: 1 },
  { name: 'ServiceDesks full scan', sql: 'SELECT * FROM ServiceDesks ORDER BY Id', kind: 'jsm', deterministic: true, weight: 3 },
  ...['1', '2', '3'].map((desk) => ({
    name: `Requests of desk ${desk}`,
    sql: `SELECT RequestId, RequestKey, Summary, CurrentStatus, CreatedDate FROM Requests WHERE ServiceDeskId = '${desk}' ORDER BY RequestId`,
    kind: 'jsm' as const,
    deterministic: true,
    weight: 3,
  })),
  { name: 'Request by key', sql: "SELECT * FROM Requests WHERE RequestId = '10001'", kind: 'jsm', deterministic: true, weight: 2 },
  { name: 'Requests IN list', sql: "SELECT RequestKey, CurrentStatus FROM Requests WHERE RequestId IN ('10002', '10003', '10005') ORDER BY 1", kind: 'jsm', deterministic: true, weight: 1 },
  { name: 'open Requests', sql: "SELECT count(*) FROM Requests WHERE RequestStatus = 'OPEN_REQUESTS'", kind: 'jsm', deterministic: true, weight: 1 },
  {
    name: 'Requests join RequestComments by desk',
    sql: "SELECT r.RequestKey, count(*) AS comments FROM Requests r JOIN RequestComments c ON c.RequestId = r.RequestId WHERE r.ServiceDeskId = '1' GROUP BY 1 ORDER BY 1",
    kind: 'jsm',
    deterministic: true,
    weight: 2,
  },
  { name: 'RequestComments of one request', sql: "SELECT Id, Body, Public FROM RequestComments WHERE RequestId = '10001' ORDER BY Id", kind: 'jsm', deterministic: true, weight: 2 },
  { name: 'Requests per desk and status', sql: 'SELECT ServiceDeskId, CurrentStatus, count(*) FROM Requests GROUP BY 1, 2 ORDER BY 1, 2', kind: 'jsm', deterministic: true, weight: 2 },
  { name: 'Requests per month', sql: "SELECT date_trunc('month', CreatedDate) AS month, count(*) FROM Requests GROUP BY 1 ORDER BY 1", kind: 'jsm', deterministic: true, weight: 1 },
  { name: 'Queues of desk 1', sql: "SELECT Id, Name FROM Queues WHERE ServiceDeskId = '1' ORDER BY Id", kind: 'jsm', deterministic: true, weight: 1 },
  { name: 'Customers of desk 2', sql: "SELECT AccountId, DisplayName FROM Customers WHERE ServiceDeskId = '2' ORDER BY AccountId", kind: 'jsm', deterministic: true, weight: 1 },
  { name: 'Organizations', sql: 'SELECT Id, Name FROM Organizations ORDER BY Id', kind: 'jsm', deterministic: true, weight: 1 },
  { name: 'RequestTypes per desk', sql: 'SELECT ServiceDeskId, count(*) FROM RequestTypes GROUP BY 1 ORDER BY 1', kind: 'jsm', deterministic: true, weight: 1 },
  {
    name: 'SLA cycles of desk 3',
    sql: "SELECT s.RequestId, s.Name, s.CompletedCycleBreached FROM Requests r JOIN RequestSLACycles s ON s.RequestId = r.RequestId WHERE r.ServiceDeskId = '3' ORDER BY 1, 2",
    kind: 'jsm',
    deterministic: true,
    weight: 1,
  },
  {
    name: 'status changelog of a request',
    sql: "SELECT Status, StatusDate FROM RequestStatusChangelog WHERE RequestId = '10002' ORDER BY StatusDate, Status",
    kind: 'jsm',
    deterministic: true,
    weight: 1,
  },
  {
    name: 'latest Requests (LIMIT)',
    sql: 'SELECT RequestKey, CreatedDate FROM Requests ORDER BY CreatedDate DESC, RequestKey LIMIT 10',
    kind: 'jsm',
    deterministic: true,
    weight: 1,
  },
];

/** Picks statements by weight with the given uniform draw source. */
export function weightedPicker(statements: readonly WorkloadStatement[], next: () => number): () => WorkloadStatement {
  const total = statements.reduce((s, x) => s + x.weight, 0);
  return () => {
    let r = next() * total;
    for (const s of statements) if ((r -= s.weight) < 0) return s;
    return statements[statements.length - 1]!;
  };
}

/** Rows as a sorted multiset of JSON lines: equal when the statement gave the same rows in any order. */
export function canonicalRows(rows: readonly unknown[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}
