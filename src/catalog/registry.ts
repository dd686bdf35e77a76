import { PROCEDURES, TABLES } from '../../catalog/index.ts';
import type { ColumnDecl, ProcedureDecl, TableDecl } from './types.ts';
import { validateCatalog } from './validate.ts';

/** Engine schema holding the JSM relations; on the default search_path so the seed's queries resolve unqualified. */
export const JSM_SCHEMA = 'jsm';
/**
 * Schema of the empty tables the JSM views read (the fetched rows are in their temp children). Its
 * pg_ prefix marks it internal: psql, pgjdbc and BI tools leave pg_* schemas out of their listings.
 */
export const ROWS_SCHEMA = 'pg_jsm_rows';
/** The engine role client SQL runs as: it owns nothing in the data model. */
export const CLIENT_ROLE = 'jsm_client';
/**
 * A relation's fetched rows live in a session-private temp table of the same name that inherits
 * its pg_jsm_rows table (temp tables stay writable in READ ONLY transactions); see schemaDdl.
 */
export function rowsTable(seedName: string): string {
  return `pg_temp.${rowsTableName(seedName)}`;
}

/**
 * Not the relation's own name: a client search_path without pg_temp searches pg_temp first, and
 * the rows table must never stand in for the guarded view.
 */
export const ROWS_TABLE_PREFIX = 'jsm_rows_of_';
export const rowsTableName = (seedName: string) => ROWS_TABLE_PREFIX + engineName(seedName);

/** Session temp tables a write stages its rows in (src/writes), e.g. jsm_stage_requestcomments. */
export const STAGE_TABLE_PREFIX = 'jsm_stage_';

/** The relation whose rows a temp table holds, from the rows table's name. */
export const relationOfRowsTable = (name: string) => (name.startsWith(ROWS_TABLE_PREFIX) ? name.slice(ROWS_TABLE_PREFIX.length) : undefined);

export interface Catalog {
  readonly tables: readonly TableDecl[];
  readonly procedures: readonly ProcedureDecl[];
  table(name: string): TableDecl | undefined;
  column(table: TableDecl, name: string): ColumnDecl | undefined;
}

export function engineName(seedName: string): string {
  return seedName.toLowerCase();
}

export function createCatalog(tables: readonly TableDecl[] = TABLES, procedures: readonly ProcedureDecl[] = PROCEDURES): Catalog {
  validateCatalog(tables, procedures);
  const byName = new Map(tables.map((t) => [engineName(t.name), t]));
  const columns = new Map(tables.map((t) => [t, new Map(t.columns.map((c) => [engineName(c.name), c]))]));
  return Object.freeze({
    tables,
    procedures,
    table: (name: string) => byName.get(name.toLowerCase()),
    column: (table: TableDecl, name: string) => columns.get(table)?.get(name.toLowerCase()),
  });
}

let defaultCatalog: Catalog | undefined;
export function getCatalog(): Catalog {
  defaultCatalog ??= createCatalog();
  return defaultCatalog;
}
