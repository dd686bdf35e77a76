import { engineName, ROWS_SCHEMA, rowsTableName } from '../catalog/registry.ts';
import type { TableDecl } from '../catalog/types.ts';
import type { Row } from './row-mapper.ts';
import type { Engine } from '../engine/engine.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';

/** Where loads are counted (the gateway's metrics, when it serves them). */
export type LoadMetrics = Pick<GatewayMetrics, 'rowsLoaded'>;

/**
 * Key, pseudo and bound columns: the same item fetched under two pseudo values, under two parents
 * (an organization of two desks) or under two echoed filter values (a request type of two groups)
 * is two rows. A column bound only when the value fits its pattern (RequestKey) does not count.
 */
function identity(table: TableDecl): string[] {
  return table.columns.filter((c) => c.key || c.pseudo || (c.bind && !c.bindPattern)).map((c) => engineName(c.name));
}

export function dedupe(table: TableDecl, rows: Row[]): Row[] {
  const cols = identity(table);
  const seen = new Map<string, Row>();
  for (const r of rows) seen.set(JSON.stringify(cols.map((c) => r[c] ?? null)), r);
  return [...seen.values()];
}

/**
 * What each of a session's row tables holds, when it was loaded outside a transaction (so no
 * rollback can undo it): a repeated query over the same cached results then loads nothing.
 */
export class LoadTracker {
  private readonly durable = new Map<TableDecl, readonly Row[][]>();

  isCurrent(table: TableDecl, parts: readonly Row[][]): boolean {
    const had = this.durable.get(table);
    return !!had && had.length === parts.length && had.every((p, i) => p === parts[i]);
  }

  /** The rows tables were re-created empty. */
  clear(): void {
    this.durable.clear();
  }

  loaded(table: TableDecl, parts: readonly Row[][], inTransaction: boolean): void {
    if (inTransaction) this.durable.delete(table);
    else this.durable.set(table, parts);
  }
}

/**
 * Replaces the session's copy of a relation with these rows in one statement. Runs inside the
 * client's transaction when there is one; the temp child table is writable even in READ ONLY ones.
 */
export async function loadParts(engine: Engine, table: TableDecl, parts: readonly Row[][], inTransaction: boolean, tracker?: LoadTracker, metrics?: LoadMetrics): Promise<void> {
  if (tracker?.isCurrent(table, parts)) return;
  await loadRows(engine, table, parts.flat(), inTransaction, metrics);
  tracker?.loaded(table, parts, inTransaction);
}

/** The rows tables belong to the engine's superuser: the client role writes them only through pg_jsm_rows.load (see schemaDdl). */
export async function loadRows(engine: Engine, table: TableDecl, rows: Row[], inTransaction: boolean, metrics?: LoadMetrics): Promise<void> {
  const unique = rows.length ? dedupe(table, rows) : rows;
  await engine.query(`SELECT ${ROWS_SCHEMA}.load($1, $2::json, $3)`, [rowsTableName(table.name), unique.length ? JSON.stringify(unique) : null, inTransaction]);
  if (unique.length) metrics?.rowsLoaded(table.name, unique.length);
}
