import { loadModule, parseSync } from 'libpg-query';
import { deparse as deparseNode } from 'pgsql-deparser';
import { engineName, STAGE_TABLE_PREFIX, type Catalog } from '../catalog/registry.ts';
import type { SqlType, TableDecl } from '../catalog/types.ts';
import { PgError, SqlState } from '../errors/index.ts';

await loadModule();

type Node = Record<string, any>;
/** pgsql-deparser types its input as @pgsql/types nodes; these are libpg-query's JSON of the same grammar. */
const deparse = (node: Node): Promise<string> => deparseNode(node as Parameters<typeof deparseNode>[0]);
export type WriteKind = 'insert' | 'update' | 'delete';

/**
 * A DML statement on a JSM relation, turned into what the engine can do for it (DESIGN.md §7):
 * `stageSql` puts the rows to apply in a temporary table of the relation's columns (the new rows
 * of an INSERT; for UPDATE the rows the WHERE finds, with the SET values in place; for DELETE the
 * rows the WHERE finds), so every PostgreSQL form, parameter and condition works as in
 * PostgreSQL; the API applies them; `answerSql` reads RETURNING from the rows the API answered.
 */
export interface WriteStatement {
  readonly kind: WriteKind;
  readonly table: TableDecl;
  /** Engine name of the staging table, e.g. jsm_stage_requestcomments (in pg_temp). */
  readonly stage: string;
  readonly stageSql: string;
  /** Columns the statement gives values to (INSERT: its column list or all; UPDATE: SET); engine names. */
  readonly written: readonly string[];
  readonly answerSql?: string;
  /** COPY … FROM STDIN: `stageSql` is a COPY into the staging table, run with the client's data. */
  readonly copy?: boolean;
}

export const stageName = (t: TableDecl) => `${STAGE_TABLE_PREFIX}${engineName(t.name)}`;

/** The session's staging table of a relation, created at its first write (DISCARD TEMP drops it). */
export const stageDdl = (w: WriteStatement) => `CREATE TEMP TABLE IF NOT EXISTS ${w.stage} (LIKE jsm.${engineName(w.table.name)})`;

const str = (sval: string) => ({ String: { sval } });

function typeName(type: SqlType): Node {
  const cast = parseSync(`SELECT NULL::${type}`).stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val.TypeCast;
  return cast.typeName;
}

function refuse(message: string, hint?: string): never {
  throw new PgError(SqlState.FeatureNotSupported, message, hint ? { hint } : {});
}

export async function planWrite(catalog: Catalog, kind: string, node: Node): Promise<WriteStatement> {
  const relation = node.relation as Node;
  const table = catalog.table(String(relation.relname).toLowerCase())!;
  const stage = stageName(table);
  const alias = relation.alias?.aliasname ?? relation.relname;
  const stageRel = { relname: stage, schemaname: 'pg_temp', inh: true, relpersistence: 'p', alias: { aliasname: alias } };
  const columns = table.columns.map((c) => engineName(c.name));
  const answerSql = node.returningList?.length
    ? await deparse({ SelectStmt: { targetList: node.returningList, fromClause: [{ RangeVar: stageRel }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } })
    : undefined;
  if (kind === 'CopyStmt') {
    const cols = (node.attlist ?? []).map((c: Node) => String(c.String.sval));
    for (const c of cols) if (!columns.includes(c)) throw new PgError(SqlState.UndefinedColumn, `column "${c}" of relation "${engineName(table.name)}" does not exist`);
    const stmt = { ...node, relation: { relname: stage, schemaname: 'pg_temp', inh: true, relpersistence: 'p' } };
    return { kind: 'insert', table, stage, stageSql: await deparse({ CopyStmt: stmt }), written: cols.length ? cols : columns, copy: true };
  }
  if (kind === 'InsertStmt') {
    if (node.onConflictClause) refuse(`INSERT … ON CONFLICT is not supported on ${table.name}`, 'JSM has no upsert: look the row up first, then INSERT or UPDATE it.');
    const cols = (node.cols ?? []).map((c: Node) => String(c.ResTarget.name));
    for (const c of cols) if (!columns.includes(c)) throw new PgError(SqlState.UndefinedColumn, `column "${c}" of relation "${engineName(table.name)}" does not exist`);
    const stmt = { ...node, relation: stageRel, returningList: undefined };
    return { kind: 'insert', table, stage, stageSql: await deparse({ InsertStmt: stmt }), written: cols.length ? cols : columns, answerSql };
  }
  if (node.whereClause?.CurrentOfExpr) refuse(`WHERE CURRENT OF is not supported on ${table.name}`, 'Name the rows by their key columns.');
  const target = { RangeVar: { ...relation, alias: { aliasname: alias } } };
  const ref = (col: string) => ({ ColumnRef: { fields: [str(alias), str(col)] } });
  let targetList: Node[];
  let from: Node[];
  let written: string[] = [];
  if (kind === 'UpdateStmt') {
    const set = new Map<string, Node>();
    for (const t of node.targetList as Node[]) {
      const name = String(t.ResTarget.name);
      if (!columns.includes(name)) throw new PgError(SqlState.UndefinedColumn, `column "${name}" of relation "${engineName(table.name)}" does not exist`);
      if (t.ResTarget.indirection) refuse(`UPDATE of a part of column ${name} is not supported`);
      let val = t.ResTarget.val as Node;
      if (val.MultiAssignRef) {
        const source = val.MultiAssignRef.source;
        if (!source.RowExpr) refuse('UPDATE … SET (columns) = (SELECT …) is not supported on JSM relations', 'Give each column its own expression.');
        val = source.RowExpr.args[val.MultiAssignRef.colno - 1];
      }
      set.set(name, val);
    }
    const key = table.columns.find((c) => c.key && set.has(engineName(c.name)));
    if (key) refuse(`column ${key.name} identifies a row of ${table.name} and cannot be changed`, 'Delete the row and insert a new one instead.');
    written = [...set.keys()];
    targetList = table.columns.map((c) => {
      const n = engineName(c.name);
      const v = set.get(n);
      return { ResTarget: { name: n, val: v ? { TypeCast: { arg: v, typeName: typeName(c.type) } } : ref(n) } };
    });
    from = [target, ...(node.fromClause ?? [])];
  } else {
    targetList = columns.map((n) => ({ ResTarget: { name: n, val: ref(n) } }));
    from = [target, ...(node.usingClause ?? [])];
  }
  const select = { SelectStmt: { targetList, fromClause: from, whereClause: node.whereClause, withClause: node.withClause, limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } };
  const insert = { InsertStmt: { relation: stageRel, cols: columns.map((n) => ({ ResTarget: { name: n } })), selectStmt: select, override: 'OVERRIDING_NOT_SET' } };
  return { kind: kind === 'UpdateStmt' ? 'update' : 'delete', table, stage, stageSql: await deparse(insert), written, answerSql };
}
