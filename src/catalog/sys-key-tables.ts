/** sys_keycolumns, sys_foreignkeys, sys_primarykeys, sys_indexes: the engine's own constraints as rows. */
import { fkeyName, pkeyName, uniqueColumns, uniqueName } from './ddl.ts';
import { JSM_SCHEMA } from './registry.ts';
import type { SysContext } from './sys-schema-tables.ts';
import { bool, short, text, type SysTable, type SysValue } from './sys-view.ts';
import type { ColumnDecl, TableDecl } from './types.ts';

type Rows = SysValue[][];

interface ForeignKey {
  readonly table: TableDecl;
  readonly column: ColumnDecl;
  readonly target: TableDecl;
  readonly targetColumn: string;
}

function foreignKeys(ctx: SysContext): ForeignKey[] {
  const { catalog } = ctx;
  return catalog.tables.flatMap((table) =>
    table.columns.flatMap((column) => {
      if (!column.references) return [];
      const target = catalog.table(column.references.table)!;
      return [{ table, column, target, targetColumn: catalog.column(target, column.references.column)!.name }];
    }),
  );
}

export const SYS_KEYCOLUMNS: SysTable = {
  name: 'sys_keycolumns',
  description: 'Describes the primary and foreign keys.',
  columns: [
    text('CatalogName'), text('SchemaName'), text('TableName'), text('ColumnName'), bool('IsKey'), bool('IsForeignKey'), text('PrimaryKeyName'),
    text('ForeignKeyName'), text('ReferencedCatalogName'), text('ReferencedSchemaName'), text('ReferencedTableName'), text('ReferencedColumnName'),
  ],
};
/** One row per column that is part of the primary key, a foreign key, or both. */
export function keyColumnsRows(ctx: SysContext): Rows {
  const fks = foreignKeys(ctx);
  return ctx.catalog.tables.flatMap((t) =>
    t.columns.flatMap((c) => {
      const fk = fks.find((f) => f.table === t && f.column === c);
      if (!c.key && !fk) return [];
      const ref = fk ? [ctx.database, JSM_SCHEMA, fk.target.name, fk.targetColumn] : [null, null, null, null];
      return [[ctx.database, JSM_SCHEMA, t.name, c.name, !!c.key, !!fk, c.key ? pkeyName(t) : null, fk ? fkeyName(t, c.name) : null, ...ref]];
    }),
  );
}

export const SYS_FOREIGNKEYS: SysTable = {
  name: 'sys_foreignkeys',
  description: 'Describes the foreign keys.',
  columns: [
    text('CatalogName'), text('SchemaName'), text('TableName'), text('ColumnName'), text('PrimaryKeyName'), text('ForeignKeyName'),
    text('ReferencedCatalogName'), text('ReferencedSchemaName'), text('ReferencedTableName'), text('ReferencedColumnName'), text('ForeignKeyType'),
  ],
};
/**
 * Each foreign key twice: as an import of the referencing table (Referenced* = the key it points
 * to) and as an export of the referenced table (Referenced* = the column pointing at it).
 */
export function foreignKeysRows(ctx: SysContext): Rows {
  const unique = uniqueColumns(ctx.catalog);
  // The key a foreign key points at: the primary key, or the UNIQUE constraint on a non-key column.
  const keyName = (f: ForeignKey) =>
    unique.some((u) => u.table === f.target && u.column === f.targetColumn) ? uniqueName(f.target, f.targetColumn) : pkeyName(f.target);
  return foreignKeys(ctx).flatMap((f) => {
    const common = [keyName(f), fkeyName(f.table, f.column.name)];
    return [
      [ctx.database, JSM_SCHEMA, f.table.name, f.column.name, ...common, ctx.database, JSM_SCHEMA, f.target.name, f.targetColumn, 'FOREIGNKEY_TYPE_IMPORT'],
      [ctx.database, JSM_SCHEMA, f.target.name, f.targetColumn, ...common, ctx.database, JSM_SCHEMA, f.table.name, f.column.name, 'FOREIGNKEY_TYPE_EXPORT'],
    ];
  });
}

export const SYS_PRIMARYKEYS: SysTable = {
  name: 'sys_primarykeys',
  description: 'Describes the primary keys.',
  columns: [text('CatalogName'), text('SchemaName'), text('TableName'), text('ColumnName'), text('KeySeq'), text('KeyName')],
};
/** KeySeq counts from 1 within the key, as in JDBC. */
export function primaryKeysRows(ctx: SysContext): Rows {
  return ctx.catalog.tables.flatMap((t) =>
    t.columns.filter((c) => c.key).map((c, i) => [ctx.database, JSM_SCHEMA, t.name, c.name, String(i + 1), pkeyName(t)]),
  );
}

export const SYS_INDEXES: SysTable = {
  name: 'sys_indexes',
  description: 'Describes the available indexes.',
  columns: [
    text('CatalogName'), text('SchemaName'), text('TableName'), text('IndexName'), text('ColumnName'), bool('IsUnique'), bool('IsPrimary'),
    short('Type'), text('SortOrder'), short('OrdinalPosition'),
  ],
};
/** Type 3 = "other": the engine's indexes are btrees. The UNIQUE ones back foreign keys to non-key columns. */
const BTREE = 3;
export function indexesRows(ctx: SysContext): Rows {
  const primary = ctx.catalog.tables.flatMap((t) =>
    t.columns.filter((c) => c.key).map((c, i) => [ctx.database, JSM_SCHEMA, t.name, pkeyName(t), c.name, true, true, BTREE, 'A', i + 1]),
  );
  const unique = uniqueColumns(ctx.catalog).map((u) => [ctx.database, JSM_SCHEMA, u.table.name, uniqueName(u.table, u.column), u.column, true, false, BTREE, 'A', 1]);
  return [...primary, ...unique];
}
