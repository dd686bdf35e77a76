// The optional config file (`--config PATH`): JSON or YAML with a "connection" section
// (property names, or one connection string) and a "server" section.
import { readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PgError, SqlState } from '../errors/index.ts';
import { parseConnectionString } from './connection-string.ts';
import { didYouMean } from './naming.ts';

export interface ConfigFileContents {
  readonly path: string;
  /** Folder the file lives in; relative paths inside it are resolved from here. */
  readonly dir: string;
  readonly connection: ReadonlyArray<readonly [string, unknown]>;
  readonly server: ReadonlyArray<readonly [string, unknown]>;
}

const SECTIONS = ['connection', 'server'];

function fail(path: string, message: string, cause?: unknown): never {
  throw new PgError(SqlState.ConfigFileError, `config file ${path}: ${message}`, {}, cause ? { cause } : undefined);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseDocument(path: string, text: string): unknown {
  try {
    return extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // Parser messages quote the offending line, which may hold a secret, so they stay in `cause`.
    return fail(path, 'is not valid JSON/YAML', err);
  }
}

export function readConfigFile(path: string): ConfigFileContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(path, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`, err);
  }
  const doc = parseDocument(path, text) ?? {};
  if (!isPlainObject(doc)) fail(path, 'must contain an object with "connection" and/or "server" sections');
  for (const key of Object.keys(doc)) {
    if (!SECTIONS.includes(key)) {
      fail(path, `unknown section "${key}".${didYouMean(key, SECTIONS)}`);
    }
  }
  return {
    path,
    dir: dirname(path),
    connection: connectionEntries(path, doc.connection),
    server: sectionEntries(path, 'server', doc.server),
  };
}

function connectionEntries(path: string, section: unknown): Array<[string, unknown]> {
  if (typeof section === 'string') return parseConnectionString(section, `connection string in config file ${path}`);
  return sectionEntries(path, 'connection', section);
}

function sectionEntries(path: string, name: string, section: unknown): Array<[string, unknown]> {
  if (section === undefined || section === null) return [];
  if (!isPlainObject(section)) fail(path, `section "${name}" must be an object`);
  return Object.entries(section);
}
