import { engineName } from '../catalog/registry.ts';
import type { ColumnDecl, TableDecl } from '../catalog/types.ts';

export type Row = Record<string, unknown>;

/**
 * Reads a catalog `remote` path: dotted keys, `a|b` for the first present, and per key a bracket:
 * `[]` maps over an array, `[N]` picks one element (negative counts from the end), `[k=v]` picks
 * the first element whose `k` equals `v` (e.g. `requestFieldValues[fieldId=customfield_10010]`).
 */
export function readPath(item: unknown, path: string): unknown {
  for (const alt of path.split('|')) {
    const v = walk(item, alt.split('.'));
    if (v !== undefined && v !== null) return v;
  }
  return null;
}

const BRACKET = /^([^[\]]*)\[([^\]]*)\]$/;

function walk(value: unknown, parts: string[]): unknown {
  if (parts.length === 0) return value;
  if (value === null || value === undefined) return undefined;
  const [head, ...rest] = parts as [string, ...string[]];
  const m = BRACKET.exec(head);
  if (!m) return walk((value as Record<string, unknown>)[head], rest);
  const arr = m[1] ? (value as Record<string, unknown>)[m[1]] : value;
  if (!Array.isArray(arr)) return undefined;
  const sel = m[2]!;
  if (sel === '') return arr.map((el) => walk(el, rest)).filter((v) => v !== undefined && v !== null);
  if (/^-?\d+$/.test(sel)) return walk(arr.at(Number(sel)), rest);
  const eq = sel.indexOf('=');
  const [k, want] = [sel.slice(0, eq), sel.slice(eq + 1)];
  return walk(arr.find((el) => el !== null && typeof el === 'object' && String((el as Record<string, unknown>)[k]) === want), rest);
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

const patterns = new Map<string, RegExp>();

/** The column's value from the binding, if the binding has one that fits the column. */
function boundValue(c: ColumnDecl, binding: Readonly<Record<string, string>>): string | undefined {
  const v = binding[c.bind!];
  if (v === undefined || !c.bindPattern) return v;
  let re = patterns.get(c.bindPattern);
  if (!re) patterns.set(c.bindPattern, (re = new RegExp(c.bindPattern)));
  return re.test(v) ? v : undefined;
}

/**
 * One API item → one engine row (engine column names). Bound columns and pseudo columns echo the
 * call's binding, so the engine's re-check of the pushed quals keeps the rows the API returned.
 */
export function mapRow(table: TableDecl, item: unknown, binding: Readonly<Record<string, string>>, paramOf: (c: ColumnDecl) => string | undefined): Row {
  const row: Row = {};
  for (const c of table.columns) {
    let v: unknown = null;
    const bound = c.bind ? boundValue(c, binding) : undefined;
    if (bound !== undefined) v = bound;
    else if (c.pseudo) {
      const p = paramOf(c);
      v = (p && binding[p]) ?? c.default ?? null;
    } else if (c.remote) v = readPath(item, c.remote);
    row[engineName(c.name)] = convert(c, v);
  }
  return row;
}
