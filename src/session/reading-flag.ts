import type { Engine } from '../engine/engine.ts';

/**
 * The engine-side list of JSM relations the running statement may read (`jsm.reading`, checked
 * by each relation's guard; see schemaDdl). The gateway sets it to what it fetched for a statement
 * just before the statement runs, and clears it before statements it did not plan, so a function
 * body, DO block or refresh never reads rows left from another statement.
 *
 * Cursors declared in a transaction block read their rows on each FETCH, and WITH HOLD ones at
 * COMMIT: their relations stay on the list until the transaction ends (the rows they see are
 * those of their own statement, since loads inside a transaction only delete and insert).
 */
export class ReadingFlag {
  /** What the engine holds; undefined when unknown (a rollback may have restored an older value). */
  private current: string | undefined = '';
  private readonly cursors = new Set<string>();

  async apply(engine: Engine, loaded: Iterable<string>): Promise<void> {
    const change = this.change(loaded);
    if (!change) return;
    await engine.exec(change.sql);
    change.done();
  }

  /**
   * The SET that gives the engine the list for a statement that read `loaded`, or undefined when
   * the engine holds it already; `done` once the engine ran it. The session sends it in the same
   * request as the statement (one round trip to the engine's thread instead of two).
   */
  change(loaded: Iterable<string>): { sql: string; done: () => void } | undefined {
    const value = [...new Set([...loaded, ...this.cursors])].sort().join(',');
    if (value === this.current) return undefined;
    return { sql: `SET jsm.reading = '${value.replace(/'/g, "''")}'`, done: () => (this.current = value) };
  }

  cursorDeclared(relations: Iterable<string>): void {
    for (const r of relations) this.cursors.add(r);
  }

  transactionEnded(): void {
    this.cursors.clear();
    this.current = undefined;
  }

  /** The client itself set or reset settings: the engine's value is no longer known. */
  settingsChanged(): void {
    this.current = undefined;
  }
}
