/**
 * The thirteen system tables of the seed, created in schema `jsm` next to the JSM relations:
 * views over constant rows built from the catalog and the session's connection properties (the
 * engine answers them without any API call), and sys_identity, a plain table the write path fills.
 */
import type { Catalog } from './registry.ts';
import { connectionPropsRows, sqlInfoRows, SYS_CONNECTION_PROPS, SYS_IDENTITY, SYS_SQLINFO, type SysProps } from './sys-info-tables.ts';
import { foreignKeysRows, indexesRows, keyColumnsRows, primaryKeysRows, SYS_FOREIGNKEYS, SYS_INDEXES, SYS_KEYCOLUMNS, SYS_PRIMARYKEYS } from './sys-key-tables.ts';
import {
  catalogsRows, proceduresRows, procedureParametersRows, schemasRows, SYS_CATALOGS, SYS_PROCEDUREPARAMETERS, SYS_PROCEDURES, SYS_SCHEMAS,
  SYS_TABLECOLUMNS, SYS_TABLES, tableColumnsRows, tablesRows, type SysContext,
} from './sys-schema-tables.ts';
import { constantViewDdl, plainTableDdl, type SysTable, type SysValue } from './sys-view.ts';

export type { SysProps } from './sys-info-tables.ts';

export interface SysOptions {
  /** CatalogName of every row: the database the client connected to. */
  readonly database?: string;
  readonly userViewsSchema?: string;
}

type Builder = (ctx: SysContext, props: SysProps) => SysValue[][];

/** In the seed's order; sys_identity (no builder) is a table, the others are views. */
const SYS: readonly [SysTable, Builder | undefined][] = [
  [SYS_CATALOGS, catalogsRows],
  [SYS_SCHEMAS, schemasRows],
  [SYS_TABLES, tablesRows],
  [SYS_TABLECOLUMNS, tableColumnsRows],
  [SYS_PROCEDURES, proceduresRows],
  [SYS_PROCEDUREPARAMETERS, procedureParametersRows],
  [SYS_KEYCOLUMNS, keyColumnsRows],
  [SYS_FOREIGNKEYS, foreignKeysRows],
  [SYS_PRIMARYKEYS, primaryKeysRows],
  [SYS_INDEXES, indexesRows],
  [SYS_CONNECTION_PROPS, (_ctx, props) => connectionPropsRows(props)],
  [SYS_SQLINFO, sqlInfoRows],
  [SYS_IDENTITY, undefined],
];

/** Names and columns of the system tables, for code that needs to recognise them. */
export const SYSTEM_TABLES: readonly SysTable[] = SYS.map(([t]) => t);

/**
 * DDL for all thirteen. Re-runnable: the views are replaced (their rows follow the catalog and
 * the properties), sys_identity is created once and keeps its rows. The gateway's schema snapshot
 * is built with NO_PROPS and each engine gets the connection's values from connectionPropsDdl, so
 * that the snapshot (and its cache key) does not change with the URL, the credentials or the demo
 * simulator's port.
 */
export function sysTablesDdl(catalog: Catalog, props: SysProps, options: SysOptions = {}): string {
  const ctx: SysContext = { catalog, database: options.database ?? 'jsm', userViewsSchema: options.userViewsSchema ?? 'userviews' };
  return SYS.map(([table, rows]) => (rows ? constantViewDdl(table, rows(ctx, props)) : plainTableDdl(table))).join('\n');
}

/** Properties without values (every one at its default): what the shared schema snapshot holds. */
export function noProps(defs: SysProps['defs']): SysProps {
  return { defs, values: {}, explicit: new Set() };
}

/** sys_connection_props alone, with the connection's values: replaces the snapshot's (run by the superuser, before a session starts). */
export function connectionPropsDdl(props: SysProps): string {
  return constantViewDdl(SYS_CONNECTION_PROPS, connectionPropsRows(props));
}
