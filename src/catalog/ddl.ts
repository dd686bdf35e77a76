import { engineName, JSM_SCHEMA, rowsTable, type Catalog } from './registry.ts';
import { quoteLiteral as q } from './sql.ts';
import type { TableDecl } from './types.ts';

const rel = (t: TableDecl) => `${JSM_SCHEMA}.${engineName(t.name)}`;

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

/**
 * The schema snapshot every session engine starts from: real tables with comments, keys and
 * foreign keys, so pg_catalog, information_schema, psql and JDBC metadata describe JSM truthfully.
 * The tables themselves stay empty; fetched rows live in per-session temp children (see sessionDdl).
 */
export function schemaDdl(catalog: Catalog, userViewsSchema = 'userviews'): string {
  const out: string[] = [
    `CREATE SCHEMA IF NOT EXISTS ${JSM_SCHEMA}`,
    `COMMENT ON SCHEMA ${JSM_SCHEMA} IS 'Jira Service Management entities, served live through the JSM REST API'`,
    `CREATE SCHEMA IF NOT EXISTS ${userViewsSchema}`,
    `COMMENT ON SCHEMA ${userViewsSchema} IS 'User defined views over the JSM entities'`,
    writeGuardFunction(),
    `CREATE PROCEDURE ${JSM_SCHEMA}.clear_cache(table_name text DEFAULT NULL) LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'jsm-pg: cache of % cleared', coalesce(table_name, 'every JSM relation');
END $$`,
    `COMMENT ON PROCEDURE ${JSM_SCHEMA}.clear_cache(text) IS 'Drops cached JSM results (of one relation, or all) shared by the sessions of this JSM identity; the next query fetches fresh data.'`,
  ];
  const unique = uniqueColumns(catalog);
  for (const t of catalog.tables) {
    const cols = t.columns.map((c) => `  ${engineName(c.name)} ${c.type}`);
    const keys = t.columns.filter((c) => c.key).map((c) => engineName(c.name));
    cols.push(`  CONSTRAINT ${pkeyName(t)} PRIMARY KEY (${keys.join(', ')})`);
    for (const u of unique) if (u.table === t) cols.push(`  CONSTRAINT ${uniqueName(t, u.column)} UNIQUE (${engineName(u.column)})`);
    out.push(`CREATE TABLE ${rel(t)} (\n${cols.join(',\n')}\n)`);
    out.push(`COMMENT ON TABLE ${rel(t)} IS ${q(t.description)}`);
    for (const c of t.columns) out.push(`COMMENT ON COLUMN ${rel(t)}.${engineName(c.name)} IS ${q(columnComment(c))}`);
    out.push(
      `CREATE TRIGGER jsm_write_guard BEFORE INSERT OR UPDATE OR DELETE ON ${rel(t)} FOR EACH STATEMENT EXECUTE FUNCTION ${JSM_SCHEMA}.write_guard(${q(t.name)})`,
      `CREATE TRIGGER jsm_truncate_guard BEFORE TRUNCATE ON ${rel(t)} FOR EACH STATEMENT EXECUTE FUNCTION ${JSM_SCHEMA}.write_guard(${q(t.name)})`,
    );
  }
  for (const t of catalog.tables)
    for (const c of t.columns) {
      if (!c.references) continue;
      const target = catalog.table(c.references.table)!;
      out.push(
        `ALTER TABLE ${rel(t)} ADD CONSTRAINT ${fkeyName(t, c.name)} FOREIGN KEY (${engineName(c.name)}) REFERENCES ${rel(target)} (${engineName(c.references.column)}) NOT VALID`,
      );
    }
  return out.map((s) => s + ';').join('\n');
}

function columnComment(c: TableDecl['columns'][number]): string {
  if (!c.pseudo) return c.description;
  const dflt = c.default ? ` Default: ${c.default}.` : '';
  return `${c.description} (Pseudo column: an input to the API, used in WHERE.${dflt})`;
}

function writeGuardFunction(): string {
  return `CREATE FUNCTION ${JSM_SCHEMA}.write_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'relation % is served from JSM and cannot be changed with %', TG_ARGV[0], TG_OP
    USING ERRCODE = 'feature_not_supported', HINT = 'Use the JSM stored procedures (CALL ...) to change JSM data.';
END $$`;
}

/** Per-session temp tables that inherit each JSM relation and receive its fetched rows (allowed in read-only transactions). */
export function sessionDdl(catalog: Catalog): string {
  return catalog.tables
    .map((t) => `CREATE TEMP TABLE ${rowsTable(t.name)} () INHERITS (${rel(t)});`)
    .join('\n');
}
