/**
 * The seed's UserDefinedViews file: a JSON object whose keys name the views and whose values hold
 * the view's SQL in `query`:
 *   { "MyView": { "query": "SELECT * FROM Requests WHERE ServiceDeskId = '1'" } }
 * Other members of a view's object are kept as they are when the file is written back.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PgError, SqlState } from '../errors/index.ts';

export interface ViewEntry {
  readonly query: string;
  /** Members other than `query`, kept untouched. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Views by the name the file gives them (the user's spelling). */
export type ViewsDoc = ReadonlyMap<string, ViewEntry>;

function fileError(path: string, message: string, cause?: unknown): PgError {
  return new PgError(SqlState.ConfigFileError, `UserDefinedViews file ${path}: ${message}`, {}, cause ? { cause } : undefined);
}

/** The file's views; an empty set when it does not exist (the first CREATE LOCAL VIEW creates it). */
export async function readViewsFile(path: string): Promise<ViewsDoc> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new Map();
    throw fileError(path, `cannot be read (${code ?? 'error'})`, err);
  }
  return parseViews(path, text);
}

export function parseViews(path: string, text: string): ViewsDoc {
  if (text.trim() === '') return new Map();
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw fileError(path, `is not valid JSON (${(err as Error).message})`, err);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw fileError(path, 'must be a JSON object with one member per view');
  const out = new Map<string, ViewEntry>();
  for (const [name, value] of Object.entries(doc as Record<string, unknown>)) {
    const v = value as Record<string, unknown> | null;
    if (!v || typeof v !== 'object' || typeof v.query !== 'string' || v.query.trim() === '')
      throw fileError(path, `view "${name}" must be an object with a "query" string`);
    if (name.trim() === '' || name.length > 63) throw fileError(path, `view name "${name}" must be 1-63 characters long`);
    const { query, ...extra } = v;
    const lower = name.toLowerCase();
    if ([...out.keys()].some((k) => k.toLowerCase() === lower)) throw fileError(path, `view "${name}" is defined twice (names are not case sensitive)`);
    out.set(name, Object.keys(extra).length ? { query: query as string, extra } : { query: query as string });
  }
  return out;
}

export function formatViews(views: ViewsDoc): string {
  const doc: Record<string, unknown> = {};
  for (const [name, v] of views) doc[name] = { query: v.query, ...v.extra };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Replaces the file atomically (a temporary file renamed over it): a reader never sees half a file. */
export async function writeViewsFile(path: string, views: ViewsDoc): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, formatViews(views), { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw fileError(path, `cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
  }
}
