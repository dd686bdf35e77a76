/**
 * CALL of the seed's procedures, carried out by the gateway: the arguments are matched to the
 * parameters (arguments.ts), checked by the engine's resolution of the same call and evaluated by
 * the engine, then the procedure's module calls the API and answers with one row of the seed's
 * result columns (result.ts).
 */
import type { Catalog } from '../catalog/registry.ts';
import type { ProcedureDecl } from '../catalog/types.ts';
import type { BoundParams, GatewayStatementContext, StatementAnswer } from '../executor/gateway-statement.ts';
import { checkInEngine, evaluateArguments, funcCall, requireParams, resolveArguments, type CallArgs } from './arguments.ts';
import { addAttachment, attachTemporaryFile } from './attachments.ts';
import { createCustomer } from './customers.ts';
import { getOAuthAccessToken, getOAuthAuthorizationUrl, refreshOAuthAccessToken } from './oauth.ts';
import { resultSql, type ResultRow } from './result.ts';
import { createSchema } from './schema-file.ts';

type Handler = (ctx: GatewayStatementContext, args: CallArgs) => Promise<ResultRow>;

const HANDLERS: Readonly<Record<string, Handler>> = {
  AddAttachment: addAttachment,
  AttachTemporaryFile: attachTemporaryFile,
  CreateCustomer: createCustomer,
  CreateSchema: createSchema,
  GetOAuthAccessToken: getOAuthAccessToken,
  GetOAuthAuthorizationURL: getOAuthAuthorizationUrl,
  RefreshOAuthAccessToken: refreshOAuthAccessToken,
};

/** The call of a seed procedure the gateway carries out, if `node` (a CallStmt) is one. */
export function findProcedure(catalog: Catalog, node: Record<string, unknown>): ProcedureDecl | undefined {
  const names = ((funcCall(node).funcname ?? []) as { String?: { sval?: string } }[]).map((n) => String(n.String?.sval ?? '').toLowerCase());
  const name = names[names.length - 1];
  if (!name || (names.length > 1 && names[0] !== 'jsm')) return undefined;
  return catalog.procedures.find((p) => p.name.toLowerCase() === name && HANDLERS[p.name]);
}

/** Runs a CALL of a seed procedure through the API and answers with its result columns. */
export async function callProcedure(ctx: GatewayStatementContext, proc: ProcedureDecl, node: Record<string, unknown>, bound?: BoundParams): Promise<StatementAnswer> {
  const resolved = resolveArguments(proc, node);
  await checkInEngine(ctx, proc, node, bound);
  const args = await evaluateArguments(ctx, proc, resolved, bound);
  requireParams(args);
  const row = await HANDLERS[proc.name]!(ctx, args);
  return { tag: 'CALL', sql: resultSql(proc, row) };
}
