/**
 * Schema files: relation declarations in the Location folder, read when the gateway starts. A file
 * whose relation has the name of a built-in one replaces that declaration (extra columns, other
 * filters), any other name adds a relation, over an endpoint the built-in catalog lacks, with no
 * code (the planner and executor are generic over declarations). The seed's connector does the
 * same with its .rsd files; ours are JSON in the format CreateSchema writes (schema-file-shape.ts).
 *
 * Every file is checked before the gateway serves: its JSON, its shape, then the merged catalog's
 * own validation; a problem stops the start with F0000 naming the file, line and column.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { ZodIssue } from 'zod';
import { PgError, SqlState } from '../errors/index.ts';
import { JsonSyntaxError, locate, parseJson, type JsonPath, type JsonPosition, type ParsedJson } from './json-location.ts';
import { createCatalog, type Catalog } from './registry.ts';
import { SCHEMA_FILE_FORMAT, SCHEMA_FILE_VERSION, schemaFileShape } from './schema-file-shape.ts';
import type { TableDecl } from './types.ts';
import { catalogProblems } from './validate.ts';

export interface SchemaFile {
  readonly path: string;
  readonly parsed: ParsedJson;
  readonly relation: TableDecl;
}

/** What the Location folder did to the built-in catalog, for the start's log line. */
export interface SchemaFilesResult {
  readonly catalog: Catalog;
  readonly files: readonly string[];
  readonly added: readonly string[];
  readonly replaced: readonly string[];
}

/**
 * Reads every schema file of `folder` (sorted by name, so the order is the same on every start):
 * `*.json`, and `*.rsd` as CreateSchema writes them when FileName says .rsd as the seed's examples
 * do. Hidden files are skipped: CreateSchema's half-written temporaries are `.name.tmp`.
 */
export async function readSchemaFiles(folder: string): Promise<SchemaFile[]> {
  const dir = resolve(folder);
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    // not there yet: nothing to load (CreateSchema creates the folder when it first writes)
    if (err.code === 'ENOENT') return undefined;
    throw new PgError(SqlState.ConfigFileError, `cannot read the Location folder "${dir}": ${err.code ?? err.message}`);
  });
  if (!info) return [];
  if (!info.isDirectory()) throw new PgError(SqlState.ConfigFileError, `Location "${dir}" is not a folder`, { hint: 'Location names the folder that holds the schema files (*.json).' });
  const files: SchemaFile[] = [];
  for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.')).sort()) {
    const ext = extname(name).toLowerCase();
    const path = join(dir, name);
    if (ext === '.rsb') throw seedFormat(path, 'stored procedures cannot be declared in schema files');
    if (ext !== '.json' && ext !== '.rsd') continue;
    const text = await readFile(path, 'utf8');
    // the seed connector's .rsd is XML (<api:script …>): say so rather than report a JSON syntax error
    if (ext === '.rsd' && text.trimStart().startsWith('<')) throw seedFormat(path, 'jsm-pg reads its own JSON format');
    files.push(parseSchemaFile(path, text));
  }
  return files;
}

function seedFormat(path: string, why: string): PgError {
  return new PgError(SqlState.ConfigFileError, `schema file "${path}" is in the seed connector's format: ${why}`, {
    hint: "Declare the relation in jsm-pg's JSON format instead: CALL CreateSchema(TableName => 'Requests', FileName => 'Requests.json') writes one to start from.",
  });
}

/** One file's text, checked as JSON and against the format; errors name the file, line and column. */
export function parseSchemaFile(path: string, text: string): SchemaFile {
  let parsed: ParsedJson;
  try {
    parsed = parseJson(text.replace(/^\uFEFF/, ' ')); // a BOM counts as a column, as editors count it
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw fileError(path, err.position, err.message);
    throw err;
  }
  const head = parsed.value as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || Array.isArray(head)) throw fileError(path, locate(parsed, []), 'a schema file holds one JSON object: { "format", "version", "relation" }');
  if (head.format !== SCHEMA_FILE_FORMAT) throw fileError(path, locate(parsed, ['format']), `format must be "${SCHEMA_FILE_FORMAT}"`);
  if (typeof head.version === 'number' && head.version > SCHEMA_FILE_VERSION)
    throw fileError(path, locate(parsed, ['version']), `version ${head.version} is newer than this gateway reads (${SCHEMA_FILE_VERSION})`);
  const result = schemaFileShape.safeParse(parsed.value);
  if (!result.success) {
    const [first, ...rest] = result.error.issues.map((i) => issueAt(parsed, i));
    throw fileError(path, first!.position, first!.message, rest.map((r) => `line ${r.position.line}, column ${r.position.column}: ${r.message}`));
  }
  return { path, parsed, relation: result.data.relation };
}

/**
 * The built-in catalog with the files' relations: one with a built-in name takes its place (so
 * the order of sys_tables stays the seed's), the others follow in file order. The merged catalog
 * is validated as a whole; a problem is blamed on the file that declares the relation at fault,
 * or, when a built-in relation no longer fits (it references a column a file removed), on the
 * file that replaced the relation it names.
 */
export function mergeSchemaFiles(base: Catalog, files: readonly SchemaFile[]): SchemaFilesResult {
  const byName = new Map<string, SchemaFile>();
  for (const f of files) {
    const key = f.relation.name.toLowerCase();
    const other = byName.get(key);
    if (other) throw fileError(f.path, locate(f.parsed, ['relation', 'name']), `relation ${f.relation.name} is also declared by "${other.path}"`);
    byName.set(key, f);
  }
  const builtIn = new Set(base.tables.map((t) => t.name.toLowerCase()));
  const tables = [
    ...base.tables.map((t) => byName.get(t.name.toLowerCase())?.relation ?? t),
    ...files.filter((f) => !builtIn.has(f.relation.name.toLowerCase())).map((f) => f.relation),
  ];
  const problems = catalogProblems(tables, base.procedures);
  if (problems.length) {
    const blamed = problems.map((p) => {
      const own = p.table === undefined ? undefined : byName.get(p.table.toLowerCase());
      if (own) return { file: own, position: locate(own.parsed, ['relation', ...p.path]), message: p.message };
      const culprit = files.find((f) => builtIn.has(f.relation.name.toLowerCase()) && new RegExp(`\\b${f.relation.name}\\b`, 'i').test(p.message)) ?? files[0]!;
      return { file: culprit, position: locate(culprit.parsed, ['relation', 'name']), message: `built-in relation ${p.table}: ${p.message}` };
    });
    const [first, ...rest] = blamed;
    throw fileError(first!.file.path, first!.position, first!.message, rest.map((b) => `${b.file.path}, line ${b.position.line}, column ${b.position.column}: ${b.message}`));
  }
  return {
    catalog: createCatalog(tables, base.procedures),
    files: files.map((f) => f.path),
    added: files.filter((f) => !builtIn.has(f.relation.name.toLowerCase())).map((f) => f.relation.name),
    replaced: files.filter((f) => builtIn.has(f.relation.name.toLowerCase())).map((f) => f.relation.name),
  };
}

/** The catalog of a gateway whose Location is `folder`: the built-in one when no folder is set. */
export async function catalogWithSchemaFiles(base: Catalog, folder: string | undefined): Promise<SchemaFilesResult> {
  if (!folder) return { catalog: base, files: [], added: [], replaced: [] };
  return mergeSchemaFiles(base, await readSchemaFiles(folder));
}

function issueAt(parsed: ParsedJson, issue: ZodIssue): { position: JsonPosition; message: string } {
  const path: JsonPath = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return { position: locate(parsed, [...path, key], true), message: `${where(path)}: unknown key "${issue.keys.join('", "')}"` };
  }
  return { position: locate(parsed, path), message: `${where(path)}: ${issue.message}` };
}

/** `relation.columns[2].type`, as a person reads the file. */
function where(path: JsonPath): string {
  if (!path.length) return 'the file';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function fileError(path: string, at: JsonPosition, message: string, more: readonly string[] = []): PgError {
  return new PgError(SqlState.ConfigFileError, `schema file "${path}", line ${at.line}, column ${at.column}: ${message}`, {
    ...(more.length ? { detail: `Also: ${more.slice(0, 10).join('; ')}${more.length > 10 ? `; and ${more.length - 10} more` : ''}.` } : {}),
    hint: 'Fix or remove the file (the gateway reads the Location folder when it starts); README.md, "Schema files", describes the format.',
  });
}
