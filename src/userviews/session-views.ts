/**
 * One session's side of the user-defined views: they exist in its engine as views of the user
 * views schema, owned by the client role (so plain CREATE OR REPLACE VIEW and DROP VIEW work on
 * them); what the session creates, replaces, renames or drops there is written to the views file
 * once it is committed; and changes other sessions made to the file are applied before a statement.
 */
import { parseSync } from 'libpg-query';
import type { Logger } from 'pino';
import { quoteLiteral } from '../catalog/sql.ts';
import type { Engine } from '../engine/engine.ts';
import type { StatementInfo } from '../session/classify.ts';
import { seedSyntax } from '../session/seed-syntax.ts';
import { mayChangeViews } from '../session/statement-caches.ts';
import { isWord, significant, tokenize } from '../session/sql-tokens.ts';
import type { UserView, UserViewStore } from './store.ts';

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The comment every user-defined view carries: sys_tables reads the view's name as the file spells it from it. */
export const COMMENT_PREFIX = 'User defined view ';
export const viewComment = (name: string, query: string) => `${COMMENT_PREFIX}${name}: ${query}`;

/** A view this session created or replaced in the schema, persisted if it is still so at commit. */
interface Pending { name: string; query: string; viewdef: string | null }

export class SessionUserViews {
  /** Engine name → query, for the views the engine has as the file has them. */
  private readonly applied = new Map<string, string>();
  private seen = -1;
  private readonly pending = new Map<string, Pending>();
  private dirty = false;
  private warnings: string[] = [];
  /** Names of LOCAL VIEW statements as the user wrote them, by engine name (a quoted name keeps no spelling of its own). */
  private readonly spellings = new Map<string, string>();

  constructor(private readonly store: UserViewStore, readonly schema: string, private readonly logger: Logger) {}

  /**
   * The store's views in a fresh engine that already runs as the client role (after the session's
   * startup), so the views are the client's: it may replace and drop them like any view of its own.
   */
  async install(engine: Engine): Promise<void> {
    this.applied.clear();
    this.pending.clear();
    this.dirty = false;
    this.seen = this.store.version;
    await this.createAll(engine, this.store.list());
  }

  /**
   * Applies changes made to the views since this engine last saw them (another session's, or the
   * file's). Runs between statements, outside transaction blocks. Returns whether anything changed.
   */
  async refresh(engine: Engine): Promise<boolean> {
    if (this.store.version === this.seen) return false;
    this.seen = this.store.version;
    const desired = new Map(this.store.list().map((v) => [v.engineName, v]));
    let changed = false;
    for (const name of [...this.applied.keys()]) {
      if (desired.has(name)) continue;
      this.applied.delete(name);
      changed = true;
      await engine.exec(`DROP VIEW IF EXISTS ${this.schema}.${quoteIdent(name)}`).catch((err) => this.logger.info({ err: (err as Error).message, view: name }, 'user view not dropped'));
    }
    const toCreate: UserView[] = [];
    for (const v of desired.values()) {
      if (this.applied.get(v.engineName) === v.query) continue;
      changed = true;
      if (!this.applied.has(v.engineName)) {
        toCreate.push(v);
        continue;
      }
      // CREATE OR REPLACE keeps views that depend on it, but cannot drop or retype columns: then drop and create
      const replaced = await this.create(engine, v, true).catch(async () => {
        await engine.exec(`DROP VIEW IF EXISTS ${this.schema}.${quoteIdent(v.engineName)}`);
        return this.create(engine, v, false);
      }).catch((err) => {
        this.logger.warn({ err: (err as Error).message, view: v.name }, 'user view not replaced');
        return false;
      });
      if (!replaced) this.applied.delete(v.engineName);
    }
    await this.createAll(engine, toCreate);
    return changed;
  }

  /** Whether the engine has views of the file (created by install or refresh). */
  get installed(): boolean {
    return this.applied.size > 0;
  }

  /** The views file's version this engine has (install, refresh). */
  get version(): number {
    return this.seen;
  }

  noteSpellings(names: readonly { engineName: string; name: string }[]): void {
    if (this.spellings.size > 100) this.spellings.clear();
    for (const n of names) this.spellings.set(n.engineName, n.name);
  }

  /** After a statement ran (ok: without error): notes views it created or renamed in the schema. */
  async afterStatement(engine: Engine, info: StatementInfo | null, ok: boolean): Promise<void> {
    if (!info || !ok) return;
    if (mayChangeViews(info)) this.dirty = true;
    const node = info.node as Record<string, any>;
    if (info.kind === 'ViewStmt' && node.view?.schemaname?.toLowerCase() === this.schema) {
      const engineName = String(node.view.relname);
      const query = viewQuery(info.sql, node, engineName);
      if (query === undefined) return;
      this.pending.set(engineName, { name: this.spellings.get(engineName) ?? spelledName(info.sql) ?? engineName, query, viewdef: await this.viewdef(engine, engineName) });
    } else if (info.kind === 'RenameStmt' && node.renameType === 'OBJECT_VIEW' && node.relation?.schemaname?.toLowerCase() === this.schema) {
      const from = String(node.relation.relname);
      const query = this.applied.get(from) ?? this.pending.get(from)?.query;
      const to = String(node.newname);
      if (query !== undefined) this.pending.set(to, { name: to, query, viewdef: await this.viewdef(engine, to) });
    }
  }

  /**
   * Outside a transaction block, after DDL: what was committed goes to the file. A pending view
   * counts only if the engine still has it as it was right after its statement (a ROLLBACK, or a
   * later replacement in the block, undoes it); a view of the file the engine no longer has was dropped.
   */
  async settle(engine: Engine): Promise<void> {
    if (!this.dirty && !this.pending.size) return;
    const pending = [...this.pending.entries()];
    this.pending.clear();
    this.dirty = false;
    let rows: { name: string; def: string | null }[];
    try {
      rows = (await engine.query<{ name: string; def: string | null }>(
        `SELECT c.relname AS name, pg_catalog.pg_get_viewdef(c.oid) AS def FROM pg_catalog.pg_class c WHERE c.relnamespace = pg_catalog.to_regnamespace($1) AND c.relkind = 'v'`,
        [this.schema],
      )).rows;
    } catch (err) {
      this.logger.warn({ err }, 'user views not read back');
      return;
    }
    const existing = new Map(rows.map((r) => [r.name, r.def]));
    try {
      for (const [engineName, p] of pending) {
        if (!existing.has(engineName) || existing.get(engineName) !== p.viewdef) continue;
        await this.store.set(p.name, p.query);
        this.applied.set(engineName, p.query);
        await engine.exec(`COMMENT ON VIEW ${this.schema}.${quoteIdent(engineName)} IS ${quoteLiteral(viewComment(p.name, p.query))}`).catch(() => undefined);
      }
      for (const name of [...this.applied.keys()]) {
        if (existing.has(name)) continue;
        await this.store.delete(name);
        this.applied.delete(name);
      }
    } catch (err) {
      this.logger.error({ err }, 'user views file not written');
      this.warnings.push(`the user-defined views were changed in this session but not saved: ${(err as Error).message}`);
    }
    this.seen = this.store.version;
  }

  /** Problems to tell the client (as WARNINGs), once. */
  takeWarnings(): string[] {
    const w = this.warnings;
    this.warnings = [];
    return w;
  }

  private async viewdef(engine: Engine, engineName: string): Promise<string | null> {
    const r = await engine.query<{ def: string | null }>('SELECT pg_catalog.pg_get_viewdef(to_regclass($1)) AS def', [`${this.schema}.${quoteIdent(engineName)}`]);
    return r.rows[0]?.def ?? null;
  }

  /** Views of the file, in as many rounds as it takes for views that read other user views; the rest are logged. */
  private async createAll(engine: Engine, views: UserView[]): Promise<void> {
    let left = views;
    while (left.length) {
      const failed: { v: UserView; err: unknown }[] = [];
      for (const v of left) await this.create(engine, v, false).catch((err: unknown) => failed.push({ v, err }));
      if (failed.length === left.length) {
        for (const f of failed) this.logger.warn({ view: f.v.name, err: (f.err as Error).message }, 'user-defined view not created');
        return;
      }
      left = failed.map((f) => f.v);
    }
  }

  private async create(engine: Engine, v: UserView, replace: boolean): Promise<boolean> {
    const ddl = viewDdl(this.schema, v, replace);
    await engine.exec(`${ddl};\nCOMMENT ON VIEW ${this.schema}.${quoteIdent(v.engineName)} IS ${quoteLiteral(viewComment(v.name, v.query))}`);
    this.applied.set(v.engineName, v.query);
    return true;
  }
}

/**
 * CREATE VIEW for a view of the file. Its query may be in the seed's dialect ([names], TOP n), and
 * must be one query: a `;` followed by anything else is refused, not run.
 */
export function viewDdl(schema: string, v: UserView, replace: boolean): string {
  const query = v.query.trim().replace(/;\s*$/, '');
  const head = `CREATE ${replace ? 'OR REPLACE ' : ''}VIEW ${schema}.${quoteIdent(v.engineName)} AS `;
  let ddl = head + query;
  if (!parses(ddl)) {
    const seed = seedSyntax(query, schema).sql;
    if (seed && parses(head + seed)) ddl = head + seed;
  }
  const stmts = tryParse(ddl);
  if (!stmts || stmts.length !== 1 || !stmts[0].stmt?.ViewStmt) throw new Error(`the query of view "${v.name}" is not one SELECT statement`);
  return ddl;
}

function tryParse(sql: string): any[] | undefined {
  try {
    return parseSync(sql).stmts ?? [];
  } catch {
    return undefined;
  }
}

const parses = (sql: string) => tryParse(sql) !== undefined;

/** The view's name as the statement spells it (`CREATE VIEW userviews.MyView …` → MyView). */
function spelledName(sql: string): string | undefined {
  const m = /\bVIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*\.\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/i.exec(sql);
  if (!m) return undefined;
  const raw = m[1]!;
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
}

/**
 * The query of a CREATE VIEW as the file keeps it: the text after the first AS outside
 * parentheses; a column list becomes an alias list, so the file's query names the same columns.
 */
function viewQuery(sql: string, node: Record<string, any>, engineName: string): string | undefined {
  const tokens = tokenize(sql);
  let depth = 0;
  let seenView = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (isWord(t, 'VIEW')) seenView = true;
    else if (seenView && depth === 0 && isWord(t, 'AS')) {
      let q = sql.slice(t.start + 2).trim().replace(/;\s*$/, '');
      if (node.withCheckOption && node.withCheckOption !== 'NO_CHECK_OPTION') q = q.replace(/\s+WITH\s+(CASCADED\s+|LOCAL\s+)?CHECK\s+OPTION\s*$/i, '');
      const aliases = (node.aliases ?? []).map((a: any) => quoteIdent(String(a.String?.sval ?? '')));
      return aliases.length ? `SELECT * FROM (${q}) AS ${quoteIdent(engineName)}(${aliases.join(', ')})` : q;
    }
    if (!significant(t)) continue;
  }
  return undefined;
}
