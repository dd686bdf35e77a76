import { engineName } from '../catalog/registry.ts';
import type { ColumnDecl, TableDecl } from '../catalog/types.ts';

export type Row = Record<string, unknown>;

/** Reads a catalog `remote` path: dotted keys, `[]` to map over arrays, `a|b` for the first present. */
export function readPath(item: unknown, path: string): unknown {
  for (const alt of path.split('|')) {
    const v = walk(item, alt.split('.'));
    if (v !== undefined && v !== null) return v;
  }
  return null;
}

function walk(value: unknown, parts: string[]): unknown {
  if (parts.length === 0) return value;
  if (value === null || value === undefined) return undefined;
  const [head, ...rest] = parts as [string, ...string[]];
  if (head.endsWith('[]')) {
    const arr = (value as Record<string, unknown>)[head.slice(0, -2)];
    if (!Array.isArray(arr)) return undefined;
    return arr.map((el) => walk(el, rest)).filter((v) => v !== undefined && v !== null);
  }
  return walk((value as Record<string, unknown>)[head], rest);
}

function convert(c: ColumnDecl, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (c.type) {
    case 'jsonb':
      return v;
    case 'boolean':
      return typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true';
    case 'integer':
    case 'bigint':
    case 'double precision':
      return typeof v === 'number' ? v : Number(v);
    case 'timestamptz':
      return typeof v === 'number' ? new Date(v).toISOString() : String(v);
    default:
      if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : null;
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/**
 * One API item → one engine row (engine column names). Bound columns and pseudo columns echo the
 * call's binding, so the engine's re-check of the pushed quals keeps the rows the API returned.
 */
export function mapRow(table: TableDecl, item: unknown, binding: Readonly<Record<string, string>>, paramOf: (c: ColumnDecl) => string | undefined): Row {
  const row: Row = {};
  for (const c of table.columns) {
    let v: unknown = null;
    if (c.bind) v = binding[c.bind] ?? null;
    else if (c.pseudo) {
      const p = paramOf(c);
      v = (p && binding[p]) ?? c.default ?? null;
    } else if (c.remote) v = readPath(item, c.remote);
    row[engineName(c.name)] = convert(c, v);
  }
  return row;
}
