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
import { browsable, emptyOptionsDdl, presentIn, pseudoHidden, queueViewsQuery, textSize } from './exposure.ts';
import { JSM_SCHEMA } from './registry.ts';
import { userViewsColumnsQuery, userViewsTablesQuery } from './user-views-sys.ts';
import { constantViewDdl, plainTableDdl, shapedViewDdl, type SysTable, type SysValue, type ViewShape } from './sys-view.ts';

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
 * How the views that describe relations follow the engine they are read in (src/catalog/exposure.ts):
 * a relation the connection does not expose (Tables, Views, BrowsableSchemas) is absent from every
 * one of them, the site's per-queue views are listed like the relations, pseudo columns are hidden
 * unless PseudoColumns exposes them, and text columns have DefaultColumnSize when Other sets it.
 */
function shapeOf(table: SysTable, ctx: SysContext): ViewShape | undefined {
  const visible = `${browsable('t.schemaname')} AND ${presentIn('t.tablename')}`;
  const db = `'${ctx.database.replace(/'/g, "''")}'::text`;
  switch (table) {
    case SYS_SCHEMAS:
      return { where: browsable('t.schemaname') };
    case SYS_TABLES:
      return {
        where: visible,
        union: `SELECT ${db}, '${JSM_SCHEMA}'::text, v.relname, 'VIEW'::text, pg_catalog.obj_description(v.oid, 'pg_class'), false FROM (${queueViewsQuery()}) v WHERE ${browsable(`'${JSM_SCHEMA}'`)}
UNION ALL ${userViewsTablesQuery(ctx.database, ctx.userViewsSchema)} AND ${browsable('n.nspname')}`,
      };
    case SYS_TABLECOLUMNS: {
      const size = (col: string) => textSize('t.datatypename', `t.${col}`);
      const shown = { ishidden: pseudoHidden('t.ishidden', 't.tablename', 't.columnname'), length: size('length'), displaysize: size('displaysize'), numericprecision: size('numericprecision') };
      const cols = table.columns.map((c) => c.name.toLowerCase());
      // a queue view has the columns of QueueRequests (its SELECT * was expanded when it was created), all read only
      const queueCols = cols.map((c) => (c === 'tablename' ? 'v.relname' : c === 'isreadonly' ? 'true' : c in shown ? shown[c as keyof typeof shown] : `t.${c}`));
      return {
        where: visible,
        select: shown,
        union: `SELECT ${queueCols.join(', ')} FROM t JOIN (${queueViewsQuery()}) v ON true WHERE t.tablename = 'QueueRequests' AND ${browsable(`'${JSM_SCHEMA}'`)}
UNION ALL ${userViewsColumnsQuery(ctx.database, ctx.userViewsSchema)} AND ${browsable('n.nspname')}`,
      };
    }
    case SYS_KEYCOLUMNS:
    case SYS_FOREIGNKEYS:
      return { where: `${visible} AND (t.referencedtablename IS NULL OR ${presentIn('t.referencedtablename')})` };
    case SYS_PRIMARYKEYS:
    case SYS_INDEXES:
      return { where: visible };
    default:
      return undefined;
  }
}

/**
 * DDL for all thirteen. Re-runnable: the views are replaced (their rows follow the catalog and
 * the properties), sys_identity is created once and keeps its rows. The gateway's schema snapshot
 * is built with NO_PROPS and each engine gets the connection's values from connectionPropsDdl, so
 * that the snapshot (and its cache key) does not change with the URL, the credentials or the demo
 * simulator's port.
 */
export function sysTablesDdl(catalog: Catalog, props: SysProps, options: SysOptions = {}): string {
  const ctx: SysContext = { catalog, database: options.database ?? 'jsm', userViewsSchema: options.userViewsSchema ?? 'userviews' };
  return [
    emptyOptionsDdl(),
    ...SYS.map(([table, rows]) => {
      if (!rows) return plainTableDdl(table);
      if (table === SYS_CONNECTION_PROPS) return connectionPropsDdl(props);
      const shape = shapeOf(table, ctx);
      return shape ? shapedViewDdl(table, rows(ctx, props), shape) : constantViewDdl(table, rows(ctx, props));
    }),
  ].join('\n');
}

/** Properties without values (every one at its default): what the shared schema snapshot holds. */
export function noProps(defs: SysProps['defs']): SysProps {
  return { defs, values: {}, explicit: new Set() };
}

/**
 * sys_connection_props alone, with the connection's values: replaces the snapshot's (run by the
 * superuser, before a session starts). A property a session may SET (its spec's `setting`) shows
 * the session's value, and SET as its Source, while the setting has one.
 */
export function connectionPropsDdl(props: SysProps): string {
  const settable = props.defs.filter((d) => d.setting);
  const set = (d: (typeof settable)[number]) => `nullif(pg_catalog.current_setting('${d.setting}', true), '')`;
  const byName = (expr: (d: (typeof settable)[number]) => string, otherwise: string) =>
    settable.length ? `CASE t.name ${settable.map((d) => `WHEN '${d.name}' THEN ${expr(d)}`).join(' ')} ELSE ${otherwise} END` : otherwise;
  return shapedViewDdl(SYS_CONNECTION_PROPS, connectionPropsRows(props), {
    select: {
      value: byName((d) => `coalesce(${set(d)}, t.value)`, 't.value'),
      source: byName((d) => `CASE WHEN ${set(d)} IS NULL THEN t.source ELSE 'SET' END`, 't.source'),
    },
  });
}
