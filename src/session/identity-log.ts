import { CLIENT_ROLE, JSM_SCHEMA } from '../catalog/registry.ts';
import { quoteLiteral } from '../catalog/sql.ts';
import type { Engine } from '../engine/engine.ts';
import type { IdentityRow } from '../writes/index.ts';

const TABLE = `${JSM_SCHEMA}.sys_identity`;

/**
 * sys_identity: one row per row a write statement of this session tried (the seed's Id, Batch,
 * Operation, Message). The engine's table is what the client reads, but a ROLLBACK of the block
 * a write ran in (or a replaced engine) would take rows with it, while the API writes stay done:
 * so the session keeps them too and puts them back when a transaction ends with fewer.
 */
export class IdentityLog {
  private readonly rows: IdentityRow[] = [];
  private batches = 0;
  private unsure = false;

  /** Batch of the next write statement: 1 for the session's first. */
  nextBatch(): string {
    return String(++this.batches);
  }

  async note(engine: Engine, rows: readonly IdentityRow[]): Promise<void> {
    if (!rows.length) return;
    this.rows.push(...rows);
    this.unsure = true;
    await engine.exec(asSuperuser(insertSql(rows)));
  }

  /** After a transaction ended: the rows a ROLLBACK took are written again. */
  async afterTransaction(engine: Engine): Promise<void> {
    if (!this.unsure) return;
    this.unsure = false;
    const r = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${TABLE}`);
    if (r.rows[0]?.n !== this.rows.length) await this.rewrite(engine);
  }

  /** Writes them all into a fresh (or rolled back) engine. */
  async rewrite(engine: Engine): Promise<void> {
    if (!this.rows.length) return;
    await engine.exec(asSuperuser(`DELETE FROM ${TABLE}; ${this.rows.length ? insertSql(this.rows) : ''}`));
  }
}

/** Client SQL runs as CLIENT_ROLE, which may read sys_identity but not write it. */
const asSuperuser = (sql: string) => `RESET ROLE; ${sql}; SET ROLE ${CLIENT_ROLE}`;

const insertSql = (rows: readonly IdentityRow[]) =>
  `INSERT INTO ${TABLE} (id, batch, operation, message) VALUES ${rows.map((r) => `(${[r.id, r.batch, r.operation, r.message].map((v) => (v === null ? 'NULL' : quoteLiteral(v))).join(', ')})`).join(', ')}`;
