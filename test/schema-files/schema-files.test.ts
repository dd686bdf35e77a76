// Schema files in Location, read and checked without a gateway: what is loaded, and how a bad file
// is reported (F0000 naming the file, line and column of the value at fault).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES } from '../../catalog/index.ts';
import { getCatalog } from '../../src/catalog/registry.ts';
import { catalogWithSchemaFiles, mergeSchemaFiles, parseSchemaFile, readSchemaFiles } from '../../src/catalog/schema-files.ts';
import type { TableDecl } from '../../src/catalog/types.ts';
import { PgError } from '../../src/errors/index.ts';
import { AdjustedRequests, RequestAttachments, schemaFileText, writeSchemaFile } from './fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jsm-pg-schema-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The error a load of `dir` fails with (it must fail). */
async function loadError(): Promise<PgError> {
  try {
    await catalogWithSchemaFiles(getCatalog(), dir);
  } catch (err) {
    expect(err).toBeInstanceOf(PgError);
    return err as PgError;
  }
  throw new Error('the load did not fail');
}

/** Line (1-based) of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** `line L, column C` of `token` in the first line holding `needle` (1-based, as editors count). */
function at(text: string, needle: string, token: string): string {
  const line = lineOf(text, needle);
  return `line ${line}, column ${text.split('\n')[line - 1]!.indexOf(token) + 1}`;
}

describe('loading', () => {
  it('adds a relation under a new name and replaces the built-in one of the same name, in the seed order', async () => {
    await writeSchemaFile(dir, 'RequestAttachments.json', RequestAttachments);
    await writeSchemaFile(dir, 'Requests.json', AdjustedRequests);
    const { catalog, added, replaced, files } = await catalogWithSchemaFiles(getCatalog(), dir);
    expect(added).toEqual(['RequestAttachments']);
    expect(replaced).toEqual(['Requests']);
    expect(files).toEqual([join(dir, 'RequestAttachments.json'), join(dir, 'Requests.json')]);
    expect(catalog.tables.map((t) => t.name)).toEqual([...TABLES.map((t) => t.name), 'RequestAttachments']);
    expect(catalog.table('requests')!.columns.map((c) => c.name)).toContain('PortalLink');
    expect(catalog.table('RequestAttachments')).toEqual(RequestAttachments);
  });

  it('reads every built-in relation back from the file CreateSchema writes of it, unchanged', () => {
    for (const t of TABLES) expect(parseSchemaFile(`${t.name}.json`, schemaFileText(t)).relation, t.name).toEqual(t);
    const files = TABLES.map((t) => parseSchemaFile(`${t.name}.json`, schemaFileText(t)));
    expect(mergeSchemaFiles(getCatalog(), files).catalog.tables).toEqual(TABLES);
  });

  it('no Location, a Location not created yet, and files that are no schema files: the built-in catalog', async () => {
    expect((await catalogWithSchemaFiles(getCatalog(), undefined)).catalog).toBe(getCatalog());
    expect((await catalogWithSchemaFiles(getCatalog(), join(dir, 'not-yet'))).catalog.tables).toEqual(TABLES);
    await writeFile(join(dir, 'README.txt'), 'notes');
    // CreateSchema's temporary (renamed over the file when written) is hidden, and never read
    await writeFile(join(dir, '.Requests.json.123.abc.tmp'), '{');
    expect(await readSchemaFiles(dir)).toEqual([]);
  });

  it('reads a .rsd file that CreateSchema wrote (the seed names them so) and refuses the seed connector\'s own .rsd and .rsb', async () => {
    await writeSchemaFile(dir, 'attachments.rsd', RequestAttachments);
    expect((await catalogWithSchemaFiles(getCatalog(), dir)).added).toEqual(['RequestAttachments']);
    await writeFile(join(dir, 'Tickets.rsd'), '<api:script xmlns:api="http://apiscript.com/ns?v1">\n</api:script>\n');
    const e = await loadError();
    expect(e.code).toBe('F0000');
    expect(e.message).toContain(join(dir, 'Tickets.rsd'));
    expect(e.message).toContain("seed connector's format");
    expect(e.fields.hint).toContain('CreateSchema');
    await rm(join(dir, 'Tickets.rsd'));
    await writeFile(join(dir, 'Proc.rsb'), '<api:script/>');
    expect((await loadError()).message).toContain('stored procedures cannot be declared');
  });

  it('a Location that is a file stops the start', async () => {
    const file = join(dir, 'plain');
    await writeFile(file, 'x');
    await expect(catalogWithSchemaFiles(getCatalog(), file)).rejects.toMatchObject({ code: 'F0000', message: expect.stringContaining('is not a folder') });
  });
});

describe('errors name the file, line and column', () => {
  it('a JSON syntax error', async () => {
    const text = schemaFileText(RequestAttachments).replace('"kind": "view",', '"kind": "view"');
    await writeFile(join(dir, 'RequestAttachments.json'), text);
    const e = await loadError();
    expect(e.code).toBe('F0000');
    // the comma is missing at the end of the kind line: the parser notices at the next key
    expect(e.message).toMatch(new RegExp(`^schema file "${join(dir, 'RequestAttachments.json')}", ${at(text, '"description"', '"description"')}: JSON syntax error: comma expected`));
    expect(e.fields.hint).toContain('Schema files');
  });

  it('a misspelt key, at the key', async () => {
    const text = schemaFileText(RequestAttachments).replace('"remote": "filename"', '"remot": "filename"');
    await writeFile(join(dir, 'RequestAttachments.json'), text);
    expect((await loadError()).message).toContain(`${at(text, '"remot"', '"remot"')}: relation.columns[3]: unknown key "remot"`);
  });

  it('a value of the wrong kind, at the value, and every other problem in the detail', async () => {
    const broken = { ...RequestAttachments, columns: RequestAttachments.columns.map((c) => (c.name === 'Size' ? { ...c, type: 'number' } : c.name === 'Url' ? { ...c, key: 'yes' } : c)) };
    const text = schemaFileText(broken as unknown as TableDecl);
    await writeFile(join(dir, 'RequestAttachments.json'), text);
    const e = await loadError();
    expect(e.message).toContain(`${at(text, '"key": "yes"', '"yes"')}: relation.columns[2].key: Expected boolean, received string`);
    expect(e.fields.detail).toContain(`${at(text, '"type": "number"', '"number"')}: relation.columns[5].type: Invalid enum value`);
  });

  it('a required field left out, at the object that lacks it', async () => {
    const { list: _list, ...noList } = RequestAttachments;
    const text = schemaFileText(noList as TableDecl);
    await writeFile(join(dir, 'RequestAttachments.json'), text);
    expect((await loadError()).message).toContain(`${at(text, '"relation"', '{')}: relation.list: Required`);
  });

  it('the wrong format or a newer version', async () => {
    await writeFile(join(dir, 'a.json'), '{\n  "format": "cdata/rsd",\n  "version": 1,\n  "relation": {}\n}\n');
    expect((await loadError()).message).toContain('a.json", line 2, column 13: format must be "jsm-pg/relation"');
    await writeFile(join(dir, 'a.json'), '{\n  "format": "jsm-pg/relation",\n  "version": 7,\n  "relation": {}\n}\n');
    expect((await loadError()).message).toContain('a.json", line 3, column 14: version 7 is newer than this gateway reads (1)');
    await writeFile(join(dir, 'a.json'), '[]');
    expect((await loadError()).message).toContain('a.json", line 1, column 1: a schema file holds one JSON object');
  });

  it('the catalog\'s own checks: a filter on a column the relation lacks, at that filter\'s column', async () => {
    const broken = { ...RequestAttachments, filters: [...RequestAttachments.filters, { column: 'Nope', operators: ['='], param: 'x' }] } as TableDecl;
    const text = schemaFileText(broken);
    await writeFile(join(dir, 'RequestAttachments.json'), text);
    const e = await loadError();
    expect(e.message).toContain(`${at(text, '"column": "Nope"', '"Nope"')}: RequestAttachments: filter on unknown column Nope`);
  });

  it('a reference to a relation that does not exist, and a path placeholder nothing binds', async () => {
    const broken: TableDecl = {
      ...RequestAttachments,
      parent: undefined,
      columns: RequestAttachments.columns.map((c) => (c.name === 'RequestId' ? { ...c, references: { table: 'Tickets', column: 'Id' } } : c)),
      filters: [],
    };
    const text = schemaFileText(broken);
    await writeFile(join(dir, 'RequestAttachments.json'), text);
    const e = await loadError();
    expect(e.message).toContain(`line ${lineOf(text, '"table": "Tickets"')}`);
    expect(e.message).toContain('references unknown table Tickets');
    expect(e.fields.detail).toContain(`line ${lineOf(text, '"path": "/rest/servicedeskapi/request/{issueIdOrKey}/attachment"')}`);
    expect(e.fields.detail).toContain('path placeholder {issueIdOrKey}');
  });

  it('a replaced built-in that others no longer fit is blamed on the file that replaced it', async () => {
    const text = schemaFileText({ ...AdjustedRequests, columns: AdjustedRequests.columns.filter((c) => c.name !== 'RequestKey') });
    await writeFile(join(dir, 'Requests.json'), text);
    const e = await loadError();
    expect(e.message).toContain(`schema file "${join(dir, 'Requests.json')}", line ${lineOf(text, '"name": "Requests"')}`);
    // the children of Requests copy its RequestKey
    expect(e.message).toMatch(/built-in relation \w+: \w+: parent column RequestKey not in Requests/);
  });

  it('two files declaring one relation', async () => {
    await writeSchemaFile(dir, 'a.json', RequestAttachments);
    const text = await readFile(await writeSchemaFile(dir, 'b.json', RequestAttachments), 'utf8');
    expect((await loadError()).message).toContain(`b.json", ${at(text, '"name"', '"RequestAttachments"')}: relation RequestAttachments is also declared by "${join(dir, 'a.json')}"`);
  });

  it('names that cannot go into SQL unquoted, and endpoints outside the REST API', async () => {
    const cases: [Partial<TableDecl>, RegExp][] = [
      [{ name: 'Attachments; DROP TABLE x' }, /relation\.name: a relation name must be a plain identifier/],
      [{ name: 'sys_mine' }, /relation\.name: sys_ and pg_ names are the gateway's own/],
      [{ columns: [...RequestAttachments.columns, { name: 'Order', type: 'text', remote: 'x', description: '' }] }, /relation\.columns\[8\]\.name: a column name is a word PostgreSQL reserves/],
      [{ list: { path: 'https://elsewhere.example/rest/x', paging: 'none' } }, /relation\.list\.path: an endpoint path is relative to the site URL/],
      [{ list: { path: '/rest/servicedeskapi/../../admin', paging: 'none' } }, /relation\.list\.path: an endpoint path cannot contain \. or \.\. segments/],
    ];
    for (const [change, expected] of cases) {
      await writeSchemaFile(dir, 'RequestAttachments.json', { ...RequestAttachments, ...change });
      expect((await loadError()).message).toMatch(expected);
    }
  });

  it('a write naming a column the relation lacks', async () => {
    const writes = { insert: { forms: [{ method: 'POST' as const, path: '/rest/servicedeskapi/request/{issueIdOrKey}/attachment', needs: ['RequestId', 'Files'], columns: ['Files'], returns: 'none' as const }] } };
    const text = schemaFileText({ ...RequestAttachments, writes });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'RequestAttachments.json'), text);
    const e = await loadError();
    expect(e.message).toContain(`${at(text, '"Files"', '"Files"')}: RequestAttachments: insert needs unknown column Files`);
    expect(e.fields.detail).toContain('insert writes unknown column Files');
  });
});
