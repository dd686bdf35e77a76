/**
 * A CALL's arguments: which parameter each one is (by position, or by name with `=>` / `:=`, as
 * PostgreSQL matches them), checked by the engine's own resolution of the call, then evaluated by
 * the engine with the client's bound parameters (any expression works, subqueries over JSM
 * relations included: they go through the read path).
 */
import { deparse } from 'pgsql-deparser';
import { JSM_SCHEMA } from '../catalog/registry.ts';
import { engineProcedureName } from '../catalog/procedures-ddl.ts';
import type { ProcedureDecl, ProcedureParamDecl } from '../catalog/types.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { BoundParams, GatewayStatementContext } from '../executor/gateway-statement.ts';
import { closeMessage, engineError, parseMessage, syncMessage } from '../protocol/engine-messages.ts';

type Node = Record<string, any>;

/** One argument of the call: `param` is absent for a placeholder of a result column (ignored, as PostgreSQL's CALL takes one per OUT parameter). */
export interface CallArgument {
  readonly param?: ProcedureParamDecl;
  readonly expr: Node;
}

/** The FuncCall of a CallStmt (libpg-query nests it or not, depending on the node's origin). */
export function funcCall(node: Node): Node {
  return (node.funccall?.FuncCall ?? node.funccall ?? {}) as Node;
}

const paramList = (proc: ProcedureDecl) => proc.params.map((p) => p.name).join(', ');

/** Matches each argument to a parameter, names case-insensitively; errors say which argument and why. */
export function resolveArguments(proc: ProcedureDecl, node: Node): CallArgument[] {
  const args = (funcCall(node).args ?? []) as Node[];
  const out: CallArgument[] = [];
  const given = new Set<string>();
  const take = (param: ProcedureParamDecl | undefined, expr: Node, label: string) => {
    // a result column may share a parameter's name (CreateCustomer's DisplayName)
    const key = param ? `in:${param.name.toLowerCase()}` : `out:${label.toLowerCase()}`;
    if (given.has(key)) {
      throw new PgError(SqlState.SyntaxError, `parameter ${param?.name ?? label} of procedure ${proc.name} is given more than once`);
    }
    given.add(key);
    out.push({ param, expr });
  };
  let named = false;
  args.forEach((arg, i) => {
    const n = arg.NamedArgExpr as Node | undefined;
    if (n) {
      named = true;
      const name = String(n.name);
      const param = proc.params.find((p) => p.name.toLowerCase() === name.toLowerCase());
      const result = param ? undefined : proc.result.find((r) => r.name.toLowerCase() === name.toLowerCase());
      if (!param && !result) {
        throw new PgError(SqlState.UndefinedFunction, `procedure ${proc.name} has no parameter named "${name}"`, {
          hint: `Its parameters are ${paramList(proc)}.`,
        });
      }
      take(param, n.arg as Node, result?.name ?? name);
      return;
    }
    if (named) throw new PgError(SqlState.SyntaxError, 'positional argument cannot follow named argument');
    const max = proc.params.length + proc.result.length;
    if (i >= max) {
      throw new PgError(SqlState.UndefinedFunction, `procedure ${proc.name} takes at most ${proc.params.length} arguments, ${args.length} given`, {
        hint: `Its parameters are ${paramList(proc)}.`,
      });
    }
    take(proc.params[i], arg, proc.result[i - proc.params.length]?.name ?? String(i));
  });
  return out;
}

const CHECK_STATEMENT = 'jsm_pg_call_check';

/**
 * Has the engine resolve the call against its procedure (procedures-ddl.ts) without running it:
 * a Parse of the same CALL, named jsm's, with the client's parameter types. What PostgreSQL
 * would refuse (an argument of the wrong type, say) is refused here, before any API call.
 */
export async function checkInEngine(ctx: GatewayStatementContext, proc: ProcedureDecl, node: Node, bound?: BoundParams): Promise<void> {
  const call = structuredClone(node);
  funcCall(call).funcname = [{ String: { sval: JSM_SCHEMA } }, { String: { sval: engineProcedureName(proc) } }];
  const sql = await deparse({ CallStmt: call } as never);
  const engine = ctx.engine;
  // a failed Parse would abort the client's transaction block
  if (ctx.inBlock) await engine.exec('SAVEPOINT jsm_pg_call');
  const out = await engine.execRaw(Buffer.concat([parseMessage(CHECK_STATEMENT, sql, bound?.paramTypes ?? []), closeMessage('S', CHECK_STATEMENT), syncMessage()]));
  const err = engineError(out);
  if (ctx.inBlock) await engine.exec(err ? 'ROLLBACK TO SAVEPOINT jsm_pg_call; RELEASE SAVEPOINT jsm_pg_call' : 'RELEASE SAVEPOINT jsm_pg_call');
  if (err) throw err;
}

/** The call's argument values by parameter name: text, bytea as base64, null when absent or NULL. */
export class CallArgs {
  constructor(
    readonly proc: ProcedureDecl,
    private readonly values: ReadonlyMap<string, string | null>,
  ) {}

  /** The value, or undefined when the argument is absent or NULL. */
  text(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  bytes(name: string): Buffer | undefined {
    const v = this.values.get(name);
    return v == null ? undefined : Buffer.from(v, 'base64');
  }
}

const ARGS_TABLE = 'pg_temp.jsm_pg_call_args';

/**
 * Evaluates the arguments in the engine, in one statement run with the client's parameters; its
 * row goes through a temp table (the session's run answers no rows), dropped afterwards.
 */
export async function evaluateArguments(ctx: GatewayStatementContext, proc: ProcedureDecl, args: readonly CallArgument[], bound?: BoundParams): Promise<CallArgs> {
  const values = new Map<string, string | null>();
  if (args.length === 0) return new CallArgs(proc, values);
  const parts = await Promise.all(args.map(async (a) => {
    const expr = await deparse(a.expr as never);
    return a.param?.type === 'bytea' ? `encode((${expr})::bytea, 'base64')` : `(${expr})::text`;
  }));
  const engine = ctx.engine;
  await engine.exec(`CREATE TEMP TABLE IF NOT EXISTS jsm_pg_call_args (v text); DELETE FROM ${ARGS_TABLE}`);
  let row: string | undefined;
  try {
    await ctx.run(`INSERT INTO ${ARGS_TABLE} SELECT json_build_array(${parts.join(', ')})::text`, bound);
    row = (await engine.execScript<{ v: string }>(`SELECT v FROM ${ARGS_TABLE}`))[0]?.[0]?.v; // simple protocol: the client's unnamed statement stays
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${ARGS_TABLE}`).catch(() => undefined);
  }
  const evaluated = JSON.parse(row ?? '[]') as (string | null)[];
  args.forEach((a, i) => {
    if (a.param) values.set(a.param.name, evaluated[i] ?? null);
  });
  return new CallArgs(proc, values);
}

/** Parameters the seed marks required must have a value (23502, as for a NOT NULL column). */
export function requireParams(args: CallArgs): void {
  for (const p of args.proc.params) {
    if (p.required && args.text(p.name) === undefined) {
      throw new PgError(SqlState.NotNullViolation, `procedure ${args.proc.name} needs a value for parameter ${p.name}`, {
        hint: `e.g. CALL ${args.proc.name}(${p.name} => '…')`,
      });
    }
  }
}

/** A value the gateway needs though the seed does not mark it required. */
export function needed(args: CallArgs, name: string, why: string): string {
  const v = args.text(name);
  if (v === undefined) throw new PgError(SqlState.NotNullViolation, `procedure ${args.proc.name} needs a value for parameter ${name}: ${why}`);
  return v;
}
