import { CLIENT_ROLE, engineName, JSM_SCHEMA, ROWS_SCHEMA, rowsTable, ROWS_TABLE_PREFIX, STAGE_TABLE_PREFIX, type Catalog } from './registry.ts';
import { quoteLiteral as q } from './sql.ts';
import { habitOperatorsDdl } from './habits-ddl.ts';
import { proceduresDdl } from './procedures-ddl.ts';
import type { TableDecl } from './types.ts';

const rel = (t: TableDecl) => `${JSM_SCHEMA}.${engineName(t.name)}`;
const rowsParent = (t: TableDecl) => `${ROWS_SCHEMA}.${engineName(t.name)}`;

/** Constraint names, shared with the sys_* metadata tables so both describe the same objects. */
export const pkeyName = (t: TableDecl) => `${engineName(t.name)}_pkey`;
export const uniqueName = (t: TableDecl, column: string) => `${engineName(t.name)}_${engineName(column)}_key`;
export const fkeyName = (t: TableDecl, column: string) => `${engineName(t.name)}_${engineName(column)}_fkey`;

/**
 * Columns other tables reference that are not the whole primary key of their table: they get a
 * UNIQUE constraint, which a foreign key needs.
 */
export function uniqueColumns(catalog: Catalog): { table: TableDecl; column: string }[] {
  const out: { table: TableDecl; column: string }[] = [];
  const seen = new Set<string>();
  for (const t of catalog.tables)
    for (const c of t.columns) {
      if (!c.references) continue;
      const target = catalog.table(c.references.table)!;
      const column = catalog.column(target, c.references.column)!.name;
      const keys = target.columns.filter((k) => k.key);
      const id = `${target.name}.${column}`;
      if (seen.has(id) || (keys.length === 1 && keys[0]!.name === column)) continue;
      seen.add(id);
      out.push({ table: target, column });
    }
  return out;
}

/** CREATE TABLE with the relation's columns, primary key and unique keys (foreign keys come after every table exists). */
function tableWithKeys(catalog: Catalog, t: TableDecl, name: string): string {
  const unique = uniqueColumns(catalog);
  const cols = t.columns.map((c) => `  ${engineName(c.name)} ${c.type}`);
  const keys = t.columns.filter((c) => c.key).map((c) => engineName(c.name));
  cols.push(`  CONSTRAINT ${pkeyName(t)} PRIMARY KEY (${keys.join(', ')})`);
  for (const u of unique) if (u.table === t) cols.push(`  CONSTRAINT ${uniqueName(t, u.column)} UNIQUE (${engineName(u.column)})`);
  return `CREATE TABLE ${name} (\n${cols.join(',\n')}\n)`;
}

function foreignKeys(catalog: Catalog, nameOf: (t: TableDecl) => string): string[] {
  const out: string[] = [];
  for (const t of catalog.tables)
    for (const c of t.columns) {
      if (!c.references) continue;
      const target = catalog.table(c.references.table)!;
      out.push(
        `ALTER TABLE ${nameOf(t)} ADD CONSTRAINT ${fkeyName(t, c.name)} FOREIGN KEY (${engineName(c.name)}) REFERENCES ${nameOf(target)} (${engineName(c.references.column)}) NOT VALID`,
      );
    }
  return out;
}

function comments(t: TableDecl, kind: 'TABLE' | 'VIEW'): string[] {
  return [
    `COMMENT ON ${kind} ${rel(t)} IS ${q(t.description)}`,
    ...t.columns.map((c) => `COMMENT ON COLUMN ${rel(t)}.${engineName(c.name)} IS ${q(columnComment(c))}`),
  ];
}

/**
 * The data model as plain tables with keys, as a reference PostgreSQL holds it (tests load the
 * simulator's dataset into it to compare results with the gateway's).
 */
export function referenceSchemaDdl(catalog: Catalog): string {
  const out = [`CREATE SCHEMA IF NOT EXISTS ${JSM_SCHEMA}`];
  for (const t of catalog.tables) out.push(tableWithKeys(catalog, t, rel(t)), ...comments(t, 'TABLE'));
  out.push(...foreignKeys(catalog, rel));
  return out.map((s) => s + ';').join('\n');
}

/**
 * The schema snapshot every session engine starts from (DESIGN.md §6).
 *
 * Each JSM relation is a view, `jsm.requests AS SELECT * FROM pg_jsm_rows.requests WHERE
 * pg_jsm_rows.fetched('requests')` (the guard lives in pg_jsm_rows, off the search_path, so `\df`
 * lists only the user's functions): Postgres plans the check as a One-Time Filter, so every read runs it
 * once, even of an empty relation, in joins, SQL and PL/pgSQL function bodies, DO blocks,
 * triggers and materialized view refreshes alike, and it fails unless the gateway fetched that
 * relation for the running statement. (Row-level security cannot do this: its check is a per-row
 * filter that an empty relation never runs.) The rows are in a session-private temp child of
 * pg_jsm_rows.requests, owned by the engine's superuser and written only through pg_jsm_rows.load, so
 * they stay writable inside READ ONLY transactions and unreadable except through the view.
 *
 * Views carry no keys, and pgjdbc's getPrimaryKeys/getImportedKeys (Metabase's join detection)
 * read them from pg_constraint and pg_index; so the keys are built on the rows tables and then
 * re-attached to the views in the catalogs (the snapshot is built by the superuser with
 * allow_system_table_mods, which PGlite's single-user backend runs with).
 *
 * Client SQL runs as the role jsm_client, which owns nothing here: it cannot alter, drop,
 * replace or write the relations, the guard or the sys_* tables (42501).
 */
export function schemaDdl(catalog: Catalog, userViewsSchema = 'userviews'): string {
  const out: string[] = [
    `DO $$ BEGIN CREATE ROLE ${CLIENT_ROLE} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    `CREATE SCHEMA IF NOT EXISTS ${JSM_SCHEMA}`,
    `COMMENT ON SCHEMA ${JSM_SCHEMA} IS 'Jira Service Management entities, served live through the JSM REST API'`,
    `CREATE SCHEMA IF NOT EXISTS ${userViewsSchema}`,
    `COMMENT ON SCHEMA ${userViewsSchema} IS 'User defined views over the JSM entities'`,
    `CREATE SCHEMA IF NOT EXISTS ${ROWS_SCHEMA}`,
    `COMMENT ON SCHEMA ${ROWS_SCHEMA} IS 'jsm-pg internals: the rows fetched for the running statement'`,
    `GRANT USAGE ON SCHEMA ${JSM_SCHEMA}, ${ROWS_SCHEMA} TO PUBLIC`,
    // objects the client creates land in jsm, the first schema on its path; it owns only those
    `GRANT USAGE, CREATE ON SCHEMA ${JSM_SCHEMA}, ${userViewsSchema}, public TO ${CLIENT_ROLE}`,
    // set_config('role', 'none', …) would lead back to the superuser the engine runs as
    `REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC`,
    guardFunction(),
    loadFunction(),
    ...habitOperatorsDdl(),
    `CREATE PROCEDURE ${JSM_SCHEMA}.clear_cache(table_name text DEFAULT NULL) LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'jsm-pg: cache of % cleared', coalesce(table_name, 'every JSM relation');
END $$`,
    `COMMENT ON PROCEDURE ${JSM_SCHEMA}.clear_cache(text) IS 'Drops cached JSM results (of one relation, or all) shared by the sessions of this JSM identity; the next query fetches fresh data.'`,
  ];
  for (const t of catalog.tables) {
    out.push(
      tableWithKeys(catalog, t, rowsParent(t)),
      entityViewDdl(t),
      ...comments(t, 'VIEW'),
      // writes are the gateway's to route (the session refuses them for now); the engine never applies them
      // REFERENCES: information_schema shows constraints only to roles with a privilege beyond SELECT
      `GRANT SELECT, REFERENCES ON ${rel(t)} TO ${CLIENT_ROLE}`,
    );
  }
  out.push(...foreignKeys(catalog, rowsParent), keysOntoViews(), informationSchemaKeysOfViews(), ...internalTablesUnlisted(), ...viewDefinitionsUnguarded(), ...proceduresDdl(catalog));
  return out.map((s) => s + ';').join('\n');
}

/** The guarded view of one relation (re-runnable: SELECT * picks up columns added to its rows table). */
export function entityViewDdl(t: TableDecl): string {
  return `CREATE OR REPLACE VIEW ${rel(t)} AS SELECT * FROM ${rowsParent(t)} WHERE ${ROWS_SCHEMA}.fetched(${q(engineName(t.name))})`;
}

/** Grants for objects created in schema jsm after the snapshot (queue views, sys tables). */
export function clientGrantsDdl(): string {
  return `GRANT SELECT ON ALL TABLES IN SCHEMA ${JSM_SCHEMA} TO ${CLIENT_ROLE};`;
}

/**
 * Moves primary, unique and foreign keys (with their indexes) from each pg_jsm_rows table to the
 * jsm view of the same name, and drops the foreign keys' internal triggers, which would fire on
 * tables that never change.
 */
function keysOntoViews(): string {
  return `DO $$
DECLARE m record;
BEGIN
  DELETE FROM pg_catalog.pg_trigger WHERE tgconstraint IN (
    SELECT oid FROM pg_catalog.pg_constraint WHERE contype = 'f' AND connamespace = '${ROWS_SCHEMA}'::regnamespace);
  FOR m IN SELECT k.oid AS from_oid, v.oid AS to_oid FROM pg_catalog.pg_class k
      JOIN pg_catalog.pg_class v ON v.relname = k.relname AND v.relnamespace = '${JSM_SCHEMA}'::regnamespace AND v.relkind = 'v'
      WHERE k.relnamespace = '${ROWS_SCHEMA}'::regnamespace AND k.relkind = 'r' LOOP
    UPDATE pg_catalog.pg_class SET relnamespace = '${JSM_SCHEMA}'::regnamespace
      WHERE oid IN (SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = m.from_oid);
    UPDATE pg_catalog.pg_index SET indrelid = m.to_oid WHERE indrelid = m.from_oid;
    UPDATE pg_catalog.pg_constraint SET conrelid = m.to_oid, connamespace = '${JSM_SCHEMA}'::regnamespace
      WHERE conrelid = m.from_oid AND contype IN ('p', 'u', 'f');
    UPDATE pg_catalog.pg_constraint SET confrelid = m.to_oid WHERE confrelid = m.from_oid AND contype = 'f';
  END LOOP;
END $$`;
}

/**
 * information_schema's key views list constraints of tables only (relkind r, p); Metabase reads
 * primary keys from table_constraints and key_column_usage. Views with keys are ours alone, so
 * letting those views include them changes nothing else.
 */
function informationSchemaKeysOfViews(): string {
  const views = ['table_constraints', 'key_column_usage', 'constraint_column_usage', 'constraint_table_usage'];
  return informationSchemaViewsEdited(views, `ARRAY['r'::"char", 'p'::"char"]`, `ARRAY['r'::"char", 'p'::"char", 'v'::"char"]`);
}

/** Recreates information_schema views with one piece of their definition's text replaced (as the superuser, at snapshot build). */
function informationSchemaViewsEdited(views: readonly string[], from: string, to: string): string {
  return `DO $$
DECLARE v text;
BEGIN
  FOREACH v IN ARRAY ARRAY[${views.map(q).join(', ')}] LOOP
    EXECUTE format('CREATE OR REPLACE VIEW information_schema.%I AS %s', v,
      replace(pg_catalog.pg_get_viewdef(('information_schema.' || v)::regclass), ${q(from)}, ${q(to)}));
  END LOOP;
END $$`;
}

/**
 * The session's temp tables that hold the mechanism (each relation's rows table, a write's staging
 * table) stay out of the client's listings: psql's \d family, DBeaver and pgAdmin list what
 * pg_table_is_visible says is on the search_path, and pg_temp is on it. The built-in keeps working
 * under another name: name resolution, regclass and the planner call its C code directly, never
 * the SQL function, so only listings change. (Replacing the built-in's pg_proc row in place would
 * change nothing: the function manager finds built-ins by OID in its own table.) They are told by
 * their names' prefixes, in the session's own temp schema. information_schema.tables and .columns
 * leave them out the same way; pgjdbc's getTables reads pg_class by schema name and still lists
 * them as TEMPORARY TABLE (types null or that type).
 */
function internalTablesUnlisted(): string[] {
  const op = (o: string) => `OPERATOR(pg_catalog.${o})`;
  const internal = (name: string, inTempSchema: string) =>
    `((${[ROWS_TABLE_PREFIX, STAGE_TABLE_PREFIX].map((p) => `${name} ${op('~~')} '${p.replaceAll('_', '\\_')}%'`).join(' OR ')}) AND ${inTempSchema})`;
  // a relation the path finds is named unqualified; pg_temp.<name> is this session's, if there is one
  const visibleName = '$1::pg_catalog.regclass::pg_catalog.text';
  const ours = `COALESCE(pg_catalog.to_regclass('pg_temp.' ${op('||')} ${visibleName}) ${op('=')} $1, false)`;
  return [
    `ALTER FUNCTION pg_catalog.pg_table_is_visible(oid) RENAME TO table_on_search_path`,
    `ALTER FUNCTION pg_catalog.table_on_search_path(oid) SET SCHEMA ${ROWS_SCHEMA}`,
    // SQL with every name qualified and not STRICT as the built-in is, so that it is inlined (a
    // listing calls it for every relation; it is null for null all the same)
    `CREATE FUNCTION pg_catalog.pg_table_is_visible(oid) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT ${ROWS_SCHEMA}.table_on_search_path($1) AND NOT ${internal(visibleName, ours)}
$$`,
    `COMMENT ON FUNCTION pg_catalog.pg_table_is_visible(oid) IS 'is table visible in search path (jsm-pg: its internal temp tables are not)'`,
    informationSchemaViewsEdited(['tables', 'columns'], '(NOT pg_is_other_temp_schema(nc.oid))',
      `(NOT pg_is_other_temp_schema(nc.oid)) AND NOT ${internal('c.relname', 'c.relnamespace = pg_my_temp_schema()')}`),
  ];
}

/**
 * psql's \d+, DBeaver and pgAdmin show a view's definition with pg_get_viewdef(oid, true): a JSM
 * relation's shows what it reads without the guard's conjunct (a queue view, its filters). The
 * built-in stays, under another name, for everything else (pg_get_viewdef(oid), the one-argument form
 * information_schema.views and the user views' write-back use, is not changed).
 */
function viewDefinitionsUnguarded(): string[] {
  const guard = `${ROWS_SCHEMA}\\.fetched\\(''[a-z0-9_]+''::text\\)`; // in a quoted literal
  return [
    `ALTER FUNCTION pg_catalog.pg_get_viewdef(oid, boolean) RENAME TO viewdef_with_guard`,
    `ALTER FUNCTION pg_catalog.viewdef_with_guard(oid, boolean) SET SCHEMA ${ROWS_SCHEMA}`,
    // `WHERE guard;` goes with its WHERE, `guard AND …` with its AND
    `CREATE FUNCTION pg_catalog.pg_get_viewdef(oid, boolean) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT pg_catalog.regexp_replace(pg_catalog.regexp_replace(${ROWS_SCHEMA}.viewdef_with_guard($1, $2),
    '\\s*WHERE ${guard}(?=;?$)', ''), '${guard} AND ', '', 'g')
$$`,
    `COMMENT ON FUNCTION pg_catalog.pg_get_viewdef(oid, boolean) IS 'select statement of a view with pretty-print option (jsm-pg: without its guard)'`,
  ];
}

function columnComment(c: TableDecl['columns'][number]): string {
  if (!c.pseudo) return c.description;
  const dflt = c.default ? ` Default: ${c.default}.` : '';
  return `${c.description} (Pseudo column: an input to the API, used in WHERE.${dflt})`;
}

/** The reading check (see schemaDdl): the gateway lists the relations it fetched for the running statement in jsm.reading. */
function guardFunction(): string {
  // its own search_path: a client's path (and objects it may create in jsm) must not change what it calls
  return `CREATE FUNCTION ${ROWS_SCHEMA}.fetched(relation text) RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  IF relation = ANY (string_to_array(current_setting('jsm.reading', true), ',')) THEN RETURN true; END IF;
  RAISE EXCEPTION 'JSM relation "%" cannot be read here', relation
    USING ERRCODE = 'feature_not_supported',
      DETAIL = 'jsm-pg fetches a JSM relation''s rows for the statement that reads it, directly or through views; function bodies, DO blocks, triggers and REFRESH MATERIALIZED VIEW run reads it cannot plan.',
      HINT = 'Read the relation in the statement itself (views work), or copy the rows into a table first and read that: CREATE TEMP TABLE t AS SELECT ... FROM ' || relation || '.';
END $$`;
}

/** Up to this size a rows table is emptied by DELETE before a load, beyond it by TRUNCATE (see loadFunction). */
const SMALL_ROWS_TABLE_BYTES = 8 * 8192;

function loadFunction(): string {
  return `CREATE FUNCTION ${ROWS_SCHEMA}.load(rows_table text, rows json, keep_cursors boolean) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  bytes bigint := pg_relation_size(format('pg_temp.%I', rows_table)::regclass);
BEGIN
  -- An empty table (a session's first read of the relation) needs neither. TRUNCATE gives the table
  -- a new file and makes every cached plan over it plan again (~2 ms each in an engine): only a table
  -- past a few pages is worth it, since DELETE leaves its dead rows behind and no autovacuum runs here.
  -- TRUNCATE would fail while a cursor of this transaction still reads the table.
  IF bytes = 0 THEN NULL;
  ELSIF keep_cursors OR bytes <= ${SMALL_ROWS_TABLE_BYTES} THEN EXECUTE format('DELETE FROM pg_temp.%I', rows_table);
  ELSE EXECUTE format('TRUNCATE pg_temp.%I', rows_table);
  END IF;
  IF rows IS NOT NULL THEN
    EXECUTE format('INSERT INTO pg_temp.%1$I SELECT * FROM json_populate_recordset(NULL::pg_temp.%1$I, $1)', rows_table) USING rows;
  END IF;
END $$`;
}

/** Per-session temp tables that inherit each rows table and receive its fetched rows (run by the superuser, before the client's role is taken). */
export function sessionDdl(catalog: Catalog): string {
  return catalog.tables
    .map((t) => `CREATE TEMP TABLE ${rowsTable(t.name)} () INHERITS (${rowsParent(t)});`)
    .join('\n');
}

/** Takes the client role for the rest of the engine's life (see schemaDdl). */
export const CLIENT_ROLE_DDL = `SET ROLE ${CLIENT_ROLE}`;
