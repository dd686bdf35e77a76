import type pg from 'pg';
import { engineName, type Catalog } from '../../src/catalog/registry.ts';
import type { ColumnDecl, TableDecl } from '../../src/catalog/types.ts';
import { SCOPED_KIND, SCOPED_SCHEMA } from '../helpers/reference-db.ts';
import type { CorrectnessQuery } from './compare.ts';

export const lit = (v: string): string => `'${v.replace(/'/g, "''")}'`;
const likePrefix = (v: string) => lit(v.slice(0, 2).replace(/[\\%_]/g, '\\$&') + '%');

/** A value no dataset item has, for the "no rows" shapes (numeric, so an id-shaped API path still parses). */
export const MISSING = '99999999';

/** The most frequent non-null values of a column (ties by value), as text. */
async function samples(ref: pg.Client, t: string, c: string, scope: string, n = 2): Promise<string[]> {
  const r = await ref.query<{ v: string }>(
    `SELECT ${c}::text AS v FROM ${t} WHERE ${scope} AND ${c} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${n}`,
  );
  return r.rows.map((x) => x.v);
}

export interface GeneratedSet {
  readonly queries: CorrectnessQuery[];
  /** Tables the reference cannot answer for, with the reason. */
  readonly skipped: string[];
}

/**
 * The systematic part of the suite, for every relation of the catalog: whole scans, counts, each
 * key and filter column by `=` / `IN` / a missing value / IS NULL, each text column by `=` and LIKE,
 * date ranges, booleans, ORDER BY with LIMIT/OFFSET, DISTINCT and GROUP BY. Values come from the
 * reference data; relations with a required filter are scoped by that filter's most frequent value.
 */
export async function generateQueries(catalog: Catalog, ref: pg.Client): Promise<GeneratedSet> {
  const queries: CorrectnessQuery[] = [];
  const skipped: string[] = [];
  for (const table of catalog.tables) {
    const requiredPseudo = (table.required ?? []).filter((r) => catalog.column(table, r)?.pseudo);
    if (requiredPseudo.length) {
      skipped.push(`${table.name}: its rows depend on the API's handling of ${requiredPseudo.join(', ')}, which the reference cannot reproduce`);
      continue;
    }
    queries.push(...(await tableQueries(table, ref)));
    if (SCOPED_KIND[table.name]) queries.push(...(await scopedQueries(table, ref)));
  }
  return { queries, skipped };
}

async function tableQueries(table: TableDecl, ref: pg.Client): Promise<CorrectnessQuery[]> {
  const t = engineName(table.name);
  const origin = `generated ${table.name}`;
  const out: CorrectnessQuery[] = [];
  const add = (sql: string, extra: Partial<CorrectnessQuery> = {}) => out.push({ sql, origin, ...extra });

  const scopeTerms: string[] = [];
  for (const r of table.required ?? []) {
    const c = engineName(r);
    const [v] = await samples(ref, t, c, 'true', 1);
    scopeTerms.push(`${c} = ${lit(v ?? MISSING)}`);
  }
  const scope = scopeTerms.length ? scopeTerms.join(' AND ') : 'true';
  const where = (...terms: string[]) => {
    const all = [...scopeTerms, ...terms];
    return all.length ? ` WHERE ${all.join(' AND ')}` : '';
  };
  const keys = table.columns.filter((c) => c.key).map((c) => engineName(c.name));
  const keyList = keys.join(', ');
  const filterColumns = new Set(table.filters.map((f) => engineName(f.column)));
  const parentParams = new Set(Object.keys(table.parent?.keys ?? {}));
  const real = table.columns.filter((c) => !c.pseudo);

  add(`SELECT * FROM ${t}${where()}`);
  add(`SELECT count(*) FROM ${t}${where()}`);
  add(`SELECT ${keyList} FROM ${t}${where()} ORDER BY ${keyList} LIMIT 3 OFFSET 1`, { ordered: true });
  add(`SELECT ${real.map((c) => `count(${engineName(c.name)})`).join(', ')} FROM ${t}${where()}`);

  for (const c of table.columns) {
    const col = engineName(c.name);
    if (c.pseudo) {
      if (c.default !== undefined) add(`SELECT * FROM ${t}${where(`${col} = ${lit(c.default)}`)}`);
      continue;
    }
    const [v1, v2] = await samples(ref, t, col, scope);
    const echoes = c.bind !== undefined && c.remote !== undefined && !parentParams.has(c.bind);
    out.push(...columnQueries(t, col, c, { keyList, v1, v2, pushable: c.key === true || filterColumns.has(col), echoes, where, origin }));
  }

  const firstText = real.find((c) => c.type === 'text' && !c.key);
  if (firstText) {
    const col = engineName(firstText.name);
    add(`SELECT DISTINCT ${col} FROM ${t}${where()}`);
    add(`SELECT ${col}, count(*) AS n FROM ${t}${where()} GROUP BY ${col} ORDER BY n DESC, ${col} NULLS FIRST`, { ordered: true });
  }
  for (const r of table.required ?? []) add(`SELECT count(*) FROM ${t} WHERE ${engineName(r)} = ${lit(MISSING)}`);
  return out;
}

interface ColumnContext {
  keyList: string;
  v1: string | undefined;
  v2: string | undefined;
  /** A key or declared filter column: its quals may reach the API. */
  pushable: boolean;
  /**
   * Filled from the pushed value when filtered, else from the item (RequestTypes.GroupIds shows
   * the group asked for): `=` and IN differ from the reference by design; queries-entities.ts
   * compares them with a rewritten reference.
   */
  echoes: boolean;
  where: (...terms: string[]) => string;
  origin: string;
}

function columnQueries(t: string, col: string, c: ColumnDecl, x: ColumnContext): CorrectnessQuery[] {
  const out: CorrectnessQuery[] = [];
  const add = (sql: string) => out.push({ sql, origin: x.origin });
  const { keyList, v1, v2, where } = x;
  if (x.pushable) {
    add(`SELECT count(*) FROM ${t}${where(`${col} IS NULL`)}`);
    if (c.type === 'text') add(`SELECT * FROM ${t}${where(`${col} = ${lit(MISSING)}`)}`);
  }
  if (v1 === undefined) {
    if (!x.pushable) add(`SELECT count(*) FROM ${t}${where(`${col} IS NULL`)}`);
    return out;
  }
  switch (c.type) {
    case 'text':
      if (!x.echoes) add(`SELECT * FROM ${t}${where(`${col} = ${lit(v1)}`)}`);
      if (x.pushable && !x.echoes) {
        if (v2 !== undefined) add(`SELECT * FROM ${t}${where(`${col} IN (${lit(v1)}, ${lit(v2)})`)}`);
        add(`SELECT count(*) FROM ${t}${where(`${col} <> ${lit(v1)}`)}`);
        add(`SELECT ${keyList} FROM ${t}${where(`${col} = ${lit(v1)} OR ${col} IS NULL`)}`);
      }
      add(`SELECT ${keyList}, ${col} FROM ${t}${where(`${col} LIKE ${likePrefix(v1)}`)}`);
      add(`SELECT ${keyList} FROM ${t}${where(`upper(${col}) = upper(${lit(v1)})`)}`);
      break;
    case 'timestamptz':
      add(`SELECT ${keyList}, ${col} FROM ${t}${where(`${col} >= ${lit(v1)}`, `${col} < ${lit(v1)}::timestamptz + interval '90 days'`)}`);
      add(`SELECT date_trunc('month', ${col}) AS m, count(*) FROM ${t}${where()} GROUP BY 1`);
      break;
    case 'boolean':
      add(`SELECT ${keyList} FROM ${t}${where(col)}`);
      add(`SELECT ${keyList} FROM ${t}${where(`NOT ${col}`)}`);
      break;
    case 'integer':
    case 'bigint':
    case 'double precision':
      add(`SELECT ${keyList}, ${col} FROM ${t}${where(`${col} >= ${v1}`)}`);
      add(`SELECT sum(${col}), min(${col}), max(${col}) FROM ${t}${where()}`);
      break;
    case 'jsonb':
      add(`SELECT ${keyList}, ${col} FROM ${t}${where(`${col} IS NOT NULL`)}`);
      break;
  }
  if (!x.pushable) add(`SELECT count(*) FROM ${t}${where(`${col} IS NULL`)}`);
  return out;
}

/**
 * A relation whose rows depend on naming the parent (SCOPED_KIND): by each parent-bound column's
 * values, against the reference's per-parent copy of the relation.
 */
async function scopedQueries(table: TableDecl, ref: pg.Client): Promise<CorrectnessQuery[]> {
  const t = engineName(table.name);
  const scoped = `${SCOPED_SCHEMA}.${t}`;
  const origin = `generated ${table.name} by parent`;
  const out: CorrectnessQuery[] = [];
  const parentParams = new Set(Object.keys(table.parent?.keys ?? {}));
  for (const c of table.columns.filter((x) => x.bind && parentParams.has(x.bind))) {
    const col = engineName(c.name);
    const [v1, v2] = await samples(ref, scoped, col, 'true');
    if (v1 === undefined) continue;
    const pairs = [`${col} = ${lit(v1)}`, ...(v2 === undefined ? [] : [`${col} IN (${lit(v1)}, ${lit(v2)})`])];
    for (const where of pairs) {
      out.push({ sql: `SELECT * FROM ${t} WHERE ${where}`, reference: `SELECT * FROM ${scoped} WHERE ${where}`, origin });
      out.push({ sql: `SELECT count(*) FROM ${t} WHERE ${where}`, reference: `SELECT count(*) FROM ${scoped} WHERE ${where}`, origin });
    }
  }
  return out;
}
