/**
 * The seed's procedures as engine procedures: the gateway carries out every CALL of them
 * (src/procedures), but the engine must know them too, so that `\df`, pg_proc and driver metadata
 * list them, and so that an extended-protocol Parse of `CALL CreateCustomer($1, $2)` (forwarded to
 * the engine before the gateway answers its Execute) resolves, with Describe giving the result
 * columns the gateway's answer will have.
 *
 * Input parameters are lower-case (an unquoted `email => …` names them) and DEFAULT NULL (any may
 * be left out; the gateway checks the required ones). The result columns are INOUT DEFAULT NULL,
 * not OUT: PostgreSQL forbids a procedure's OUT parameters after one with a default, and a CALL
 * must pass an argument for each OUT one, which the seed's calls (`CALL CreateCustomer('a@b.c',
 * 'A B')`) do not. A CALL that passes them anyway (as PostgreSQL's own CALL would) is accepted and
 * their values ignored. Their names keep the seed's spelling, as the gateway's result rows do.
 */
import type { Catalog } from './registry.ts';
import { JSM_SCHEMA } from './registry.ts';
import { quoteLiteral } from './sql.ts';
import type { ProcedureDecl } from './types.ts';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The engine's name of a seed procedure (unquoted, so `CALL CreateCustomer(…)` finds it). */
export const engineProcedureName = (p: ProcedureDecl): string => p.name.toLowerCase();

/** The engine's name of an input parameter. */
export const engineParamName = (name: string): string => name.toLowerCase();

function signature(p: ProcedureDecl): string {
  return [
    ...p.params.map((x) => `${quoteIdent(engineParamName(x.name))} ${x.type} DEFAULT NULL`),
    ...p.result.map((r) => `INOUT ${quoteIdent(r.name)} ${r.type} DEFAULT NULL`),
  ].join(', ');
}

/** The argument types that identify the procedure (COMMENT ON). */
const argTypes = (p: ProcedureDecl) => [...p.params.map((x) => x.type), ...p.result.map((r) => r.type)].join(', ');

/** The catalog's description, and what the engine's signature cannot say: which parameters are required. */
function comment(p: ProcedureDecl): string {
  const required = p.params.filter((x) => x.required).map((x) => x.name);
  const params = p.params.map((x) => x.name).join(', ');
  const results = p.result.map((r) => r.name).join(', ');
  return `${p.description} Parameters: ${params}${required.length ? ` (required: ${required.join(', ')})` : ' (all optional)'}; by position or by name. Returns one row: ${results}.`;
}

function body(p: ProcedureDecl): string {
  const message = `${p.name} is carried out by the jsm-pg gateway, only as a CALL statement of its own`;
  const hint = 'Call it with CALL directly (not from a function, DO block or another statement).';
  return `BEGIN
  RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = ${quoteLiteral(message)}, HINT = ${quoteLiteral(hint)};
END`;
}

/** CREATE PROCEDURE and COMMENT ON PROCEDURE for each of the catalog's procedures (run by the superuser; EXECUTE stays granted to PUBLIC). */
export function proceduresDdl(catalog: Catalog): string[] {
  return catalog.procedures.flatMap((p) => {
    const name = `${JSM_SCHEMA}.${engineProcedureName(p)}`;
    return [
      `CREATE PROCEDURE ${name}(${signature(p)}) LANGUAGE plpgsql AS $proc$\n${body(p)}\n$proc$`,
      `COMMENT ON PROCEDURE ${name}(${argTypes(p)}) IS ${quoteLiteral(comment(p))}`,
    ];
  });
}
