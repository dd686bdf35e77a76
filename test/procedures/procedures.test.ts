import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_PROCEDURES } from '../catalog/seed-model.ts';
import { clearSimCalls, simCalls, startStack, type TestStack } from '../helpers/gateway.ts';
import { changes, dataset, failure, withoutWrites } from './helpers.ts';

const seedResult = (name: string) => SEED_PROCEDURES.find((p) => p.name === name)!.result.map((r) => r.name);

describe('CALL of the seed procedures (gateway over TCP, simulator over HTTP)', () => {
  let stack: TestStack;
  let client: pg.Client;
  let files: string;
  let outside: string;
  let schemas: string;

  beforeAll(async () => {
    files = await mkdtemp(join(tmpdir(), 'jsm-pg-attach-'));
    outside = await mkdtemp(join(tmpdir(), 'jsm-pg-outside-'));
    schemas = join(await mkdtemp(join(tmpdir(), 'jsm-pg-schema-')), 'nested');
    stack = await startStack({ connection: `AttachmentFolders=${files};Location=${schemas};ServiceDeskID=1` });
    client = new pg.Client(stack.url);
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await stack?.close();
    for (const d of [files, outside, schemas && join(schemas, '..')]) if (d) await rm(d, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (stack) await clearSimCalls(stack.sim);
  });

  it('CreateCustomer, positional (simple protocol): one user more, the result columns of the seed', async () => {
    const before = await dataset(stack.sim);
    const r = await client.query("CALL CreateCustomer('fred@example.com', 'Fred F. User')");
    expect(r.command).toBe('CALL');
    expect(r.fields.map((f) => f.name)).toEqual(seedResult('CreateCustomer'));
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0];
    expect(row).toMatchObject({ EmailAddress: 'fred@example.com', DisplayName: 'Fred F. User', Active: 'true' });
    const diff = changes(before, await dataset(stack.sim));
    expect(Object.keys(diff)).toEqual(['user']);
    expect(diff.user!.removed).toEqual([]);
    expect(diff.user!.added).toHaveLength(1);
    expect(diff.user!.added[0]).toMatchObject({ item: { accountId: row.AccountId, emailAddress: 'fred@example.com', displayName: 'Fred F. User' } });
    const calls = (await simCalls(stack.sim)).filter((c) => c.method === 'POST');
    expect(calls.map((c) => c.path)).toEqual(['/rest/servicedeskapi/customer']);
    // what JSM refuses is its message
    const again = await failure(client.query("CALL CreateCustomer('fred@example.com')"));
    expect(again.message).toContain("A user with the e-mail address 'fred@example.com' already exists.");
  });

  it('CreateCustomer, named with $ parameters (extended protocol), displayName as the API calls it', async () => {
    const before = await dataset(stack.sim);
    const r = await client.query('CALL CreateCustomer(email => $1, displayName => $2)', ['wilma@example.com', 'Wilma F.']);
    expect(r.command).toBe('CALL');
    expect(r.fields.map((f) => f.name)).toEqual(seedResult('CreateCustomer'));
    expect(r.rows[0]).toMatchObject({ EmailAddress: 'wilma@example.com', DisplayName: 'Wilma F.' });
    const diff = changes(before, await dataset(stack.sim));
    expect(Object.keys(diff)).toEqual(['user']);
    expect(diff.user!.added).toHaveLength(1);
    // := and any case of the names, prepared and run twice
    const st = { name: 'cc', text: 'CALL jsm.createcustomer(EMAIL := $1, FullName := $2)' };
    const a = await client.query({ ...st, values: ['barney@example.com', 'Barney R.'] });
    const b = await client.query({ ...st, values: ['betty@example.com', null] });
    expect(a.rows[0].DisplayName).toBe('Barney R.');
    expect(b.rows[0].DisplayName).toBe('betty@example.com'); // JSM names a customer after the email
  });

  it('refuses bad calls before any API call, with the SQLSTATE PostgreSQL would give', async () => {
    await withoutWrites(stack.sim, async () => {
      const unknown = await failure(client.query("CALL CreateCustomer(mail => 'x@example.com')"));
      expect(unknown).toMatchObject({ code: '42883', message: 'procedure CreateCustomer has no parameter named "mail"' });
      expect(unknown.hint).toContain('Email, FullName');
      expect((await failure(client.query("CALL CreateCustomer('a@example.com', 'A', 'A', 'k', 'a', 'n', 'e', 'd', 'a', 't', 'x')"))).code).toBe('42883');
      expect((await failure(client.query("CALL CreateCustomer(email => 'a@example.com', 'A')"))).code).toBe('42601');
      expect((await failure(client.query("CALL CreateCustomer(email => 'a@example.com', EMAIL => 'b@example.com')"))).code).toBe('42601');
      expect(await failure(client.query("CALL CreateCustomer(FullName => 'Nobody')"))).toMatchObject({ code: '23502', message: expect.stringContaining('Email') });
      expect(await failure(client.query("CALL AddAttachment(RequestKey => 'X-1')"))).toMatchObject({ code: '23502', message: expect.stringContaining('AttachmentId') });
      expect(await failure(client.query('CALL CreateSchema($1)', ['Requests']))).toMatchObject({ code: '23502', message: expect.stringContaining('FileName') });
      // a type PostgreSQL would not take for the parameter: the engine's own resolution says so
      expect((await failure(client.query('CALL CreateCustomer(email => 42)'))).code).toBe('42883');
    });
  });

  it('the three OAuth procedures need an OAuth 2.0 app: on an APIToken connection they say so (28000)', async () => {
    for (const name of ['GetOAuthAccessToken', 'GetOAuthAuthorizationURL']) {
      const e = await failure(client.query(`CALL ${name}()`));
      expect(e.code).toBe('28000');
      expect(e.message).toContain('needs an OAuth 2.0 app');
    }
    expect((await failure(client.query("CALL RefreshOAuthAccessToken('expired')"))).code).toBe('28000');
    expect((await failure(client.query('CALL RefreshOAuthAccessToken()'))).code).toBe('23502');
  });

  it('AttachTemporaryFile with bytea content ($1), then AddAttachment with expressions over parameters', async () => {
    const before = await dataset(stack.sim);
    const up = await client.query('CALL AttachTemporaryFile(Content => $1, FileName => $2)', [Buffer.from('hello, world\n'), 'hello.txt']);
    expect(up.fields.map((f) => f.name)).toEqual(seedResult('AttachTemporaryFile'));
    const temp = up.rows[0];
    expect(temp.FileName).toBe('hello.txt');
    const mid = await dataset(stack.sim);
    expect(changes(before, mid)).toEqual({
      temporaryAttachments: {
        added: [expect.objectContaining({ serviceDeskId: '1', temporaryAttachmentId: temp.TemporaryAttachmentId, fileName: 'hello.txt', mimeType: 'text/plain', size: 13 })],
        removed: [],
      },
    });
    const target = mid.entities.request!.find((r) => (r.item as { serviceDeskId: string }).serviceDeskId === '1')!.item as { issueKey: string; issueId: string };
    const commentsBefore = (await client.query('SELECT count(*)::int AS n FROM RequestComments WHERE RequestKey = $1', [target.issueKey])).rows[0].n as number;
    // PostgreSQL takes no subquery in a CALL argument, nor does the gateway (the engine checks the call)
    expect((await failure(client.query(`CALL AddAttachment(RequestKey => (SELECT RequestKey FROM Requests LIMIT 1), AttachmentId => 'x')`))).code).toBe('0A000');
    const add = await client.query(
      `CALL AddAttachment(RequestKey => upper($1), AttachmentId => $2, Public => 'true', AdditionalComment => 'The log, ' || 'attached.')`,
      [target.issueKey.toLowerCase(), temp.TemporaryAttachmentId],
    );
    expect(add.fields.map((f) => f.name)).toEqual(seedResult('AddAttachment'));
    expect(add.rows).toEqual([{ Success: 'true' }]);
    const diff = changes(mid, await dataset(stack.sim));
    expect(diff.temporaryAttachments).toEqual({ added: [], removed: [expect.objectContaining({ temporaryAttachmentId: temp.TemporaryAttachmentId })] });
    expect(diff['request.attachment']!.added).toEqual([expect.objectContaining({ parent: { requestId: target.issueId }, item: expect.objectContaining({ filename: 'hello.txt', size: 13 }) })]);
    expect(diff['request.comment']!.added).toEqual([expect.objectContaining({ parent: { requestId: target.issueId }, item: expect.objectContaining({ body: expect.stringContaining('The log, attached.') }) })]);
    // the session's next read sees the new comment (the cache of RequestComments was dropped)
    const commentsAfter = (await client.query('SELECT count(*)::int AS n FROM RequestComments WHERE RequestKey = $1', [target.issueKey])).rows[0].n as number;
    expect(commentsAfter).toBe(commentsBefore + 1);
  });

  it('AttachTemporaryFile reads a file under AttachmentFolders only', async () => {
    await writeFile(join(files, 'report.csv'), 'a,b\n1,2\n');
    await writeFile(join(outside, 'secret.txt'), 'no');
    await symlink(join(outside, 'secret.txt'), join(files, 'link.txt'));
    const before = await dataset(stack.sim);
    const r = await client.query(`CALL AttachTemporaryFile('${join(files, 'report.csv')}')`);
    expect(r.rows[0].FileName).toBe('report.csv');
    const rel = await client.query("CALL AttachTemporaryFile(Source => 'report.csv', ServiceDeskId => '2', FileName => 'renamed.csv')");
    expect(rel.rows[0].FileName).toBe('renamed.csv');
    const diff = changes(before, await dataset(stack.sim));
    expect(diff.temporaryAttachments!.added.map((t) => (t as { fileName: string; serviceDeskId: string; size: number })))
      .toEqual([expect.objectContaining({ fileName: 'report.csv', serviceDeskId: '1', size: 8 }), expect.objectContaining({ fileName: 'renamed.csv', serviceDeskId: '2', size: 8 })]);
    await withoutWrites(stack.sim, async () => {
      for (const path of [join(outside, 'secret.txt'), join(files, '..', 'x'), join(files, 'link.txt'), '/etc/passwd', '../x']) {
        const e = await failure(client.query('CALL AttachTemporaryFile($1)', [path]));
        expect(e.code, path).toBe('42501');
      }
      expect((await failure(client.query("CALL AttachTemporaryFile(Source => 'missing.txt')"))).code).toBe('22023');
      expect((await failure(client.query("CALL AttachTemporaryFile(Content => 'x')"))).code).toBe('23502');
      expect((await failure(client.query("CALL AttachTemporaryFile(Content => 'x', FileName => 'a/b.txt')"))).code).toBe('22023');
    });
  });

  it('CreateSchema writes the relation as JSON into Location, atomically, and refuses folders in FileName', async () => {
    const before = await dataset(stack.sim);
    const r = await client.query("CALL CreateSchema('Requests', 'Requests.json')");
    expect(r.fields.map((f) => f.name)).toEqual(seedResult('CreateSchema'));
    expect(r.rows).toEqual([{ Result: 'Success' }]);
    const file = JSON.parse(await readFile(join(schemas, 'Requests.json'), 'utf8'));
    expect(file).toMatchObject({ format: 'jsm-pg/relation', version: 1, relation: { name: 'Requests', kind: 'view' } });
    expect(file.relation.columns.map((c: { name: string }) => c.name)).toContain('RequestKey');
    await client.query("CALL CreateSchema(TableName => 'requestcomments', FileName => 'comments')");
    // a full path is taken when its folder is Location's
    await client.query('CALL CreateSchema($1, $2)', ['ServiceDesks', join(schemas, 'desks.rsd')]);
    expect(JSON.parse(await readFile(join(schemas, 'desks.rsd'), 'utf8')).relation.name).toBe('ServiceDesks');
    expect(JSON.parse(await readFile(join(schemas, 'comments.json'), 'utf8')).relation.name).toBe('RequestComments');
    for (const name of ['../x.json', 'a/b.json', 'C:\\Users\\User\\Desktop\\JiraSD\\DataSetTest.rsd', '.hidden']) {
      expect((await failure(client.query('CALL CreateSchema($1, $2)', ['Requests', name]))).code, name).toBe('22023');
    }
    expect((await failure(client.query("CALL CreateSchema('NoSuchTable', 'x.json')"))).code).toBe('42P01');
    expect(changes(before, await dataset(stack.sim))).toEqual({});
  });

  it('works inside a transaction block, and a refused CALL there is an error like any other', async () => {
    await client.query('BEGIN');
    const r = await client.query("CALL CreateSchema('Users', 'Users.json')");
    expect(r.rows).toEqual([{ Result: 'Success' }]);
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.query('COMMIT');
    await client.query('BEGIN');
    expect((await failure(client.query('CALL CreateSchema(TableName => 1)'))).code).toBe('42883');
    expect((await failure(client.query('SELECT 1'))).code).toBe('25P02');
    await client.query('ROLLBACK');
  });

  it('the engine procedure is not run by anything but a CALL of its own', async () => {
    const e = await failure(client.query("DO $$ DECLARE r text; BEGIN CALL jsm.createschema('Requests', 'x.json', r); END $$"));
    expect(e.code).toBe('0A000');
    expect(e.message).toContain('CreateSchema is carried out by the jsm-pg gateway');
    expect((await failure(client.query("SELECT * FROM CreateCustomer('x@example.com')"))).code).toBe('42809');
  });

  it('sys_procedures and sys_procedureparameters describe the engine procedures', async () => {
    const procs = (await client.query('SELECT ProcedureName FROM sys_procedures')).rows.map((r) => r.procedurename as string);
    expect(procs).toEqual(SEED_PROCEDURES.map((p) => p.name));
    const params = (await client.query('SELECT ProcedureName, ColumnName, Direction, DataTypeName FROM sys_procedureparameters ORDER BY ProcedureName, Ordinal')).rows;
    const engine = (
      await client.query(`SELECT p.proname, a.name, a.mode, format_type(a.type, NULL) AS type, a.ord
        FROM pg_proc p, unnest(p.proargnames, p.proargmodes::text[], p.proallargtypes) WITH ORDINALITY AS a(name, mode, type, ord)
        WHERE p.pronamespace = 'jsm'::regnamespace AND p.prokind = 'p' AND p.proname <> 'clear_cache' ORDER BY p.proname, a.ord`)
    ).rows;
    for (const proc of procs) {
      const mine = params.filter((p) => p.procedurename === proc);
      const theirs = engine.filter((e) => e.proname === proc.toLowerCase());
      expect(theirs.map((e) => [e.mode === 'i' ? 1 : 4, e.mode === 'i' ? e.name : e.name, e.type]), proc)
        .toEqual(mine.map((p) => [p.direction, p.direction === 1 ? String(p.columnname).toLowerCase() : p.columnname, p.datatypename]));
    }
    // the seed's own parameters come first, in the seed's order
    for (const sp of SEED_PROCEDURES) {
      const mine = params.filter((p) => p.procedurename === sp.name && p.direction === 1).map((p) => p.columnname);
      expect(mine.slice(0, sp.params.length)).toEqual(sp.params.map((p) => p.name));
    }
  });
});

describe('CALL with the default configuration', () => {
  let stack: TestStack;
  let client: pg.Client;
  beforeAll(async () => {
    stack = await startStack();
    client = new pg.Client(stack.url);
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await stack?.close();
  });

  it('no folder is allowed to AttachTemporaryFile, and CreateSchema has no Location: 42501 saying how to allow one', async () => {
    await withoutWrites(stack.sim, async () => {
      const attach = await failure(client.query("CALL AttachTemporaryFile(Source => '/tmp/x.txt', ServiceDeskId => '1')"));
      expect(attach).toMatchObject({ code: '42501', message: 'AttachTemporaryFile may not read files: no folder is allowed' });
      expect(attach.hint).toContain('AttachmentFolders');
      const schema = await failure(client.query("CALL CreateSchema('Requests', 'Requests.json')"));
      expect(schema.code).toBe('42501');
      expect(schema.hint).toContain('Location');
      // without ServiceDeskID set, the desk must be named
      expect((await failure(client.query("CALL AttachTemporaryFile(Content => 'x', FileName => 'x.txt')"))).code).toBe('23502');
    });
  });
});
