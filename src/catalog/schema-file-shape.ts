/**
 * The shape of a schema file in the Location folder (what CreateSchema writes): `{ format, version,
 * relation }` where relation is a TableDecl (src/catalog/types.ts). Objects are strict, so a
 * misspelt key is an error at start rather than a setting silently ignored; the checks across
 * declarations (columns a filter names, parents, references) are the catalog's own (validate.ts).
 */
import { z } from 'zod';
import type { BodyTemplate, ColumnDecl, EndpointDecl, FilterDecl, ListAllDecl, ParentDecl, TableDecl, WriteForm, WriteOp, WritesDecl } from './types.ts';

export const SCHEMA_FILE_FORMAT = 'jsm-pg/relation';
export const SCHEMA_FILE_VERSION = 1;

/**
 * Relation and column names go unquoted into the engine's DDL (and the rows table's name adds 12
 * characters to a relation's, within PostgreSQL's 63), so they must be plain identifiers.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,49}$/;

/** Words PostgreSQL does not take as a column or table name unquoted (reserved and type/function-name keywords). */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog ' +
    'current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false ' +
    'fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null ' +
    'offset on only or order placing primary references returning select session_user some symmetric system_user table then to ' +
    'trailing true union unique user using variadic when where window with authorization binary collation concurrently cross ' +
    'current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose ' +
    // system columns of every table
    'tableoid xmin cmin xmax cmax ctid'
  ).split(' '),
);

const identifier = (what: string) =>
  z
    .string()
    .regex(IDENTIFIER, `${what} must be a plain identifier (letters, digits, _; at most 50 characters)`)
    .refine((s) => !RESERVED.has(s.toLowerCase()), { message: `${what} is a word PostgreSQL reserves` });

/** Relative to the site URL, under the REST API, without a query string (constant parameters go in `query`). */
const apiPath = z
  .string()
  .regex(/^\/rest\/[^?#\s]*$/, 'an endpoint path is relative to the site URL, starts with /rest/ and has no query string (use query)')
  .refine((p) => !p.split('/').some((seg) => seg === '..' || seg === '.'), { message: 'an endpoint path cannot contain . or .. segments' });

const column = z
  .object({
    name: identifier('a column name'),
    type: z.enum(['text', 'boolean', 'timestamptz', 'integer', 'bigint', 'double precision', 'jsonb']),
    description: z.string(),
    key: z.boolean().optional(),
    writable: z.boolean().optional(),
    remote: z.string().min(1).optional(),
    bind: z.string().min(1).optional(),
    bindPattern: z.string().optional(),
    writeOnly: z.boolean().optional(),
    pseudo: z.boolean().optional(),
    default: z.string().optional(),
    values: z.array(z.string()).optional(),
    references: z.object({ table: z.string(), column: z.string() }).strict().optional(),
    expand: z.string().min(1).optional(),
  })
  .strict();

const endpointFields = {
  path: apiPath,
  paging: z.enum(['servicedesk', 'platform', 'none']),
  query: z.record(z.string(), z.string()).optional(),
  items: z.string().min(1).optional(),
};
const endpoint = z.object(endpointFields).strict();

const filter = z
  .object({
    column: z.string(),
    operators: z.array(z.enum(['=', 'in'])),
    param: z.string().min(1),
    endpoint: z.enum(['list', 'get']).optional(),
    requires: z.array(z.string()).optional(),
  })
  .strict();

const parent = z
  .object({
    table: z.string(),
    keys: z.record(z.string(), z.string()),
    columns: z.record(z.string(), z.string()).optional(),
    listAll: z.object({ ...endpointFields, params: z.array(z.string()) }).strict().optional(),
    expand: z.object({ name: z.string().min(1), items: z.string().min(1) }).strict().optional(),
  })
  .strict();

const bodyTemplate: z.ZodType<BodyTemplate> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.array(bodyTemplate), z.record(z.string(), bodyTemplate)]));

const columnMap = <T extends z.ZodTypeAny>(value: T) => z.record(z.string(), value).optional();

const writeForm = z
  .object({
    method: z.enum(['POST', 'PUT', 'DELETE']),
    path: apiPath,
    bindings: columnMap(z.array(z.string())),
    body: bodyTemplate.optional(),
    needs: z.array(z.string()),
    columns: z.array(z.string()),
    returns: z.enum(['item', 'page', 'none']),
    experimental: z.boolean().optional(),
    fieldColumns: z.object({ into: z.string(), remotePrefix: z.string() }).strict().optional(),
    settle: z.enum(['present', 'absent', 'values']).optional(),
  })
  .strict();

const writeOp = z
  .object({
    forms: z.array(writeForm).min(1),
    defaults: columnMap(z.union([z.string(), z.number(), z.boolean()])),
    values: columnMap(z.array(z.string())),
    aliases: columnMap(z.record(z.string(), z.string())),
    readAs: columnMap(z.record(z.string(), z.string())),
    touches: z.array(z.string()).optional(),
  })
  .strict();

export const relationShape = z
  .object({
    name: identifier('a relation name').refine((n) => !/^(sys_|pg_)/i.test(n), { message: 'sys_ and pg_ names are the gateway\'s own' }),
    kind: z.enum(['table', 'view']),
    description: z.string(),
    experimental: z.boolean().optional(),
    columns: z.array(column).min(1),
    list: endpoint,
    get: endpoint.optional(),
    filters: z.array(filter),
    parent: parent.optional(),
    required: z.array(z.string()).optional(),
    writes: z.object({ insert: writeOp.optional(), update: writeOp.optional(), delete: writeOp.optional() }).strict().optional(),
  })
  .strict();

export const schemaFileShape = z
  .object({
    format: z.string(),
    version: z.number().int(),
    relation: relationShape,
  })
  .strict();

// The file's relation is used as a TableDecl as is: the shape must stay assignable to it.
type Assignable<T extends TableDecl> = T;
export type SchemaFileRelation = Assignable<z.infer<typeof relationShape>>;

/**
 * And it must know every field of the declarations: CreateSchema writes whatever a built-in
 * relation declares, and a strict shape that lacks a new field would refuse that file at the next
 * start. A field added to types.ts without its line here fails to compile, naming the field.
 */
type Covers<Shape, Decl> = [Exclude<keyof Decl, keyof Shape>] extends [never] ? true : Exclude<keyof Decl, keyof Shape>;
type Rel = Required<SchemaFileRelation>;
type Parent = Required<Rel['parent']>;
type Op = Required<Required<Rel['writes']>['insert']>;
export const shapeCoversDeclarations: [
  Covers<Rel, TableDecl>,
  Covers<Required<Rel['columns'][number]>, ColumnDecl>,
  Covers<Required<Rel['list']>, EndpointDecl>,
  Covers<Required<Rel['filters'][number]>, FilterDecl>,
  Covers<Parent, ParentDecl>,
  Covers<Required<Parent['listAll']>, ListAllDecl>,
  Covers<Required<Rel['writes']>, WritesDecl>,
  Covers<Op, WriteOp>,
  Covers<Required<Op['forms'][number]>, WriteForm>,
] = [true, true, true, true, true, true, true, true, true];
