import { JSM_SCHEMA } from './registry.ts';
import { quoteLiteral, sqlConstant } from './sql.ts';

export type SysType = 'text' | 'boolean' | 'integer' | 'smallint';
export type SysValue = string | number | boolean | null;

/** One column of a system table: the seed's name (the engine folds it to lower case). */
export interface SysColumn {
  readonly name: string;
  readonly type: SysType;
}

export interface SysTable {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly SysColumn[];
}

export const text = (name: string): SysColumn => ({ name, type: 'text' });
export const bool = (name: string): SysColumn => ({ name, type: 'boolean' });
export const int = (name: string): SysColumn => ({ name, type: 'integer' });
export const short = (name: string): SysColumn => ({ name, type: 'smallint' });

/**
 * A system table as a view over constant rows: the engine answers it (filters, joins, psql \d)
 * and no API call is made. Rows are given in column order.
 */
/** Quoted because some seed names are reserved words (sys_connection_props' Default and Values). */
const column = (c: SysColumn) => `"${c.name.toLowerCase()}"`;

export function constantViewDdl(table: SysTable, rows: readonly (readonly SysValue[])[]): string {
  const names = table.columns.map(column);
  const body = rows.length
    ? `SELECT * FROM (VALUES\n${rows.map((r) => `  (${table.columns.map((c, i) => sqlConstant(r[i], c.type)).join(', ')})`).join(',\n')}\n) AS t(${names.join(', ')})`
    : `SELECT ${table.columns.map((c, i) => `NULL::${c.type} AS ${names[i]}`).join(', ')} WHERE false`;
  const rel = `${JSM_SCHEMA}.${table.name}`;
  return [`CREATE OR REPLACE VIEW ${rel} AS ${body}`, `COMMENT ON VIEW ${rel} IS ${quoteLiteral(table.description)}`].map((s) => s + ';').join('\n');
}

/** A plain table with the system table's columns (rows are written at run time). */
export function plainTableDdl(table: SysTable): string {
  const rel = `${JSM_SCHEMA}.${table.name}`;
  const cols = table.columns.map((c) => `  ${column(c)} ${c.type}`).join(',\n');
  return [`CREATE TABLE IF NOT EXISTS ${rel} (\n${cols}\n)`, `COMMENT ON TABLE ${rel} IS ${quoteLiteral(table.description)}`].map((s) => s + ';').join('\n');
}

/**
 * What a system table's constant rows become per engine (src/catalog/exposure.ts): rows kept by a
 * condition, columns computed from them, rows added by a query over the engine's own catalog. The
 * constant rows are `t` (a CTE, so `union` may read them too); expressions refer to `t.<column>`.
 */
export interface ViewShape {
  readonly where?: string;
  /** Lower-case column name → expression replacing `t.<column>`. */
  readonly select?: Readonly<Record<string, string>>;
  /** A query with the table's columns, in order, appended with UNION ALL. */
  readonly union?: string;
}

/** Like constantViewDdl, with the rows shaped when the view is read (so per-engine state counts, not the snapshot's). */
export function shapedViewDdl(table: SysTable, rows: readonly (readonly SysValue[])[], shape: ViewShape): string {
  const names = table.columns.map(column);
  const values = rows.length
    ? `VALUES\n${rows.map((r) => `  (${table.columns.map((c, i) => sqlConstant(r[i], c.type)).join(', ')})`).join(',\n')}`
    : `SELECT ${table.columns.map((c, i) => `NULL::${c.type} AS ${names[i]}`).join(', ')} WHERE false`;
  const select = table.columns.map((c, i) => {
    const expr = shape.select?.[c.name.toLowerCase()];
    return expr ? `(${expr})::${c.type} AS ${names[i]}` : `t.${names[i]}`;
  });
  const body = `WITH t(${names.join(', ')}) AS (${values})\nSELECT ${select.join(', ')} FROM t${shape.where ? ` WHERE ${shape.where}` : ''}${shape.union ? `\nUNION ALL ${shape.union}` : ''}`;
  const rel = `${JSM_SCHEMA}.${table.name}`;
  return [`CREATE OR REPLACE VIEW ${rel} AS ${body}`, `COMMENT ON VIEW ${rel} IS ${quoteLiteral(table.description)}`].map((s) => s + ';').join('\n');
}
