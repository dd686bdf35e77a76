import type { Catalog } from '../catalog/registry.ts';
import type { ProcedureDecl } from '../catalog/types.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { BoundParams, GatewayStatementContext, StatementAnswer } from '../executor/gateway-statement.ts';

/** The call of a seed procedure the gateway carries out, if `node` (a CallStmt) is one. */
export function findProcedure(catalog: Catalog, node: Record<string, unknown>): ProcedureDecl | undefined {
  const fc = ((node.funccall as Record<string, any> | undefined)?.FuncCall ?? node.funccall) as { funcname?: { String?: { sval?: string } }[] } | undefined;
  const names = (fc?.funcname ?? []).map((n) => String(n.String?.sval ?? '').toLowerCase());
  const name = names[names.length - 1];
  if (!name || (names.length > 1 && names[0] !== 'jsm')) return undefined;
  return catalog.procedures.find((p) => p.name.toLowerCase() === name);
}

/** Runs a CALL of a seed procedure through the API and answers with its result columns. */
export async function callProcedure(_ctx: GatewayStatementContext, proc: ProcedureDecl, _node: Record<string, unknown>, _bound?: BoundParams): Promise<StatementAnswer> {
  throw new PgError(SqlState.FeatureNotSupported, `procedure ${proc.name} is not available yet`);
}
