import { engineName } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import { PgError, SqlState, type SqlStateCode } from '../errors/index.ts';
import type { BoundParams, GatewayStatementContext, StatementAnswer } from '../executor/gateway-statement.ts';
import { applyRows, type PlannedRow, type RowOutcome } from './apply-rows.ts';
import type { IdentityRow, IdentitySink } from './index.ts';
import { checkRow, formOf, type Values } from './row-forms.ts';
import { planWrite, stageDdl, type WriteKind, type WriteStatement } from './write-statement.ts';

const VERB: Record<WriteKind, string> = { insert: 'INSERT into', update: 'UPDATE of', delete: 'DELETE from' };
const OPERATION: Record<WriteKind, IdentityRow['operation']> = { insert: 'INSERTED', update: 'UPDATED', delete: 'DELETED' };
/** Failed rows named one by one in an error's DETAIL; the rest are counted (sys_identity has them all). */
const DETAILED = 10;

/**
 * INSERT, UPDATE or DELETE on a JSM relation (DESIGN.md §7): the engine finds the rows (staging
 * them with the statement's own expressions, parameters and conditions), each row is checked,
 * then applied by one API call; sys_identity gets a row for each; the statement answers with the
 * count the API applied and RETURNING from what it answered, or fails saying exactly what was
 * applied and what was not. Nothing is rolled back: JSM has no transactions.
 */
export async function executeWrite(ctx: GatewayStatementContext, node: Record<string, unknown>, kind: string, identity: IdentitySink, bound?: BoundParams): Promise<StatementAnswer> {
  const w = await planWrite(ctx.catalog, kind, node);
  const verb = `${VERB[w.kind]} ${w.table.name}`;
  const op = w.table.writes?.[w.kind];
  if (!op) throw notWritable(w.table, w.kind);
  const ro = await ctx.engine.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro");
  if (ro.rows[0]?.ro === 'on') throw new PgError(SqlState.ReadOnlySqlTransaction, `cannot execute ${w.kind.toUpperCase()} in a read-only transaction`);

  const staged = (await stageRows(ctx, w, bound)).map((row) => withDefaults(w, op.defaults, row));
  const planned: PlannedRow[] = staged.map((values, i) => {
    const form = formOf(w.table, verb, op, values, i + 1);
    return { no: i + 1, form, values: checkRow(w.table, verb, op, form, values, w.written, i + 1) };
  });
  const outcomes = planned.length ? await applyRows(ctx, w.table, op, planned) : [];
  const applied = outcomes.filter((o) => o.status === 'applied');
  if (applied.length) for (const t of [w.table.name, w.table.parent?.table, ...(op.touches ?? [])]) if (t) ctx.cache.clear(t);
  await identity.note(outcomes.map((o) => identityRow(w, identity.batch, o)));
  if (applied.length < outcomes.length) throw partialFailure(verb, w, outcomes, identity.batch);

  if (w.answerSql) await restage(ctx, w, applied.map((o) => o.row));
  const n = applied.length;
  return {
    tag: w.copy ? `COPY ${n}` : w.kind === 'insert' ? `INSERT 0 ${n}` : `${w.kind.toUpperCase()} ${n}`,
    sql: w.answerSql,
    warnings: ctx.inBlock && n > 0 ? [`${verb}: ${n} row${n === 1 ? ' was' : 's were'} applied to JSM as the statement ran; ROLLBACK will not undo ${n === 1 ? 'it' : 'them'}`] : [],
  };
}

/** An INSERT's row with the op's defaults for the columns the statement left out. */
function withDefaults(w: WriteStatement, defaults: Readonly<Record<string, unknown>> | undefined, row: Values): Values {
  if (w.kind !== 'insert' || !defaults) return row;
  const out = { ...row };
  for (const [column, value] of Object.entries(defaults)) if (!w.written.includes(engineName(column))) out[engineName(column)] = value;
  return out;
}

function notWritable(table: TableDecl, kind: WriteKind): PgError {
  const ops = (['insert', 'update', 'delete'] as const).filter((k) => table.writes?.[k]).map((k) => k.toUpperCase());
  return new PgError(SqlState.FeatureNotSupported, `${table.name} cannot be changed with ${kind.toUpperCase()}: the JSM API has no such operation`, {
    hint: ops.length ? `${table.name} takes ${ops.join(' and ')}.` : `${table.name} is read only.`,
  });
}

/** Creates the staging table (once per engine), empties it, runs the staging statement with the client's parameters, reads the rows. */
async function stageRows(ctx: GatewayStatementContext, w: WriteStatement, bound?: BoundParams): Promise<Values[]> {
  await ctx.engine.exec(`${stageDdl(w)}; DELETE FROM pg_temp.${w.stage}`);
  if (w.copy) await ctx.copyData!(w.stageSql);
  else await ctx.run(w.stageSql, bound);
  const r = await ctx.engine.query<{ r: Values }>(`SELECT to_jsonb(s) AS r FROM pg_temp.${w.stage} s`);
  const rows = r.rows.map((x) => x.r);
  if (w.kind === 'insert') return rows;
  // a join in UPDATE … FROM or DELETE … USING can find a row twice; it is changed once
  const keys = w.table.columns.filter((c) => c.key).map((c) => engineName(c.name));
  const seen = new Set<string>();
  return rows.filter((row) => {
    const k = JSON.stringify(keys.map((c) => row[c]));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Puts the rows the API answered in the staging table, for RETURNING to read. */
async function restage(ctx: GatewayStatementContext, w: WriteStatement, rows: Values[]): Promise<void> {
  await ctx.engine.query(`DELETE FROM pg_temp.${w.stage}`);
  if (rows.length) await ctx.engine.query(`INSERT INTO pg_temp.${w.stage} SELECT * FROM jsonb_populate_recordset(NULL::pg_temp.${w.stage}, $1::jsonb)`, [JSON.stringify(rows)]);
}

/** The ID the API gave the row (its own key column, not the parent's), for sys_identity. */
function rowId(table: TableDecl, row: Values): string | null {
  const key = table.columns.find((c) => c.key && !c.bind) ?? table.columns.find((c) => c.key);
  const v = key ? row[engineName(key.name)] : null;
  return v === null || v === undefined ? null : String(v);
}

function identityRow(w: WriteStatement, batch: string, o: RowOutcome): IdentityRow {
  const message = o.status === 'applied' ? 'SUCCESS' : o.status === 'unknown' ? `UNKNOWN: ${o.error.message} (the API may have applied it)` : o.status === 'skipped' ? `NOT SENT: ${o.error.message}` : o.error.message;
  return { id: rowId(w.table, o.row), batch, operation: OPERATION[w.kind], message };
}

/** Names the row by the columns that address it (its parent and key), e.g. RequestId=12, AccountId=qm:1. */
function rowLabel(table: TableDecl, row: Values): string {
  const cols = table.columns.filter((c) => c.key || c.bind).map((c) => engineName(c.name)).filter((c) => row[c] !== null && row[c] !== undefined);
  return cols.map((c) => `${table.columns.find((x) => engineName(x.name) === c)!.name}=${String(row[c])}`).join(', ');
}

function partialFailure(verb: string, w: WriteStatement, outcomes: RowOutcome[], batch: string): PgError {
  const count = (s: RowOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  const [applied, failed, unknown, skipped] = [count('applied'), count('failed'), count('unknown'), count('skipped')];
  const bad = outcomes.filter((o): o is Exclude<RowOutcome, { status: 'applied' }> => o.status !== 'applied');
  const first = bad[0]!;
  const parts = [`${failed} failed`, unknown && `${unknown} unknown (the response was lost: JSM may have applied ${unknown === 1 ? 'it' : 'them'})`, skipped && `${skipped} not sent`].filter(Boolean);
  const lines = bad.filter((o) => o.status !== 'skipped').slice(0, DETAILED).map((o) => `row ${o.no} (${rowLabel(w.table, o.row)}): ${o.status === 'unknown' ? 'unknown: ' : ''}${o.error.message}${o.error.fields.detail && o.status === 'failed' ? ` [${o.error.fields.detail}]` : ''}`);
  if (bad.length > DETAILED) lines.push(`… and ${bad.length - DETAILED} more`);
  const code: SqlStateCode = skipped && first.status === 'skipped' ? first.error.code : bad.find((o) => o.status === 'failed')?.error.code ?? first.error.code;
  const canceled = skipped ? `${first.error.message}: ` : '';
  return new PgError(code, `${canceled}${verb}: ${applied} of ${outcomes.length} row${outcomes.length === 1 ? '' : 's'} applied, ${parts.join(', ')}`, {
    detail: lines.join('\n'),
    hint: `The applied rows stay applied (JSM has no rollback); SELECT * FROM sys_identity WHERE Batch = '${batch}' lists every row's outcome.`,
  });
}
