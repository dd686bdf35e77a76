/** The row a procedure answers with, as a query the engine runs for the client (simple or extended protocol alike). */
import { quoteIdent } from '../catalog/procedures-ddl.ts';
import { quoteLiteral } from '../catalog/sql.ts';
import type { ProcedureDecl } from '../catalog/types.ts';

export type ResultRow = Readonly<Record<string, string | null | undefined>>;

/** One row with the seed's result columns, in order, with their seed names and types. */
export function resultSql(proc: ProcedureDecl, row: ResultRow): string {
  const cols = proc.result.map((c) => {
    const v = row[c.name];
    return `${v == null ? 'NULL' : quoteLiteral(v)}::${c.type} AS ${quoteIdent(c.name)}`;
  });
  return `SELECT ${cols.join(', ')}`;
}

/** A JSON value of the API as result text: booleans and numbers spelled as PostgreSQL would cast them. */
export function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
