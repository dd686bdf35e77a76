/**
 * Issue 13 item 2 and 3, through the real gateway over TCP: each property set by connection string,
 * environment, config file or flag (and SET where a session may) has its documented effect, and
 * sys_connection_props says where each value came from.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, clearCalls, failure, query, startWith, type PropStack } from './stack.ts';

const source = async (url: string, name: string) =>
  (await query(url, `SELECT value, source FROM sys_connection_props WHERE name = '${name}'`)).rows[0] as { value: string; source: string };

describe('connection string: MaxRows, ServiceDeskID, PseudoColumns, Other, RequestLanguage', () => {
  let s: PropStack;
  beforeAll(async () => {
    s = await startWith({
      MaxRows: '5', ServiceDeskID: '1', PseudoColumns: 'Requests=RequestOwnership', Other: 'DefaultColumnSize=100;ConvertDateTimeToGMT=true', RequestLanguage: 'de',
    });
  }, 120_000);
  afterAll(async () => s?.close());

  it('MaxRows cuts a plain query, LIMIT included, with a NOTICE, and fetches no more than it needs', async () => {
    await clearCalls(s.sim);
    const all = await query(s.url, 'SELECT * FROM Requests');
    expect(all.rows).toHaveLength(5);
    expect(all.notices).toEqual(['the result was cut to 5 rows by MaxRows']);
    const limited = await query(s.url, 'SELECT * FROM Requests LIMIT 100');
    expect(limited.rows).toHaveLength(5);
    expect((await query(s.url, 'SELECT * FROM Requests LIMIT 3')).rows).toHaveLength(3);
    // extended protocol, with a parameter
    expect((await query(s.url, 'SELECT * FROM Requests WHERE ServiceDeskId = $1', ['1'])).rows).toHaveLength(5);
    expect((await source(s.url, 'MaxRows'))).toEqual({ value: '5', source: 'connection string' });
  });

  it('MaxRows cuts COPY (SELECT …) TO STDOUT too, with the NOTICE', async () => {
    // psql runs beside the gateway, which lives in this process: it must not be waited for synchronously
    const { execFile } = await import('node:child_process');
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile('psql', ['-X', '-v', 'ON_ERROR_STOP=1', s.url, '-c', 'COPY (SELECT RequestId FROM Requests) TO STDOUT'], (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr }))));
    expect(r.stdout.trim().split('\n')).toHaveLength(5);
    expect(r.stderr).toMatch(/the result was cut to 5 rows by MaxRows/);
  });

  it('MaxRows leaves aggregates alone, and SET jsm.max_rows overrides it for the session', async () => {
    const count = await query(s.url, 'SELECT count(*)::int AS n FROM Requests');
    expect(count.notices).toEqual([]);
    expect((count.rows[0] as { n: number }).n).toBeGreaterThan(5);
    const c = new pg.Client(s.url);
    await c.connect();
    try {
      await c.query("SET jsm.max_rows = '2'");
      expect((await c.query('SELECT * FROM Requests')).rows).toHaveLength(2);
      expect((await c.query("SELECT value, source FROM sys_connection_props WHERE name = 'MaxRows'")).rows[0]).toEqual({ value: '2', source: 'SET' });
      await c.query("SET jsm.max_rows = '0'");
      expect((await c.query('SELECT * FROM Requests')).rows.length).toBe((count.rows[0] as { n: number }).n);
    } finally {
      await c.end();
    }
  });

  it('ServiceDeskID is the desk of a query that names none; a desk filter still wins', async () => {
    await clearCalls(s.sim);
    // the shared cache may hold the rows already: bypass it to see the calls
    const rows = (await query(s.url, "SET jsm.cache = 'bypass'; SELECT count(*)::int AS n, array_agg(DISTINCT ServiceDeskId) AS desks FROM Requests")).rows[0] as { desks: string[] };
    expect(rows.desks).toEqual(['1']);
    const listed = (await calls(s.sim)).filter((c) => c.path.endsWith('/rest/servicedeskapi/request'));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((c) => c.query.serviceDeskId === '1')).toBe(true);
    const other = (await query(s.url, "SELECT DISTINCT ServiceDeskId AS d FROM Requests WHERE ServiceDeskId = '2'")).rows;
    expect(other).toEqual([{ d: '2' }]);
    // a relation read by a required desk: only desk 1's queues
    expect((await query(s.url, 'SELECT DISTINCT ServiceDeskId AS d FROM Queues')).rows).toEqual([{ d: '1' }]);
  });

  it('PseudoColumns exposes the named pseudo columns; the others are IsHidden', async () => {
    const cols = (await query(s.url, "SELECT ColumnName, IsHidden FROM sys_tablecolumns WHERE TableName = 'Requests' AND ColumnName IN ('RequestOwnership', 'RequestStatus', 'Summary') ORDER BY 1")).rows;
    expect(cols).toEqual([
      { columnname: 'RequestOwnership', ishidden: false },
      { columnname: 'RequestStatus', ishidden: true },
      { columnname: 'Summary', ishidden: false },
    ]);
  });

  it("Other: DefaultColumnSize is the length of text columns, ConvertDateTimeToGMT shows timestamps in GMT", async () => {
    const r = (await query(s.url, "SELECT Length, DataTypeName FROM sys_tablecolumns WHERE TableName = 'Requests' AND ColumnName IN ('Summary', 'CreatedDate') ORDER BY 2")).rows;
    expect(r).toEqual([{ length: 100, datatypename: 'text' }, { length: 35, datatypename: 'timestamp with time zone' }]);
    expect((await query(s.url, 'SHOW TimeZone')).rows).toEqual([{ TimeZone: 'GMT' }]);
  });

  it('RequestLanguage: JSM answers translated names', async () => {
    const names = (await query(s.url, "SELECT Name FROM RequestTypes WHERE ServiceDeskId = '1'")).rows.map((r) => (r as { name: string }).name);
    expect(names).toContain('IT-Hilfe anfordern');
  });
});

describe('environment: Tables, Views, MaxRows', () => {
  let s: PropStack;
  beforeAll(async () => {
    s = await startWith({ Tables: 'RequestComments', Views: 'Requests,[ServiceDesks]', MaxRows: '3' }, 'env');
  }, 120_000);
  afterAll(async () => s?.close());

  it('relations not listed are absent: 42P01, and in no sys_* table or engine listing', async () => {
    expect((await failure(s.url, 'SELECT * FROM Queues')).code).toBe('42P01');
    expect((await failure(s.url, 'SELECT * FROM CustomerTransitions')).code).toBe('42P01');
    const listed = (await query(s.url, 'SELECT TableName, TableType FROM sys_tables ORDER BY 1')).rows;
    expect(listed).toEqual([
      { tablename: 'RequestComments', tabletype: 'TABLE' }, { tablename: 'Requests', tabletype: 'VIEW' }, { tablename: 'ServiceDesks', tabletype: 'VIEW' },
    ]);
    const cols = (await query(s.url, 'SELECT DISTINCT TableName FROM sys_tablecolumns ORDER BY 1')).rows.map((r) => (r as { tablename: string }).tablename);
    expect(cols).toEqual(['RequestComments', 'Requests', 'ServiceDesks']);
    const fks = (await query(s.url, 'SELECT DISTINCT TableName, ReferencedTableName FROM sys_foreignkeys')).rows as { tablename: string; referencedtablename: string }[];
    for (const f of fks) expect(['RequestComments', 'Requests', 'ServiceDesks']).toEqual(expect.arrayContaining([f.tablename, f.referencedtablename]));
    const engine = (await query(s.url, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'jsm' AND c.relkind = 'v' AND c.relname NOT LIKE 'sys\\_%' ORDER BY 1")).rows;
    expect(engine).toEqual([{ relname: 'requestcomments' }, { relname: 'requests' }, { relname: 'servicedesks' }]);
    expect((await query(s.url, 'SELECT * FROM ServiceDesks')).rows.length).toBeGreaterThan(0);
    expect((await query(s.url, 'SELECT * FROM Requests')).rows).toHaveLength(3);
    expect(await source(s.url, 'Tables')).toEqual({ value: 'RequestComments', source: 'env' });
  });
});

describe('config file: BrowsableSchemas, Timeout, per-queue views in the metadata', () => {
  let s: PropStack;
  beforeAll(async () => {
    s = await startWith({ BrowsableSchemas: 'jsm', Timeout: '1' }, 'file');
  }, 120_000);
  afterAll(async () => s?.close());

  it('per-queue views are VIEWs in sys_tables with the columns of QueueRequests, read only', async () => {
    const queues = (await query(s.url, "SELECT TableName, TableType, IsUpdateable FROM sys_tables WHERE TableName LIKE 'queue\\_%'")).rows as { tablename: string }[];
    expect(queues.length).toBeGreaterThan(0);
    expect(queues[0]).toMatchObject({ tabletype: 'VIEW', isupdateable: false });
    const cols = (await query(s.url, `SELECT ColumnName, IsReadOnly FROM sys_tablecolumns WHERE TableName = '${queues[0]!.tablename}' ORDER BY Ordinal`)).rows;
    const base = (await query(s.url, "SELECT ColumnName, IsReadOnly FROM sys_tablecolumns WHERE TableName = 'QueueRequests' ORDER BY Ordinal")).rows;
    expect(cols).toEqual(base);
    expect(cols.every((c) => (c as { isreadonly: boolean }).isreadonly)).toBe(true);
  });

  it('BrowsableSchemas reports only the schemas listed', async () => {
    expect((await query(s.url, 'SELECT SchemaName FROM sys_schemas')).rows).toEqual([{ schemaname: 'jsm' }]);
    expect(await source(s.url, 'BrowsableSchemas')).toEqual({ value: 'jsm', source: 'file' });
  });

  it('Timeout cancels a statement whose API work takes longer (57014)', async () => {
    await fetch(`${s.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 2500 }) });
    try {
      const e = await failure(s.url, "SELECT * FROM Requests WHERE ServiceDeskId = '3'");
      expect(e.code).toBe('57014');
    } finally {
      await fetch(`${s.sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ latencyMs: 0 }) });
    }
  });
});

describe('flags, and properties refused at start', () => {
  it('--max-rows and --service-desk-id', async () => {
    const s = await startWith({ MaxRows: '4', ServiceDeskID: '2' }, 'flag');
    try {
      const r = await query(s.url, 'SELECT ServiceDeskId FROM Requests');
      expect(r.rows).toHaveLength(4);
      expect(new Set(r.rows.map((x) => (x as { servicedeskid: string }).servicedeskid))).toEqual(new Set(['2']));
      expect(await source(s.url, 'ServiceDeskID')).toEqual({ value: '2', source: 'flag' });
    } finally {
      await s.close();
    }
  }, 120_000);

  it('refuses to start with a value it cannot honour (a Windows certificate store), a bad name in Tables, or Other=RecordToFile', async () => {
    await expect(startWith({ AuthScheme: 'OAuth', CertificateStore: 'store.pfx', CertificateStoreType: 'User' })).rejects.toMatchObject({ code: '0A000', message: expect.stringContaining('CertificateStoreType') });
    await expect(startWith({ Tables: 'RequestComment' })).rejects.toMatchObject({ code: '22023', message: expect.stringContaining('Did you mean "RequestComments"') });
    await expect(startWith({ Other: 'RecordToFile=/tmp/x' })).rejects.toMatchObject({ code: '0A000' });
    await expect(startWith({ PseudoColumns: 'Requests=Summary' })).rejects.toMatchObject({ code: '22023' });
  }, 60_000);
});
