/** sys_connection_props, sys_sqlinfo and sys_identity: how to connect, what is pushed down, what writes did. */
import { maskedValue, type PropertyDef } from '../config/index.ts';
import type { SysContext } from './sys-schema-tables.ts';
import { bool, int, text, type SysTable, type SysValue } from './sys-view.ts';

type Rows = SysValue[][];

/** The session's connection properties: every definition, the values in force, and which were set explicitly. */
export interface SysProps {
  readonly defs: readonly PropertyDef[];
  readonly values: Readonly<Record<string, unknown>>;
  readonly explicit: ReadonlySet<string>;
  /** Where each explicit value came from (env, file, connection string, flag, override); the rest are defaults. */
  readonly origins?: ReadonlyMap<string, string>;
}

export const SYS_CONNECTION_PROPS: SysTable = {
  name: 'sys_connection_props',
  description: 'Returns information on the available connection properties and those set in the connection string.',
  columns: [
    text('Name'), text('ShortDescription'), text('Type'), text('Default'), text('Values'), text('Value'), bool('Required'), text('Category'),
    text('IsSessionProperty'), text('Sensitivity'), text('PropertyName'), int('Ordinal'), int('CatOrdinal'), text('Hierarchy'), bool('Visible'),
    text('ETC'), text('Source'),
  ],
};
/**
 * Sensitive values (and defaults) show as '********'; ETC says whether the value was set or is the
 * default; Source (the gateway's, after the seed's columns) where it came from: default, env, file,
 * connection string, flag, override (demo mode), or SET (a session's own, see connectionPropsDdl).
 */
export function connectionPropsRows(props: SysProps): Rows {
  return props.defs.map((d) => {
    const value = props.values[d.name] ?? d.default;
    return [
      d.name, d.description, d.type, maskedValue(d, d.default), d.values.join(','), maskedValue(d, value), d.required, d.category,
      String(d.session), d.sensitivity, d.propertyName, d.ordinal, d.catOrdinal, '', true, props.explicit.has(d.name) ? 'explicit' : 'default',
      props.origins?.get(d.name) ?? (props.explicit.has(d.name) ? 'explicit' : 'default'),
    ];
  });
}

export const SYS_SQLINFO: SysTable = {
  name: 'sys_sqlinfo',
  description: 'Describes the SELECT query processing that the connector can offload to the data source.',
  columns: [text('NAME'), text('VALUE')],
};

/**
 * What reaches the JSM API: only `=` and IN (one call per value unless the API takes a list) on
 * each relation's filter columns, joined by AND. Everything else — other operators, OR, joins,
 * aggregates, GROUP BY, ORDER BY — runs in the gateway's PostgreSQL engine over the fetched rows,
 * so results are complete either way; only the number of API calls differs.
 */
export function sqlInfoRows(ctx: SysContext): Rows {
  const pseudo = ctx.catalog.tables.flatMap((t) => t.columns.filter((c) => c.pseudo).map((c) => `${t.name}.${c.name}`));
  const info: [string, string][] = [
    ['AGGREGATE_FUNCTIONS', 'NO'],
    ['COUNT', 'NO'],
    ['IDENTIFIER_QUOTE_OPEN_CHAR', '"'],
    ['IDENTIFIER_QUOTE_CLOSE_CHAR', '"'],
    ['SUPPORTED_OPERATORS', '=, IN, AND'],
    ['ENGINE_EVALUATED', 'Every other operator (>, <, >=, <=, <>, !=, LIKE, NOT LIKE, NOT IN, IS NULL, IS NOT NULL, OR), functions, joins, aggregates, GROUP BY and ORDER BY are evaluated by the gateway\'s PostgreSQL engine over the rows the API returned.'],
    ['GROUP_BY', 'NO'],
    ['REPLICATION_SKIP_TABLES', ''],
    ['REPLICATION_TIMECHECK_COLUMNS', ''],
    ['IDENTIFIER_PATTERN', '^[A-Za-z_][A-Za-z0-9_$]*$'],
    ['SUPPORT_TRANSACTION', 'NO'],
    ['DIALECT', 'PostgreSQL'],
    ['KEY_PROPERTIES', 'URL,User'],
    ['SUPPORTS_MULTIPLE_SCHEMAS', 'YES'],
    ['SUPPORTS_MULTIPLE_CATALOGS', 'NO'],
    ['DATASYNCVERSION', ''],
    ['DATASYNCCATEGORY', 'Source'],
    ['SUPPORTSENHANCEDSQL', 'TRUE'],
    ['SUPPORTS_BATCH_OPERATIONS', 'NO'],
    ['PREFERRED_CACHE_OPTIONS', ''],
    ['ENABLE_EF_ADVANCED_QUERY', 'NO'],
    ['PSEUDO_COLUMNS', pseudo.join(',')],
    ['MERGE_ALWAYS', 'FALSE'],
    ['REPLICATION_MIN_DATE_QUERY', ''],
    ['REPLICATION_MIN_FUNCTION', ''],
    ['REPLICATION_START_DATE', ''],
    ['REPLICATION_MAX_DATE_QUERY', ''],
    ['REPLICATION_MAX_FUNCTION', ''],
    ['IGNORE_INTERVALS_ON_INITIAL_REPLICATE', ''],
    ['CHECKCACHE_USE_PARENTID', 'FALSE'],
    ['CREATE_SCHEMA_PROCEDURES', ctx.catalog.procedures.some((p) => p.name === 'CreateSchema') ? 'CreateSchema' : ''],
    // exactly what reaches the API, relation by relation (src/planner/scan-plan.ts reads the same declarations)
    ['PUSHED_FILTERS', pushedFilters(ctx)],
    ['PUSHED_LIMIT', 'LIMIT (and MaxRows) when the statement reads one relation, every condition on it is pushed, and there is no join, aggregate, DISTINCT, GROUP BY, ORDER BY or window: the fetch stops at that many rows.'],
    ['PUSHED_JOINS', 'a join on a parent key (e.g. RequestComments.RequestId = Requests.RequestId) fetches the child relation only for the parent rows fetched.'],
  ];
  return info;
}

/**
 * `Requests: RequestId = (IN: a call per value), ServiceDeskId =, …; …`: the columns whose `=` or
 * IN goes to the API, per relation; `IN (one call)` when the API takes a list. Pseudo columns are inputs.
 */
function pushedFilters(ctx: SysContext): string {
  return ctx.catalog.tables
    .filter((t) => t.filters.length)
    .map((t) => {
      const cols = new Map<string, string>();
      for (const f of t.filters) cols.set(f.column, f.operators.includes('in') ? '=, IN (one call)' : '=, IN (a call per value)');
      return `${t.name}: ${[...cols].map(([c, ops]) => `${c} ${ops}`).join(', ')}`;
    })
    .join('; ');
}

/** Filled by the write path; a plain table so INSERT/UPDATE/DELETE can record their outcome. */
export const SYS_IDENTITY: SysTable = {
  name: 'sys_identity',
  description: 'Returns information about attempted modifications.',
  columns: [text('Id'), text('Batch'), text('Operation'), text('Message')],
};

