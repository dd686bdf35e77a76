// Schema files through the gateway: a relation over an endpoint the built-in catalog lacks is
// queryable, joinable and listed (sys_tables, pg_class, psql); an adjusted built-in reads its extra
// column; a broken file stops the start naming file and line; CreateSchema's output survives a restart.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../src/auth/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startGateway } from '../../src/server/gateway.ts';
import { libpqEnv, run } from '../clients/helpers/run.ts';
import { clearSimCalls, simCalls, startStack, withClient, type TestStack } from '../helpers/gateway.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { AdjustedRequests, RequestAttachments, schemaFileText, writeSchemaFile } from './fixtures.ts';

const ATTACHMENTS = '/rest/servicedeskapi/request/{issueIdOrKey}/attachment';

describe('a Location with a new relation and an adjusted built-in', () => {
  let dir: string;
  let stack: TestStack;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jsm-pg-location-'));
    await writeSchemaFile(dir, 'RequestAttachments.json', RequestAttachments);
    await writeSchemaFile(dir, 'Requests.json', AdjustedRequests);
    stack = await startStack({ connection: `Location=${dir}` });
  });
  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the new relation is queryable, with its filter pushed to the endpoint', async () => {
    await withClient(stack.url, async (c) => {
      const { rows: [withFiles] } = await c.query('SELECT requestkey FROM requestattachments ORDER BY requestid LIMIT 1');
      await clearSimCalls(stack.sim);
      const { rows } = await c.query('SELECT requestkey, filename, mimetype, size, createdat FROM requestattachments WHERE requestkey = $1', [withFiles.requestkey]);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.requestkey).toBe(withFiles.requestkey);
        expect(r.filename).toMatch(/\.\w+$/);
        expect(Number(r.size)).toBeGreaterThan(0);
        expect(r.createdat).toBeInstanceOf(Date);
      }
      const calls = (await simCalls(stack.sim)).filter((call) => call.path.endsWith('/attachment'));
      expect(calls.map((call) => call.path)).toEqual([`/rest/servicedeskapi/request/${withFiles.requestkey}/attachment`]);
      const plan = (await c.query(`EXPLAIN SELECT * FROM requestattachments WHERE requestkey = '${withFiles.requestkey}'`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain(`RequestAttachments: GET ${ATTACHMENTS}`);
      expect(plan).toMatch(/Pushed: requestkey = /);
    });
  });

  it('joins with a built-in relation, which fetches its children per request (its declared parent)', async () => {
    await withClient(stack.url, async (c) => {
      const { rows } = await c.query(
        `SELECT r.requestkey, r.summary, count(a.url)::int AS files
           FROM requests r JOIN requestattachments a ON a.requestid = r.requestid
          WHERE r.servicedeskid = '1' GROUP BY 1, 2 ORDER BY 1`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.files).toBeGreaterThan(0);
      // the same rows as reading each side on its own
      const all = await c.query("SELECT a.requestid, a.url FROM requestattachments a WHERE a.requestid IN (SELECT requestid FROM requests WHERE servicedeskid = '1')");
      expect(rows.reduce((n, r) => n + r.files, 0)).toBe(all.rowCount);
    });
  });

  it('the adjusted built-in reads its extra column from the API item', async () => {
    await withClient(stack.url, async (c) => {
      const { rows } = await c.query('SELECT requestkey, servicedeskid, portallink FROM requests ORDER BY requestid LIMIT 3');
      expect(rows.length).toBe(3);
      for (const r of rows) expect(r.portallink).toBe(`${stack.sim.url}/servicedesk/customer/portal/${r.servicedeskid}/${r.requestkey}`);
      const { rows: cols } = await c.query("SELECT columnname FROM sys_tablecolumns WHERE tablename = 'Requests' AND columnname = 'PortalLink'");
      expect(cols).toHaveLength(1);
    });
  });

  it('is listed in sys_tables, sys_tablecolumns, pg_class and information_schema, with its key and foreign key', async () => {
    await withClient(stack.url, async (c) => {
      const { rows: tables } = await c.query("SELECT tablename, tabletype, description FROM sys_tables WHERE tablename = 'RequestAttachments'");
      expect(tables).toEqual([{ tablename: 'RequestAttachments', tabletype: 'VIEW', description: 'The attachments of a request.' }]);
      const { rows: cols } = await c.query("SELECT columnname FROM sys_tablecolumns WHERE tablename = 'RequestAttachments' ORDER BY ordinal");
      expect(cols.map((r) => r.columnname)).toEqual(RequestAttachments.columns.map((col) => col.name));
      const { rows: rel } = await c.query("SELECT relkind FROM pg_class WHERE oid = 'jsm.requestattachments'::regclass");
      expect(rel).toEqual([{ relkind: 'v' }]);
      const { rows: keys } = await c.query(
        "SELECT constraint_type FROM information_schema.table_constraints WHERE table_schema = 'jsm' AND table_name = 'requestattachments' ORDER BY 1",
      );
      expect(keys.map((k) => k.constraint_type)).toEqual(['FOREIGN KEY', 'PRIMARY KEY']);
    });
  });

  const psql = requireTool('psql');
  it.skipIf(!psql.available)(`psql's \\d and \\dv list it, and \\d describes it${psql.available ? '' : ` (skipped: ${psql.reason})`}`, async () => {
    // JSM relations are guarded views (DESIGN.md §6): \dv and \d list them, \dt lists tables only
    const out = async (cmd: string) => {
      const r = await run(psql.path!, ['-X', '-v', 'ON_ERROR_STOP=1', '-c', cmd], { env: libpqEnv(stack) });
      expect(r.stderr, r.stderr).not.toMatch(/ERROR|FATAL/);
      return r.stdout;
    };
    expect(await out('\\dv')).toMatch(/^\s*jsm\s*\|\s*requestattachments\s*\|\s*view/m);
    expect(await out('\\d')).toMatch(/^\s*jsm\s*\|\s*requestattachments\s*\|\s*view/m);
    const described = await out('\\d requestattachments');
    expect(described).toMatch(/^\s*filename\s*\|\s*text/m);
    expect(described).toMatch(/^\s*size\s*\|\s*bigint/m);
  });
});

describe('a broken schema file', () => {
  it('stops the start with F0000 naming the file, line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jsm-pg-location-bad-'));
    try {
      const text = schemaFileText(RequestAttachments).replace('"type": "bigint"', '"type": "long"');
      await writeFile(join(dir, 'RequestAttachments.json'), text);
      const line = text.split('\n').findIndex((l) => l.includes('"long"')) + 1;
      // no JSM site is needed: the files are read before anything else
      const config = loadConfig({ argv: ['--port', '0', '--connection', `AuthScheme=APIToken;URL=http://127.0.0.1:9;User=a@example.com;APIToken=t;Location=${dir}`], env: {} });
      const start = startGateway({ config, users: await UserStore.inMemory({ demo: 'demo' }), logger: createLogger({ level: 'silent' }) });
      await expect(start).rejects.toMatchObject({
        code: 'F0000',
        message: expect.stringMatching(new RegExp(`^schema file ".*RequestAttachments\\.json", line ${line}, column \\d+: relation\\.columns\\[5\\]\\.type: Invalid enum value`)),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('CreateSchema round trip', () => {
  it('a file CreateSchema wrote, edited, is what the next start serves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jsm-pg-location-rt-'));
    try {
      const first = await startStack({ connection: `Location=${dir}` });
      let before: unknown[];
      try {
        await withClient(first.url, async (c) => {
          await c.query("CALL CreateSchema('RequestComments', 'RequestComments.json')");
          before = (await c.query("SELECT id, body FROM requestcomments WHERE requestkey = 'TEST-1' ORDER BY id")).rows;
        });
      } finally {
        await first.close();
      }
      // edited as a user would: another description and one more column from the comment item
      const path = join(dir, 'RequestComments.json');
      const file = JSON.parse(await readFile(path, 'utf8'));
      file.relation.description = 'Comments, as our team reads them.';
      file.relation.columns.push({ name: 'AuthorDisplayName', type: 'text', remote: 'author.displayName', description: 'Who wrote it.' });
      await writeFile(path, JSON.stringify(file, null, 2));
      // a relation added by a file survives a round trip through CreateSchema too
      await writeSchemaFile(dir, 'RequestAttachments.json', RequestAttachments);

      const second = await startStack({ connection: `Location=${dir}` });
      try {
        await withClient(second.url, async (c) => {
          const { rows } = await c.query("SELECT id, body, authordisplayname FROM requestcomments WHERE requestkey = 'TEST-1' ORDER BY id");
          expect(rows.map(({ id, body }) => ({ id, body }))).toEqual(before);
          for (const r of rows) expect(r.authordisplayname).toEqual(expect.any(String));
          const { rows: t } = await c.query("SELECT description FROM sys_tables WHERE tablename = 'RequestComments'");
          expect(t).toEqual([{ description: 'Comments, as our team reads them.' }]);
          await c.query("CALL CreateSchema('RequestAttachments', 'RequestAttachments.json')");
        });
      } finally {
        await second.close();
      }
      expect(JSON.parse(await readFile(join(dir, 'RequestAttachments.json'), 'utf8')).relation).toEqual(RequestAttachments);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
