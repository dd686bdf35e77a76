/** sys_catalogs … sys_procedureparameters: the data model described as rows. */
import { JSM_SCHEMA, type Catalog } from './registry.ts';
import { bool, int, text, type SysTable, type SysValue } from './sys-view.ts';
import type { ParamDirection, SqlType } from './types.ts';

export interface SysContext {
  readonly catalog: Catalog;
  /** The database name the client connected to: the CatalogName of every row. */
  readonly database: string;
  readonly userViewsSchema: string;
}

type Rows = SysValue[][];

/**
 * How each engine type is reported: DataType is the JDBC type code (what pgjdbc reports for the
 * column); sizes follow JDBC's conventions for Postgres (text is unbounded).
 */
const TYPE_INFO: Record<SqlType, { jdbc: number; length: number; display: number; precision: number; scale: number | null }> = {
  text: { jdbc: 12, length: 2147483647, display: 2147483647, precision: 2147483647, scale: null },
  boolean: { jdbc: 16, length: 1, display: 5, precision: 1, scale: null },
  timestamptz: { jdbc: 93, length: 35, display: 35, precision: 35, scale: 6 },
  integer: { jdbc: 4, length: 4, display: 11, precision: 10, scale: 0 },
  bigint: { jdbc: -5, length: 8, display: 20, precision: 19, scale: 0 },
  'double precision': { jdbc: 8, length: 8, display: 25, precision: 17, scale: null },
  jsonb: { jdbc: 1111, length: 2147483647, display: 2147483647, precision: 2147483647, scale: null },
};

/** A procedure parameter may also be bytea (file content); pgjdbc reports bytea as BINARY. */
const PARAM_TYPE_INFO: Record<SqlType | 'bytea', (typeof TYPE_INFO)[SqlType]> = {
  ...TYPE_INFO,
  bytea: { jdbc: -2, length: 2147483647, display: 2147483647, precision: 2147483647, scale: null },
};

/** DataTypeName is the engine's own type name, the one psql and drivers show. */
const typeName = (t: SqlType | 'bytea') => (t === 'timestamptz' ? 'timestamp with time zone' : t);

export const SYS_CATALOGS: SysTable = { name: 'sys_catalogs', description: 'Lists the available databases.', columns: [text('CatalogName')] };
export function catalogsRows(ctx: SysContext): Rows {
  return [[ctx.database]];
}

export const SYS_SCHEMAS: SysTable = { name: 'sys_schemas', description: 'Lists the available schemas.', columns: [text('CatalogName'), text('SchemaName')] };
export function schemasRows(ctx: SysContext): Rows {
  return [JSM_SCHEMA, ctx.userViewsSchema].map((s) => [ctx.database, s]);
}

export const SYS_TABLES: SysTable = {
  name: 'sys_tables',
  description: 'Lists the available tables.',
  columns: [text('CatalogName'), text('SchemaName'), text('TableName'), text('TableType'), text('Description'), bool('IsUpdateable')],
};
export function tablesRows(ctx: SysContext): Rows {
  return ctx.catalog.tables.map((t) => [ctx.database, JSM_SCHEMA, t.name, t.kind === 'table' ? 'TABLE' : 'VIEW', t.description, t.kind === 'table']);
}

export const SYS_TABLECOLUMNS: SysTable = {
  name: 'sys_tablecolumns',
  description: 'Describes the columns of the available tables and views.',
  columns: [
    text('CatalogName'), text('SchemaName'), text('TableName'), text('ColumnName'), text('DataTypeName'), int('DataType'), int('Length'),
    int('DisplaySize'), int('NumericPrecision'), int('NumericScale'), bool('IsNullable'), text('Description'), int('Ordinal'),
    text('IsAutoIncrement'), text('IsGeneratedColumn'), bool('IsHidden'), bool('IsArray'), bool('IsReadOnly'), bool('IsKey'),
  ],
};
/** Ordinal is the column's position, from 1 as in the engine (attnum) and JDBC. */
export function tableColumnsRows(ctx: SysContext): Rows {
  return ctx.catalog.tables.flatMap((t) =>
    t.columns.map((c, i) => {
      const info = TYPE_INFO[c.type];
      const readOnly = t.kind === 'view' || !c.writable;
      return [
        ctx.database, JSM_SCHEMA, t.name, c.name, typeName(c.type), info.jdbc, info.length, info.display, info.precision, info.scale,
        // IsHidden: a pseudo column, until PseudoColumns exposes it (the view decides per engine: sys-tables.ts)
        !c.key, c.description, i + 1, 'false', 'false', !!c.pseudo, false, readOnly, !!c.key,
      ];
    }),
  );
}

export const SYS_PROCEDURES: SysTable = {
  name: 'sys_procedures',
  description: 'Lists the available stored procedures.',
  columns: [text('CatalogName'), text('SchemaName'), text('ProcedureName'), text('Description'), text('ProcedureType')],
};
export function proceduresRows(ctx: SysContext): Rows {
  return ctx.catalog.procedures.map((p) => [ctx.database, JSM_SCHEMA, p.name, p.description, 'PROCEDURE']);
}

export const SYS_PROCEDUREPARAMETERS: SysTable = {
  name: 'sys_procedureparameters',
  description: 'Describes stored procedure parameters.',
  columns: [
    text('CatalogName'), text('SchemaName'), text('ProcedureName'), text('ColumnName'), int('Direction'), text('DataTypeName'), int('DataType'),
    int('Length'), int('NumericPrecision'), int('NumericScale'), bool('IsNullable'), bool('IsRequired'), bool('IsArray'), text('Description'),
    int('Ordinal'),
  ],
};
/** The seed's codes: input 1, input/output 2, output 4. */
const DIRECTION: Record<ParamDirection, number> = { in: 1, inout: 2, out: 4 };

/** Parameters (Direction 1/2) then the result set columns (Direction 4); Ordinal is the 0-based index. */
export function procedureParametersRows(ctx: SysContext): Rows {
  return ctx.catalog.procedures.flatMap((p) => {
    const cols = [
      ...p.params.map((prm) => ({ ...prm, direction: prm.direction ?? 'in', required: !!prm.required })),
      ...p.result.map((r) => ({ ...r, direction: 'out' as const, required: false })),
    ];
    return cols.map((c, i) => {
      const info = PARAM_TYPE_INFO[c.type];
      return [
        ctx.database, JSM_SCHEMA, p.name, c.name, DIRECTION[c.direction], typeName(c.type), info.jdbc, info.length, info.precision, info.scale,
        !c.required, c.required, false, c.description, i,
      ];
    });
  });
}
