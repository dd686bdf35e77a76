import type { Engine } from '../engine/engine.ts';
import type { PlannedStatement } from '../executor/read-statement.ts';
import { classify, type StatementInfo } from './classify.ts';
import { RecentMap } from '../collections/recent-map.ts';
import type { PlanSource } from '../observability/metrics.ts';

/** Statement kinds that may change a jsm.* setting or the search_path. */
const SETTING_KINDS = new Set(['VariableSetStmt', 'TransactionStmt', 'DiscardStmt', 'CallStmt', 'DoStmt']);

/** Statement kinds that cannot create, drop or rename a view. */
const NON_DDL = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'TransactionStmt', 'VariableSetStmt', 'VariableShowStmt',
  'DeclareCursorStmt', 'FetchStmt', 'ClosePortalStmt', 'CopyStmt', 'ExplainStmt', 'CallStmt', 'PrepareStmt', 'ExecuteStmt', 'DeallocateStmt', 'DiscardStmt', 'ListenStmt', 'NotifyStmt', 'UnlistenStmt']);

/** The engine's views and materialized views outside the system schemas (StatementCaches.views). */
export const VIEW_NAMES_SQL =
  "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')";

/** SESSION_SETTINGS_SQL's row. */
export interface SettingsRow { ttl: string | null; mode: string | null; timeout: string | null; statement_timeout: string | null; calls: string | null; max_rows: string | null }

/** The session's jsm.* settings and statement_timeout, read from its engine (Session.readSettings). */
export const SESSION_SETTINGS_SQL =
  "SELECT current_setting('jsm.cache_ttl', true) AS ttl, current_setting('jsm.cache', true) AS mode, current_setting('jsm.timeout', true) AS timeout, current_setting('statement_timeout') AS statement_timeout, current_setting('jsm.max_api_calls', true) AS calls, current_setting('jsm.max_rows', true) AS max_rows";

/** Texts kept parsed at most, and the longest text kept (a huge statement is parsed again each time rather than held). */
const PARSE_CACHE_ENTRIES = 2000;
const PARSE_CACHE_MAX_TEXT = 64 * 1024;

/**
 * Parse results by statement text, for every session of the process: a classification depends on
 * the text alone (StatementInfo is read-only), and a crowd of clients sends the same texts (psql's
 * catalog queries, a BI tool's or a dashboard's), so each is parsed once rather than once per
 * session. Least recently used texts go first.
 */
export class ParseCache {
  private readonly parsed: RecentMap<string, StatementInfo[] | null>;

  constructor(maxEntries = PARSE_CACHE_ENTRIES, private readonly maxText = PARSE_CACHE_MAX_TEXT) {
    this.parsed = new RecentMap(maxEntries);
  }

  classify(sql: string): StatementInfo[] | null {
    // null is a text that is not SQL the parser reads, kept too
    if (this.parsed.has(sql)) return this.parsed.get(sql)!;
    const c = classify(sql);
    if (sql.length <= this.maxText) this.parsed.set(sql, c);
    return c;
  }

  get size(): number {
    return this.parsed.size;
  }
}

const SHARED_PARSES = new ParseCache();

/**
 * A plan, and whether what it was made from has changed since: a plan made while a listing's length
 * was unknown fanned out over an IN list, and may be cheaper in its list-and-filter form once the
 * listing was read (PlanOptions.listingPages).
 */
export interface CachedPlan {
  readonly planned: PlannedStatement;
  readonly outdated?: () => boolean;
}

/** The entry under `key`, unless it is outdated (then it is dropped). */
function current(plans: RecentMap<string, CachedPlan>, key: string): CachedPlan | undefined {
  const entry = plans.peek(key);
  if (!entry?.outdated?.()) return entry;
  plans.delete(key);
  return undefined;
}

/** Plans kept for pristine sessions of the process, by scope and statement (StatementCaches.plan). */
const SHARED_PLAN_ENTRIES = 2000;
const SHARED_PLANS = new RecentMap<string, CachedPlan>(SHARED_PLAN_ENTRIES);

/**
 * Whether, after this statement, the session's engine may resolve a text differently from a fresh
 * engine of its scope: DDL (its own tables, views, functions), settings (SET, RESET, DISCARD; the
 * client role may not call set_config), CALL and DO, SELECT INTO, anything unparsed. A
 * transaction's BEGIN or COMMIT alone does not: a SET or DDL inside it marks the session itself.
 */
function departsFromScope(info: StatementInfo | null): boolean {
  if (!info || mayChangeViews(info)) return true;
  if (SETTING_KINDS.has(info.kind) && info.kind !== 'TransactionStmt') return true;
  return isSelectInto(info);
}

/** SELECT … INTO creates a table, as CREATE TABLE AS does. */
const isSelectInto = (info: StatementInfo) => info.kind === 'SelectStmt' && info.node.intoClause !== undefined;

/** Whether a statement may create, drop or rename a view (so later statements may read JSM through it). */
export const mayChangeViews = (info: StatementInfo | null) => !info || !NON_DDL.has(info.kind);

export interface SessionSettings {
  readonly cacheTtlMs: number;
  readonly cacheMode: 'use' | 'bypass';
  readonly timeoutMs: number;
  readonly statementTimeout: string | null;
  /** API calls one statement may make (0: no limit). */
  readonly maxApiCalls: number;
  /** Rows a statement without aggregation returns at most (MaxRows, SET jsm.max_rows); 0 or less: all. */
  readonly maxRows: number;
}

/**
 * What a session remembers between statements to skip work, and when each memory goes stale:
 * parse trees by text (never stale, and shared by all sessions: ParseCache), EXPLAIN results by text and parameters and the jsm.*
 * settings (stale after DDL, SET/RESET, DISCARD, CALL, DO or a transaction's end, since any of
 * them may change a setting, the search_path or what a name means; a plan also once a listing it
 * could not size is known: CachedPlan), and the names of the
 * engine's views (stale after DDL; any view may read JSM relations).
 *
 * A session's first statements are most of what a crowd of short sessions (BI tools, dashboards)
 * sends, and their EXPLAIN is as long as the statement itself: so the plans of plain SELECTs are
 * also shared by the sessions whose engines are alike (a `scope`: same user, JSM identity, queue
 * and user views, startup settings), for as long as a session stays as its engine was given to it
 * (departsFromScope); after that it neither reads nor adds shared plans.
 */
export class StatementCaches {
  // first planned, first dropped: a hit does not make a plan recent
  private readonly plans = new RecentMap<string, CachedPlan>(200);
  private settingsValue?: SessionSettings;
  private viewNames = new Set<string>();
  private viewsStale = true;

  /**
   * @param scope what makes this session's engine alike to others' (undefined: share nothing)
   * @param counted hears where each plan came from (the gateway's metrics)
   */
  constructor(
    private readonly engine: Engine,
    private readonly readSettings: () => Promise<SessionSettings>,
    private scope?: string,
    private readonly counted: (source: PlanSource) => void = () => undefined,
  ) {}

  classify(sql: string): StatementInfo[] | null {
    return SHARED_PARSES.classify(sql);
  }

  /** Called before a statement runs and again after (a statement may SET and a later one read). */
  noteStatement(info: StatementInfo | null): void {
    if (this.scope !== undefined && departsFromScope(info)) this.scope = undefined;
    if (mayChangeViews(info)) this.viewsStale = true;
    if (mayChangeViews(info) || SETTING_KINDS.has(info!.kind)) this.invalidatePlanning();
  }

  invalidatePlanning(): void {
    this.plans.clear();
    this.settingsValue = undefined;
  }

  /**
   * The plan of `sql` (a statement's readSql) with `rest` (its parameters and what else the plan
   * depends on): this session's, else one a session of the same scope made (plain SELECTs only: an
   * EXECUTE's or DECLARE's meaning is the session's own), else `make`'s.
   */
  async plan(sql: string, rest: unknown[], make: () => Promise<CachedPlan | undefined>): Promise<PlannedStatement | undefined> {
    const k = JSON.stringify([sql, ...rest]);
    const hit = current(this.plans, k);
    if (hit) {
      this.counted('session');
      return hit.planned;
    }
    const sharedKey = this.scope !== undefined && this.isPlainSelect(sql) ? `${this.scope}\0${k}` : undefined;
    const shared = sharedKey ? current(SHARED_PLANS, sharedKey) : undefined;
    if (shared) {
      this.counted('shared');
      this.plans.set(k, shared);
      return shared.planned;
    }
    const made = await make();
    this.counted('engine');
    if (!made) return undefined;
    this.plans.set(k, made);
    if (sharedKey && this.scope !== undefined) SHARED_PLANS.set(sharedKey, made);
    return made.planned;
  }

  private isPlainSelect(sql: string): boolean {
    const parsed = SHARED_PARSES.classify(sql);
    return parsed?.length === 1 && parsed[0]!.kind === 'SelectStmt' && !isSelectInto(parsed[0]!);
  }

  /**
   * What the connect's script already read (startupMessages): the session's first statement then
   * asks the engine for neither. View names only when the connect added no view after the read.
   */
  seed(settings: SessionSettings, viewNames?: readonly string[]): void {
    this.settingsValue = settings;
    this.lastSettings = settings;
    if (!viewNames) return;
    this.viewNames = new Set(viewNames);
    this.viewsStale = false;
  }

  async settings(): Promise<SessionSettings> {
    this.settingsValue ??= await this.readSettings();
    this.lastSettings = this.settingsValue;
    return this.settingsValue;
  }

  /** The settings as last read, without asking the engine (which may be mid-portal). */
  lastSettings?: SessionSettings;

  /** Lower-case names of the engine's views and materialized views outside the system schemas. */
  async views(canQuery: boolean): Promise<ReadonlySet<string>> {
    if (!this.viewsStale || !canQuery) return this.viewNames;
    const r = await this.engine.query<{ relname: string }>(VIEW_NAMES_SQL);
    this.viewNames = new Set(r.rows.map((x) => x.relname));
    this.viewsStale = false;
    return this.viewNames;
  }
}
