/**
 * sys_tables and sys_tablecolumns rows of the user-defined views (src/userviews): read from the
 * engine's own catalog when queried, since the views are created per session (from the user's
 * views file, by CREATE LOCAL VIEW or by a plain CREATE VIEW in the schema) after the snapshot.
 * Each query has the columns of its system table in order, for a UNION ALL after the constant rows.
 */
import { quoteLiteral } from './sql.ts';

/** The comment src/userviews gives each view: `User defined view <name as the file spells it>: <query>`. */
const spelled = `coalesce(substring(d.description from '^User defined view (.*?): '), c.relname::text)`;

const VIEWS_FROM = `pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0`;
const isUserView = (schema: string) => `n.nspname = ${quoteLiteral(schema.toLowerCase())} AND c.relkind IN ('v', 'm')`;

/** CatalogName, SchemaName, TableName, TableType, Description, IsUpdateable. */
export function userViewsTablesQuery(database: string, schema: string): string {
  return `SELECT ${quoteLiteral(database)}::text, n.nspname::text, ${spelled}, 'VIEW'::text, d.description::text, false FROM ${VIEWS_FROM} WHERE ${isUserView(schema)}`;
}

/** JDBC type code and sizes by engine type, as the data model's columns report them (sys-schema-tables.ts). */
const TYPES: readonly [string, number, number | null, number | null, number | null, number | null][] = [
  ['text', 12, 2147483647, 2147483647, 2147483647, null],
  ['character varying', 12, 2147483647, 2147483647, 2147483647, null],
  ['boolean', 16, 1, 5, 1, null],
  ['timestamp with time zone', 93, 35, 35, 35, 6],
  ['timestamp without time zone', 93, 29, 29, 29, 6],
  ['date', 91, 13, 13, 13, 0],
  ['integer', 4, 4, 11, 10, 0],
  ['smallint', 5, 2, 6, 5, 0],
  ['bigint', -5, 8, 20, 19, 0],
  ['double precision', 8, 8, 25, 17, null],
  ['numeric', 2, 131089, 131089, 131089, null],
  ['jsonb', 1111, 2147483647, 2147483647, 2147483647, null],
];

const num = (v: number | null) => (v === null ? 'NULL::integer' : `${v}`);

/**
 * CatalogName, SchemaName, TableName, ColumnName, DataTypeName, DataType, Length, DisplaySize,
 * NumericPrecision, NumericScale, IsNullable, Description, Ordinal, IsAutoIncrement,
 * IsGeneratedColumn, IsHidden, IsArray, IsReadOnly, IsKey. A view's columns are read only.
 */
export function userViewsColumnsQuery(database: string, schema: string): string {
  const types = TYPES.map(([name, ...v]) => `(${quoteLiteral(name)}::pg_catalog.regtype::pg_catalog.oid, ${v.map(num).join(', ')})`).join(', ');
  return `SELECT ${quoteLiteral(database)}::text, n.nspname::text, ${spelled}, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
    coalesce(ty.jdbc, CASE WHEN tp.typcategory = 'A' THEN 2003 ELSE 1111 END), ty.length, ty.display, ty.prec, ty.scale, NOT a.attnotnull,
    pg_catalog.col_description(c.oid, a.attnum), a.attnum::integer, 'false'::text, 'false'::text, false, tp.typcategory = 'A', true, false
  FROM ${VIEWS_FROM}
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type tp ON tp.oid = a.atttypid
  LEFT JOIN (VALUES ${types}) AS ty(oid, jdbc, length, display, prec, scale) ON ty.oid = a.atttypid
  WHERE ${isUserView(schema)}`;
}
