/**
 * IncludeCustomFields=true: the custom fields of the site's request types become named, typed
 * columns of Requests (read from the request's `requestFieldValues[]`) and of QueueRequests, and
 * so of every queue view (read from the issue's `fields`).
 */
import { entityViewDdl } from './ddl.ts';
import { createCatalog, engineName, getCatalog, JSM_SCHEMA, ROWS_SCHEMA, type Catalog } from './registry.ts';
import { quoteLiteral, slugify } from './sql.ts';
import type { ColumnDecl, SqlType, TableDecl } from './types.ts';

/** A field as `GET …/requesttype/{id}/field` returns it (RequestTypeFieldDTO). */
export interface RequestTypeField {
  readonly fieldId: string;
  readonly name: string;
  readonly description?: string;
  readonly jiraSchema?: { readonly type?: string; readonly items?: string; readonly custom?: string };
}

/** The relations that get the columns, and where each finds a field's value by ID. */
const TARGETS: readonly { table: string; valueOf: (fieldId: string) => string }[] = [
  { table: 'Requests', valueOf: (id) => `requestFieldValues[fieldId=${id}].value` },
  { table: 'QueueRequests', valueOf: (id) => `fields.${id}` },
];

/**
 * Postgres keywords that cannot name a column unquoted (pg_get_keywords() catcode R and T):
 * a field called "Order" becomes `order_10020`, so `SELECT order_10020 FROM requests` works.
 */
const RESERVED = new Set(
  ('all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently ' +
    'constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user default ' +
    'deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in initially inner intersect ' +
    'into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer ' +
    'overlaps placing primary references returning right select session_user similar some symmetric system_user table tablesample then to ' +
    'trailing true union unique user using variadic verbose when where window with').split(' '),
);

/** Engine type and the path below the field's value, by the field's Jira schema type. */
function shape(schema: RequestTypeField['jiraSchema']): { type: SqlType; below: string } {
  switch (schema?.type) {
    case 'number':
      return { type: 'double precision', below: '' };
    case 'date':
    case 'datetime':
      return { type: 'timestamptz', below: '' };
    case 'option':
    case 'option-with-child':
      return { type: 'text', below: '.value' };
    case 'user':
      return { type: 'text', below: '.displayName' };
    case 'array':
      if (schema.items === 'option') return { type: 'text', below: '[].value' };
      if (schema.items === 'user') return { type: 'text', below: '[].displayName' };
      return { type: 'text', below: '' };
    default:
      return { type: 'text', below: '' };
  }
}

/** "Number of people affected" → number_of_people_affected; never empty, never starting with a digit. */
function slug(name: string): string {
  const s = slugify(name).slice(0, 50);
  return !s ? 'field' : /^[0-9]/.test(s) ? `cf_${s}` : s;
}

interface CustomField {
  readonly field: RequestTypeField;
  readonly name: string;
  readonly type: SqlType;
  readonly below: string;
}

/**
 * One entry per distinct custom field (the same field serves many request types), named from its
 * name; a name that is reserved or already taken (by a column of Requests or QueueRequests, or an
 * earlier field) gets the field's number appended.
 */
function customFields(fields: readonly RequestTypeField[], taken: ReadonlySet<string>): CustomField[] {
  const used = new Set(taken);
  const seen = new Set<string>();
  const out: CustomField[] = [];
  for (const field of fields) {
    if (!field.fieldId.startsWith('customfield_') || seen.has(field.fieldId)) continue;
    seen.add(field.fieldId);
    const base = slug(field.name);
    const number = field.fieldId.slice('customfield_'.length);
    let name = base;
    if (RESERVED.has(name) || used.has(name)) name = `${base}_${number}`;
    for (let i = 2; used.has(name); i++) name = `${base}_${number}_${i}`;
    used.add(name);
    out.push({ field, name, ...shape(field.jiraSchema) });
  }
  return out;
}

function columnOf(cf: CustomField, valueOf: (fieldId: string) => string): ColumnDecl {
  const what = cf.field.description ? ` ${cf.field.description}` : '';
  return { name: cf.name, type: cf.type, remote: valueOf(cf.field.fieldId) + cf.below, description: `Custom field ${cf.field.name} (${cf.field.fieldId}).${what}` };
}

/** A column added by this module (so applying it again replaces rather than duplicates). */
const CUSTOM_PREFIXES = TARGETS.map((t) => {
  const path = t.valueOf('customfield_');
  return path.slice(0, path.indexOf('customfield_') + 'customfield_'.length);
});
function isCustom(c: ColumnDecl): boolean {
  return CUSTOM_PREFIXES.some((p) => c.remote?.startsWith(p));
}

function takenNames(tables: readonly TableDecl[]): Set<string> {
  return new Set(
    tables.filter((t) => TARGETS.some((x) => x.table === t.name)).flatMap((t) => t.columns.filter((c) => !isCustom(c)).map((c) => engineName(c.name))),
  );
}

/** The extra columns of Requests for these fields; names clashing with a column of `tables` are suffixed. */
export function customFieldColumns(fields: readonly RequestTypeField[], tables: readonly TableDecl[] = getCatalog().tables): ColumnDecl[] {
  return customFields(fields, takenNames(tables)).map((cf) => columnOf(cf, TARGETS[0]!.valueOf));
}

/** A new catalog whose Requests and QueueRequests also have the custom field columns (validated again); idempotent. */
export function withCustomFields(catalog: Catalog, fields: readonly RequestTypeField[]): Catalog {
  const cfs = customFields(fields, takenNames(catalog.tables));
  const tables = catalog.tables.map((t) => {
    const target = TARGETS.find((x) => x.table === t.name);
    return target ? { ...t, columns: [...t.columns.filter((c) => !isCustom(c)), ...cfs.map((cf) => columnOf(cf, target.valueOf))] } : t;
  });
  return createCatalog(tables, catalog.procedures);
}

/**
 * The engine side of withCustomFields: the same columns added to the session's jsm.requests and
 * jsm.queuerequests (their per-session row tables inherit them), with comments. Names match
 * withCustomFields for the same fields, whether `catalog` already has them or not.
 */
export function customFieldsDdl(catalog: Catalog, fields: readonly RequestTypeField[]): string {
  const cfs = customFields(fields, takenNames(catalog.tables));
  return TARGETS.flatMap(({ table, valueOf }) => {
    const rel = `${JSM_SCHEMA}.${engineName(table)}`;
    const rows = `${ROWS_SCHEMA}.${engineName(table)}`;
    const columns = cfs.map((cf) => columnOf(cf, valueOf));
    return [
      ...columns.map((c) => `ALTER TABLE ${rows} ADD COLUMN IF NOT EXISTS ${c.name} ${c.type};`),
      // the view's SELECT * was expanded when it was created: re-create it to take the new columns
      `${entityViewDdl(catalog.table(table)!)};`,
      ...columns.map((c) => `COMMENT ON COLUMN ${rel}.${c.name} IS ${quoteLiteral(c.description)};`),
    ];
  }).join('\n');
}
