import type { Catalog } from '../catalog/registry.ts';
import { quoteLiteral } from '../catalog/sql.ts';
import type { Engine } from '../engine/engine.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { StatementAnswer } from '../executor/gateway-statement.ts';
import { modelPlanRows } from '../session/explain-model.ts';
import { planWrite, stageDdl } from './write-statement.ts';

/**
 * EXPLAIN of a write to a JSM relation: the API call each row takes, then the engine's plan of
 * finding the rows. EXPLAIN ANALYZE would have to apply the write (PostgreSQL runs the statement),
 * which an explanation must not do: it is refused.
 */
export async function explainWrite(engine: Engine, catalog: Catalog, node: Record<string, unknown>, kind: string, analyze: boolean): Promise<StatementAnswer> {
  const w = await planWrite(catalog, kind, node);
  const op = w.table.writes?.[w.kind];
  if (analyze) {
    throw new PgError(SqlState.FeatureNotSupported, `EXPLAIN ANALYZE of a write to ${w.table.name} is not supported: it would apply the write to JSM`, {
      hint: 'Use EXPLAIN without ANALYZE to see the calls it takes.',
    });
  }
  const calls = op
    ? op.forms.map((f, i) => `${i === 0 ? 'JSM write' : '   or'}: one ${f.method} ${f.path} per row${op.forms.length > 1 ? ` (rows with ${f.needs.map((n) => n.split('|').join(' or ')).join(', ')})` : ''}`)
    : [`JSM write: none (${w.table.name} cannot be changed with ${w.kind.toUpperCase()})`];
  const generic = /\$\d/.test(w.stageSql) ? '(GENERIC_PLAN) ' : '';
  const [, plan] = await engine.execScript<{ 'QUERY PLAN': string }>(`${stageDdl(w)}; EXPLAIN ${generic}${w.stageSql}`);
  // the plan as the data model shows it (one scan per relation read, no guard), as a read's EXPLAIN
  const lines = [...calls, `Rows to ${w.kind}: found by`, ...modelPlanRows((plan ?? []).map((r) => r['QUERY PLAN'])).map((l) => `  ${l}`)];
  return { tag: 'EXPLAIN', sql: `SELECT line AS "QUERY PLAN" FROM (VALUES ${lines.map((l, i) => `(${i}, ${quoteLiteral(l)})`).join(', ')}) AS t(n, line) ORDER BY n` };
}
