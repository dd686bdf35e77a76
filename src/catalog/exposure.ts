/**
 * What a connection exposes of the data model (issue 13): Tables, Views and BrowsableSchemas choose
 * the relations and schemas, PseudoColumns which pseudo columns count as columns, Other's
 * DefaultColumnSize and ConvertDateTimeToGMT how columns and timestamps are reported.
 *
 * None of it may enter the shared schema snapshot (its cache key is the schema alone), so each
 * engine gets it when it boots (exposureDdl, run by the superuser before the client's role is
 * taken): relations not exposed move to a schema the client cannot use (a query on one fails with
 * 42P01, as for any unknown relation), and pg_jsm_rows.connection_options holds the choices the
 * sys_* views read when they are queried (sysShapes), next to the engine's own pg_class.
 */
import { closestName } from '../config/naming.ts';
import { parseNameList, parseOther, parsePseudoColumns, type OtherOptions, type QualifiedName } from '../config/property-lists.ts';
import type { ConnectionProperties } from '../config/registry.ts';
import { PgError, SqlState } from '../errors/index.ts';
import { CLIENT_ROLE, engineName, JSM_SCHEMA, ROWS_SCHEMA, type Catalog } from './registry.ts';
import { quoteLiteral as q } from './sql.ts';
import type { TableDecl } from './types.ts';

/** Where relations a connection does not expose are kept: off the client's reach and off psql's listings (pg_ prefix). */
export const HIDDEN_SCHEMA = 'pg_jsm_hidden';
/** The per-engine choices the sys_* views read: (kind, a, b) rows. */
export const OPTIONS_VIEW = `${ROWS_SCHEMA}.connection_options`;
/** Per-queue views (src/catalog/queue-views.ts) are named queue_<desk>_<queue>. */
export const QUEUE_VIEW_PREFIX = 'queue_';

export interface Exposure {
  /** Catalog relations a query may not name. */
  readonly hidden: readonly TableDecl[];
  /** Whether a per-queue view of this name is created. */
  readonly keepQueueView: (name: string) => boolean;
  /** Exposed pseudo columns, lower case; '*' for any. */
  readonly pseudo: readonly { table: string; column: string }[];
  readonly hiddenSchemas: readonly string[];
  readonly other: OtherOptions;
}

type ExposureProps = Pick<ConnectionProperties, 'Tables' | 'Views' | 'BrowsableSchemas' | 'PseudoColumns' | 'Other' | 'UserViewsSchemaName'>;

const badName = (property: string, name: string, candidates: string[], hint: string) =>
  new PgError(SqlState.InvalidParameterValue, `connection property ${property} names "${name}", which is not a ${property === 'Tables' ? 'table' : 'view'} of the data model.${(() => {
    const guess = closestName(name, candidates);
    return guess ? ` Did you mean "${guess}"?` : '';
  })()}`, { hint });

function schemaOk(n: QualifiedName, property: string): void {
  if (n.schema && n.schema.toLowerCase() !== JSM_SCHEMA)
    throw new PgError(SqlState.InvalidParameterValue, `connection property ${property} names "${n.schema}.${n.name}": the JSM relations are in schema ${JSM_SCHEMA}`);
}

/** Validates and resolves the properties against the catalog; errors name the property and the bad name (raised at start). */
export function exposureFor(catalog: Catalog, props: ExposureProps): Exposure {
  const hidden = new Set<TableDecl>();
  const listed = (property: 'Tables' | 'Views', kind: TableDecl['kind']) => {
    const names = parseNameList(property, props[property]);
    if (names.length === 0) return undefined;
    const ofKind = catalog.tables.filter((t) => t.kind === kind);
    const keep = new Set<string>();
    for (const n of names) {
      schemaOk(n, property);
      const t = catalog.table(n.name);
      if (t && t.kind === kind) keep.add(engineName(t.name));
      else if (kind === 'view' && n.name.toLowerCase().startsWith(QUEUE_VIEW_PREFIX)) keep.add(n.name.toLowerCase());
      else if (t) throw new PgError(SqlState.InvalidParameterValue, `connection property ${property} names ${t.name}, which is a ${t.kind}: list it in ${property === 'Tables' ? 'Views' : 'Tables'}`);
      else throw badName(property, n.name, ofKind.map((x) => x.name), `${property} lists ${kind}s of the data model${kind === 'view' ? ' and per-queue views (queue_…)' : ''}: SELECT TableName FROM sys_tables WHERE TableType = '${kind.toUpperCase()}'.`);
    }
    for (const t of ofKind) if (!keep.has(engineName(t.name))) hidden.add(t);
    return keep;
  };
  listed('Tables', 'table');
  const views = listed('Views', 'view');

  const schemas = parseNameList('BrowsableSchemas', props.BrowsableSchemas).map((n) => n.name.toLowerCase());
  const known = [JSM_SCHEMA, props.UserViewsSchemaName.toLowerCase()];
  for (const s of schemas)
    if (!known.includes(s))
      throw new PgError(SqlState.InvalidParameterValue, `connection property BrowsableSchemas names "${s}", which is not a schema of the gateway`, { hint: `The schemas are ${known.join(' and ')}.` });
  const hiddenSchemas = schemas.length ? known.filter((s) => !schemas.includes(s)) : [];
  const jsmHidden = hiddenSchemas.includes(JSM_SCHEMA);
  if (jsmHidden) for (const t of catalog.tables) hidden.add(t);

  const pseudo = parsePseudoColumns(props.PseudoColumns).map((p) => {
    const table = p.table === '*' ? undefined : catalog.table(p.table);
    if (p.table !== '*' && !table)
      throw badName('PseudoColumns', p.table, catalog.tables.map((t) => t.name), 'PseudoColumns pairs a relation with one of its pseudo columns: Table=Column.');
    const candidates = (table ? [table] : catalog.tables).flatMap((t) => t.columns.filter((c) => c.pseudo).map((c) => c.name));
    if (p.column !== '*' && !candidates.some((c) => c.toLowerCase() === p.column.toLowerCase()))
      throw new PgError(SqlState.InvalidParameterValue, `connection property PseudoColumns names "${p.table}=${p.column}", which is not a pseudo column`, {
        hint: `Pseudo columns${table ? ` of ${table.name}` : ''}: ${[...new Set(candidates)].join(', ') || 'none'}.`,
      });
    return { table: p.table === '*' ? '*' : engineName(table!.name), column: p.column.toLowerCase() };
  });

  return {
    hidden: [...hidden],
    keepQueueView: (name) => !jsmHidden && (!views || views.has(name.toLowerCase())),
    pseudo,
    hiddenSchemas,
    other: parseOther(props.Other),
  };
}

/** The options view with no choices (the snapshot's): every relation shown, pseudo columns hidden. */
export function emptyOptionsDdl(): string {
  return `CREATE OR REPLACE VIEW ${OPTIONS_VIEW} AS SELECT NULL::text AS kind, NULL::text AS a, NULL::text AS b WHERE false;`;
}

/** Per engine, before the client's role is taken: hide what is not exposed and record the choices. */
export function exposureDdl(e: Exposure): string {
  const rows: [string, string, string | null][] = [
    ...e.pseudo.map((p): [string, string, string] => ['pseudo', p.table, p.column]),
    ...e.hiddenSchemas.map((s): [string, string, null] => ['hidden_schema', s, null]),
    ...(e.other.defaultColumnSize ? [['column_size', String(e.other.defaultColumnSize), null] as [string, string, null]] : []),
  ];
  const out: string[] = [];
  out.push(rows.length
    ? `CREATE OR REPLACE VIEW ${OPTIONS_VIEW} AS SELECT * FROM (VALUES ${rows.map((r) => `(${r.map((v) => (v === null ? 'NULL::text' : `${q(v)}::text`)).join(', ')})`).join(', ')}) AS t(kind, a, b);`
    : emptyOptionsDdl());
  if (e.hidden.length) {
    out.push(`CREATE SCHEMA IF NOT EXISTS ${HIDDEN_SCHEMA};`);
    for (const t of e.hidden) {
      const name = engineName(t.name);
      // the keys were moved onto the view (schemaDdl): their indexes go along, so \di lists none of a hidden relation
      out.push(`DO $$
DECLARE i record;
BEGIN
  FOR i IN SELECT c.relname FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = '${JSM_SCHEMA}.${name}'::regclass LOOP
    BEGIN
      EXECUTE format('ALTER INDEX ${JSM_SCHEMA}.%I SET SCHEMA ${HIDDEN_SCHEMA}', i.relname);
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
  END LOOP;
END $$;`);
      out.push(`REVOKE ALL ON ${JSM_SCHEMA}.${name} FROM ${CLIENT_ROLE};`, `ALTER VIEW ${JSM_SCHEMA}.${name} SET SCHEMA ${HIDDEN_SCHEMA};`);
    }
  }
  // SET (not LOCAL) outlasts the prepare; a client's own TimeZone (startup parameter or SET) still wins
  if (e.other.convertDateTimeToGmt !== undefined) out.push(`SET TimeZone = ${q(e.other.convertDateTimeToGmt ? 'GMT' : localTimeZone())};`);
  return out.join('\n');
}

/** The gateway machine's time zone ("local time of the machine", the seed's alternative to GMT). */
function localTimeZone(): string {
  return process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `t.<tablename column>` names a relation that is there in this engine (not hidden). */
export function presentIn(tableColumn: string): string {
  return `EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = '${JSM_SCHEMA}'::regnamespace AND c.relname = lower(${tableColumn}))`;
}

/** `t.<schema column>` is a schema BrowsableSchemas reports. */
export function browsable(schemaColumn: string): string {
  return `NOT EXISTS (SELECT 1 FROM ${OPTIONS_VIEW} o WHERE o.kind = 'hidden_schema' AND o.a = lower(${schemaColumn}))`;
}

/** A pseudo column PseudoColumns does not expose is hidden (sys_tablecolumns IsHidden). */
export function pseudoHidden(pseudo: string, table: string, column: string): string {
  return `${pseudo} AND NOT EXISTS (SELECT 1 FROM ${OPTIONS_VIEW} o WHERE o.kind = 'pseudo' AND o.a IN ('*', lower(${table})) AND o.b IN ('*', lower(${column})))`;
}

/** A text column's size: DefaultColumnSize when Other sets it, else the constant given. */
export function textSize(typeName: string, constant: string): string {
  return `CASE WHEN ${typeName} = 'text' THEN coalesce((SELECT max(CASE WHEN o.kind = 'column_size' THEN o.a::integer END) FROM ${OPTIONS_VIEW} o), ${constant}) ELSE ${constant} END`;
}

/** The per-queue views of this engine: created by the gateway (not the client role) in schema jsm. */
export function queueViewsQuery(): string {
  return `SELECT c.oid, c.relname::text AS relname FROM pg_catalog.pg_class c WHERE c.relnamespace = '${JSM_SCHEMA}'::regnamespace AND c.relkind = 'v'
    AND c.relname LIKE '${QUEUE_VIEW_PREFIX.replace('_', '\\_')}%' AND pg_catalog.pg_get_userbyid(c.relowner) <> '${CLIENT_ROLE}'`;
}
