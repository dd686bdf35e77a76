import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaDdl } from '../../src/catalog/ddl.ts';
import { createCatalog } from '../../src/catalog/registry.ts';
import { connectionPropsDdl, noProps, SYSTEM_TABLES, sysTablesDdl } from '../../src/catalog/sys-tables.ts';
import { CONNECTION_PROPERTIES, MASK } from '../../src/config/index.ts';
import { SEED_SYS_TABLES } from './seed-model.ts';

const catalog = createCatalog();
const props = {
  defs: CONNECTION_PROPERTIES,
  values: { AuthScheme: 'APIToken', URL: 'https://example.atlassian.net', User: 'agent@example.com', APIToken: 'agent-token' },
  explicit: new Set(['AuthScheme', 'URL', 'User', 'APIToken']),
};
let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(schemaDdl(catalog));
  // as the gateway does: the shared snapshot without the connection's values, then each engine gets them
  await db.exec(sysTablesDdl(catalog, noProps(CONNECTION_PROPERTIES), { database: 'jsm' }));
  await db.exec(connectionPropsDdl(props));
  await db.exec('SET search_path = jsm, public');
});
afterAll(async () => db?.close());

const rows = async <T = Record<string, unknown>>(sql: string) => (await db.query<T>(sql)).rows;

describe('system tables', () => {
  it('has all thirteen, with the seed columns in the seed order', async () => {
    expect(SYSTEM_TABLES.map((t) => t.name)).toEqual(SEED_SYS_TABLES.map((t) => t.name));
    for (const st of SEED_SYS_TABLES) {
      const cols = await rows<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'jsm' AND table_name = '${st.name}' ORDER BY ordinal_position`,
      );
      // the seed's columns first, in its order; sys_connection_props adds the gateway's Source after them
      const extra = st.name === 'sys_connection_props' ? ['source'] : [];
      expect(cols.map((c) => c.column_name), st.name).toEqual([...st.columns.map((c) => c.name.toLowerCase()), ...extra]);
    }
  });

  it('runs every example query of the seed', async () => {
    const examples = SEED_SYS_TABLES.flatMap((t) => t.examples);
    expect(examples.length).toBe(12);
    for (const sql of examples) await expect(db.query(sql), sql).resolves.toBeDefined();
  });

  it('sys_catalogs, sys_schemas: the database and its two schemas', async () => {
    expect(await rows('SELECT * FROM sys_catalogs')).toEqual([{ catalogname: 'jsm' }]);
    expect((await rows<{ schemaname: string }>('SELECT * FROM sys_schemas')).map((r) => r.schemaname)).toEqual(['jsm', 'userviews']);
  });

  it('sys_tables lists every relation with its type and description', async () => {
    const all = await rows<{ tablename: string; tabletype: string; isupdateable: boolean; description: string }>('SELECT * FROM sys_tables');
    expect(all.map((r) => r.tablename)).toEqual(catalog.tables.map((t) => t.name));
    expect(all.find((r) => r.tablename === 'RequestComments')).toMatchObject({ tabletype: 'TABLE', isupdateable: true, description: 'This resource represents request comments.' });
    expect(all.find((r) => r.tablename === 'Requests')).toMatchObject({ tabletype: 'VIEW', isupdateable: false });
  });

  it("sys_tablecolumns: SELECT ColumnName, DataTypeName … WHERE TableName='Requests'", async () => {
    const r = await rows<{ columnname: string; datatypename: string }>("SELECT ColumnName, DataTypeName FROM sys_tablecolumns WHERE TableName='Requests'");
    const requests = catalog.table('Requests')!;
    expect(r.map((x) => x.columnname)).toEqual(requests.columns.map((c) => c.name));
    expect(r.find((x) => x.columnname === 'CreatedDate')!.datatypename).toBe('timestamp with time zone');
    const id = (await rows("SELECT * FROM sys_tablecolumns WHERE TableName='Requests' AND ColumnName='RequestId'"))[0];
    expect(id).toMatchObject({ iskey: true, isnullable: false, isreadonly: true, ordinal: 1, datatype: 12, description: 'The ID of the request.' });
    const body = (await rows("SELECT isreadonly FROM sys_tablecolumns WHERE TableName='RequestComments' AND ColumnName='Body'"))[0];
    expect(body).toEqual({ isreadonly: false });
  });

  it('sys_procedures and sys_procedureparameters describe the seven procedures', async () => {
    const procs = await rows<{ procedurename: string; proceduretype: string }>('SELECT * FROM sys_procedures');
    expect(procs.map((p) => p.procedurename)).toEqual(catalog.procedures.map((p) => p.name));
    expect(new Set(procs.map((p) => p.proceduretype))).toEqual(new Set(['PROCEDURE']));
    expect(await rows("SELECT * FROM sys_procedureparameters WHERE ProcedureName='SampleProcedure' AND Direction=1 OR Direction=2")).toEqual([]);
    const add = await rows<{ columnname: string; direction: number; isrequired: boolean }>(
      "SELECT ColumnName, Direction, IsRequired FROM sys_procedureparameters WHERE ProcedureName='AddAttachment' ORDER BY Ordinal",
    );
    expect(add).toEqual([
      { columnname: 'RequestId', direction: 1, isrequired: false },
      { columnname: 'RequestKey', direction: 1, isrequired: false },
      { columnname: 'AttachmentId', direction: 1, isrequired: true },
      { columnname: 'Public', direction: 1, isrequired: false },
      { columnname: 'AdditionalComment', direction: 1, isrequired: false },
      { columnname: 'Success', direction: 4, isrequired: false },
    ]);
  });

  it("sys_keycolumns: WHERE IsKey='True' AND TableName='Requests'", async () => {
    const r = await rows<{ columnname: string; primarykeyname: string }>("SELECT * FROM sys_keycolumns WHERE IsKey='True' AND TableName='Requests'");
    expect(r.map((x) => [x.columnname, x.primarykeyname])).toEqual([['RequestId', 'requests_pkey'], ['RequestKey', 'requests_pkey']]);
    const fk = (await rows("SELECT * FROM sys_keycolumns WHERE TableName='RequestComments' AND ColumnName='RequestId'"))[0];
    expect(fk).toMatchObject({ iskey: true, isforeignkey: true, referencedtablename: 'Requests', referencedcolumnname: 'RequestId' });
  });

  it('sys_foreignkeys: imports and exports name the engine constraints', async () => {
    const imports = await rows<{ tablename: string; columnname: string; referencedtablename: string; foreignkeyname: string; primarykeyname: string }>(
      "SELECT * FROM sys_foreignkeys WHERE ForeignKeyType = 'FOREIGNKEY_TYPE_IMPORT'",
    );
    const engine = await rows<{ conname: string }>("SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'jsm'::regnamespace");
    expect(new Set(imports.map((r) => r.foreignkeyname))).toEqual(new Set(engine.map((r) => r.conname)));
    expect(imports.find((r) => r.tablename === 'RequestComments')).toMatchObject({ referencedtablename: 'Requests', primarykeyname: 'requests_requestid_key' });
    const exports = await rows("SELECT * FROM sys_foreignkeys WHERE ForeignKeyType = 'FOREIGNKEY_TYPE_EXPORT' AND TableName = 'ServiceDesks'");
    expect(exports.length).toBeGreaterThan(3);
  });

  it('sys_primarykeys and sys_indexes match the engine constraints', async () => {
    const pks = await rows<{ tablename: string; columnname: string; keyseq: string }>('SELECT * FROM sys_primarykeys');
    const engine = await rows<{ n: string }>(
      "SELECT sum(i.indnatts)::text AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'jsm'::regnamespace AND c.relkind = 'v' AND i.indisprimary",
    );
    expect(String(pks.length)).toBe(engine[0]!.n);
    expect(pks.filter((p) => p.tablename === 'Requests').map((p) => [p.columnname, p.keyseq])).toEqual([['RequestId', '1'], ['RequestKey', '2']]);
    const nonPrimary = await rows<{ indexname: string; isunique: boolean }>("SELECT * FROM sys_indexes WHERE IsPrimary='false'");
    const uniques = await rows<{ conname: string }>("SELECT conname FROM pg_constraint WHERE contype = 'u' AND connamespace = 'jsm'::regnamespace");
    expect(new Set(nonPrimary.map((r) => r.indexname))).toEqual(new Set(uniques.map((r) => r.conname)));
    expect(nonPrimary.every((r) => r.isunique)).toBe(true);
  });

  it("sys_connection_props: WHERE Value <> '' shows set and defaulted values, sensitive ones masked", async () => {
    const r = await rows<{ name: string; value: string; etc: string; sensitivity: string }>("SELECT * FROM sys_connection_props WHERE Value <> ''");
    const by = new Map(r.map((x) => [x.name, x]));
    expect(by.get('URL')).toMatchObject({ value: 'https://example.atlassian.net', etc: 'explicit' });
    expect(by.get('APIToken')).toMatchObject({ value: MASK, sensitivity: 'SENSITIVE' });
    expect(by.get('AuthScheme')!.value).toBe('APIToken');
    expect(r.some((x) => x.etc === 'default')).toBe(true);
    expect(JSON.stringify(await rows('SELECT * FROM sys_connection_props'))).not.toContain('agent-token');
    const all = await rows<{ n: number }>('SELECT count(*)::int AS n FROM sys_connection_props');
    expect(all[0]!.n).toBe(CONNECTION_PROPERTIES.length);
  });

  it('the DDL of the shared snapshot holds no connection value, so its cache key is the same for every site and start', () => {
    const shared = sysTablesDdl(catalog, noProps(CONNECTION_PROPERTIES));
    expect(shared).not.toContain('example.atlassian.net');
    expect(shared).not.toContain('agent@example.com');
    expect(shared).not.toContain("'explicit'");
    expect(sysTablesDdl(catalog, noProps(CONNECTION_PROPERTIES))).toBe(shared);
  });

  it('sys_sqlinfo says only = and IN are pushed down and the engine evaluates the rest', async () => {
    const info = new Map((await rows<{ name: string; value: string }>('SELECT * FROM sys_sqlinfo')).map((r) => [r.name, r.value]));
    expect(info.get('SUPPORTED_OPERATORS')).toBe('=, IN, AND');
    expect(info.get('ENGINE_EVALUATED')).toMatch(/LIKE.*OR.*evaluated by the gateway's PostgreSQL engine/);
    expect(info.get('AGGREGATE_FUNCTIONS')).toBe('NO');
    expect(info.get('GROUP_BY')).toBe('NO');
    expect(info.get('PSEUDO_COLUMNS')).toContain('Requests.RequestOwnership');
  });

  it('sys_identity is an empty plain table in jsm that writes can fill, kept when the DDL runs again', async () => {
    expect(await rows('SELECT * FROM sys_identity')).toEqual([]);
    await db.exec("INSERT INTO jsm.sys_identity VALUES ('10001', '1', 'INSERTED', 'SUCCESS')");
    await db.exec(sysTablesDdl(catalog, props, { database: 'jsm' }));
    expect(await rows('SELECT * FROM sys_identity')).toEqual([{ id: '10001', batch: '1', operation: 'INSERTED', message: 'SUCCESS' }]);
    await db.exec('DELETE FROM jsm.sys_identity');
  });
});
