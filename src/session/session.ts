import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/registry.ts';
import type { Engine } from '../engine/engine.ts';
import { PgError, SqlState, toPgError } from '../errors/index.ts';
import type { FetchContext } from '../executor/fetch-scan.ts';
import { scanCacheFor } from '../executor/scan-cache.ts';
import { LoadTracker } from '../executor/loader.ts';
import type { JsmClient } from '../jsm/index.ts';
import { explainStatement, prepareReads, type PlannedStatement } from '../planner/prepare-reads.ts';
import * as be from '../protocol/backend-messages.ts';
import * as fe from '../protocol/frontend-messages.ts';
import { classify, type StatementInfo } from './classify.ts';
import { raiseStatement, stripRaiseContext } from './error-injection.ts';
import { legacyCatalogNames } from './rewrite.ts';
import { explainLines, appendExplainRows } from './explain-output.ts';
import { decodeParams } from './params.ts';
import { extendedRun, queryMessage, trailingStatus } from '../protocol/engine-messages.ts';
import { progressNotices } from './progress.ts';
import { statementDeadline } from './statement-timeout.ts';

export interface SessionDeps {
  readonly engine: Engine;
  readonly catalog: Catalog;
  readonly jsm: JsmClient;
  readonly logger: Logger;
  readonly pid: number;
  readonly secret: number;
  readonly defaults: { cacheTtlMs: number; timeoutMs: number; pageSize: number; concurrency: number };
  /** Returns the engine to the pool; called once when the session closes. */
  readonly release: () => Promise<void>;
}

/** Statement kinds that may change a jsm.* setting or the search_path. */
const SETTING_KINDS = new Set(['VariableSetStmt', 'TransactionStmt', 'DiscardStmt', 'CallStmt', 'DoStmt']);

/** Statement kinds that cannot create, drop or rename a view. */
const NON_DDL = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'TransactionStmt', 'VariableSetStmt', 'VariableShowStmt',
  'DeclareCursorStmt', 'FetchStmt', 'ClosePortalStmt', 'CopyStmt', 'ExplainStmt', 'CallStmt', 'PrepareStmt', 'ExecuteStmt', 'DeallocateStmt', 'DiscardStmt', 'ListenStmt', 'NotifyStmt', 'UnlistenStmt']);

interface PreparedStmt { sql: string; info: StatementInfo | null; paramTypes: number[] }

/** One client: a statement pipeline in front of its own engine (DESIGN.md §1). */
export class Session {
  readonly pid: number;
  readonly secret: number;
  private status: 'I' | 'T' | 'E' = 'I';
  private batch: Uint8Array[] = [];
  private readonly statements = new Map<string, PreparedStmt>();
  private readonly classified = new Map<string, StatementInfo[] | null>();
  private current?: AbortController;
  private readonly loads = new LoadTracker();
  private closed = false;

  constructor(private readonly deps: SessionDeps) {
    this.pid = deps.pid;
    this.secret = deps.secret;
  }

  async *handle(msg: Uint8Array): AsyncGenerator<Uint8Array> {
    switch (msg[0]) {
      case fe.FrontendCode.Query:
        yield* this.simpleQuery(msg);
        return;
      case fe.FrontendCode.Parse:
      case fe.FrontendCode.Bind:
      case fe.FrontendCode.Describe:
      case fe.FrontendCode.Execute:
      case fe.FrontendCode.Close:
        this.batch.push(msg.slice());
        return;
      case fe.FrontendCode.Sync:
      case fe.FrontendCode.Flush:
        this.batch.push(msg.slice());
        yield* this.extendedBatch();
        return;
      default:
        yield await this.forward(msg);
    }
  }

  cancel(): void {
    this.current?.abort(new PgError(SqlState.QueryCanceled, 'canceling statement due to user request'));
  }

  /** Stops the running statement and hands the engine back (once). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancel();
    await this.deps.release();
  }

  private async forward(bytes: Uint8Array): Promise<Uint8Array> {
    const out = await this.deps.engine.execRaw(bytes);
    if (this.invalidateAfterForward) {
      this.invalidateAfterForward = false;
      this.invalidatePlanning();
    }
    this.status = trailingStatus(out) ?? this.status;
    return out;
  }

  private classifyCached(sql: string): StatementInfo[] | null {
    let c = this.classified.get(sql);
    if (c === undefined && !this.classified.has(sql)) {
      c = classify(sql);
      if (this.classified.size > 500) this.classified.clear();
      this.classified.set(sql, c);
    }
    return c ?? null;
  }

  private readsJsm(info: StatementInfo): boolean {
    if (!info.readSql) return false;
    if (info.opaque) return true;
    return info.relations.some((r) => (this.deps.catalog.table(r.name) && (!r.schema || r.schema === 'jsm')) || this.views.has(r.name));
  }

  /** Names of the engine's views (queue views, user views): any of them may read JSM relations. */
  private views = new Set<string>();
  private viewsStale = true;

  private async refreshViews(): Promise<void> {
    if (!this.viewsStale || this.status === 'E') return;
    const r = await this.deps.engine.query<{ relname: string }>(
      "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
    );
    this.views = new Set(r.rows.map((x) => x.relname));
    this.viewsStale = false;
  }

  /**
   * After DDL the set of views and the plans may have changed; after SET, RESET, DISCARD or a
   * transaction's end the session's jsm.* settings and search_path may have. Cleared now and again
   * once the statements reached the engine (a batch may SET and then read).
   */
  private noteDdl(infos: StatementInfo[] | null): void {
    if (!infos || infos.some((i) => !NON_DDL.has(i.kind))) this.viewsStale = true;
    if (!infos || infos.some((i) => !NON_DDL.has(i.kind) || SETTING_KINDS.has(i.kind))) {
      this.invalidatePlanning();
      this.invalidateAfterForward = true;
    }
  }

  private invalidatePlanning(): void {
    this.plans.clear();
    this.settingsCache = undefined;
  }

  /** EXPLAIN results by statement text and parameters: a repeated question (dashboards, pgbench) skips the EXPLAIN. */
  private readonly plans = new Map<string, PlannedStatement>();
  private settingsCache?: Awaited<ReturnType<Session['readSettings']>>;
  private invalidateAfterForward = false;

  /** Gateway-side effects of CALLs whose engine body only reports (the engine still runs them, so the protocol stays its own). */
  private gatewayCalls(infos: StatementInfo[] | null): void {
    for (const i of infos ?? []) {
      if (i.call?.name !== 'clear_cache') continue;
      const table = i.call.args[0] ? this.deps.catalog.table(i.call.args[0])?.name : undefined;
      scanCacheFor(this.deps.jsm.identityKey).clear(table);
      this.deps.jsm.clearCache();
    }
  }

  private async *simpleQuery(received: Uint8Array): AsyncGenerator<Uint8Array> {
    const sent = fe.readQuery(received);
    const sql = legacyCatalogNames(sent);
    const msg = sql === sent ? received : queryMessage(sql);
    this.gatewayCalls(this.classifyCached(sql));
    await this.refreshViews();
    this.noteDdl(this.classifyCached(sql));
    const infos = this.classifyCached(sql)?.filter((i) => this.readsJsm(i)) ?? [];
    if (infos.length === 0 || this.status === 'E') {
      yield await this.forward(msg);
      return;
    }
    let explained: { info: StatementInfo; planned: PlannedStatement }[] = [];
    try {
      explained = yield* this.prepare(infos.map((info) => ({ info })));
    } catch (err) {
      yield stripRaiseContext(await this.forward(queryMessage(raiseStatement(this.report(err)))));
      return;
    }
    const out = await this.forward(infos.some((i) => i.forwardSql) ? queryMessage(this.forwardText(sql)) : msg);
    yield explained.some((e) => e.info.planOnly) ? appendExplainRows(out, explained.filter((e) => e.info.planOnly).flatMap((e) => explainLines(e.planned))) : out;
  }

  /** The query string with each JSM-reading statement that has a forwarding form (COPY rel TO) replaced by it. */
  private forwardText(sql: string): string {
    return (this.classifyCached(sql) ?? []).map((i) => (i.forwardSql && this.readsJsm(i) ? i.forwardSql : i.sql)).join(';\n');
  }

  private async *extendedBatch(): AsyncGenerator<Uint8Array> {
    const batch = this.batch;
    this.batch = [];
    await this.refreshViews();
    const reads: { index: number; info: StatementInfo; params: (string | null)[] | undefined; generic: boolean }[] = [];
    batch.forEach((m, index) => {
      if (m[0] === fe.FrontendCode.Parse) {
        const p = fe.readParse(m);
        this.statements.set(p.name, { sql: p.sql, info: null, paramTypes: p.paramTypes });
        this.noteDdl(this.classifyCached(p.sql));
      } else if (m[0] === fe.FrontendCode.Bind) {
        const b = fe.readBind(m);
        const st = this.statements.get(b.statement);
        if (!st) return;
        const info = this.classifyCached(st.sql);
        this.gatewayCalls(info);
        if (!info || info.length !== 1 || !this.readsJsm(info[0]!)) return;
        reads.push({ index, info: info[0]!, params: decodeParams(b, st.paramTypes), generic: b.values.length > 0 && !decodeParams(b, st.paramTypes) });
      } else if (m[0] === fe.FrontendCode.Close) {
        const c = fe.readClose(m);
        if (c.kind === 'S') this.statements.delete(c.name);
      }
    });
    if (reads.length === 0 || this.status === 'E') {
      yield await this.forward(Buffer.concat(batch));
      return;
    }
    try {
      yield* this.prepare(reads.map((r) => ({ info: r.info, params: r.params ?? undefined, generic: r.generic })));
    } catch (err) {
      // The engine raises the error in place of the first reading Bind and skips the rest up to Sync.
      const at = reads[0]!.index;
      const injected = Buffer.concat([...batch.slice(0, at), extendedRun(raiseStatement(this.report(err))), ...batch.slice(at)]);
      yield stripRaiseContext(await this.forward(injected));
      return;
    }
    yield await this.forward(Buffer.concat(batch));
  }

  /** EXPLAIN, fetch and load for statements that read JSM relations; yields NOTICE progress while it waits. */
  private async *prepare(items: { info: StatementInfo; params?: (string | null)[]; generic?: boolean }[]): AsyncGenerator<Uint8Array, { info: StatementInfo; planned: PlannedStatement }[]> {
    const { engine, catalog } = this.deps;
    const settings = await this.settings();
    const controller = new AbortController();
    // every call, page and retry of the statement listens to it at once (bounded by MaxConcurrency × pages in flight)
    setMaxListeners(0, controller.signal);
    this.current = controller;
    const deadline = statementDeadline(settings.timeoutMs, settings.statementTimeout);
    const timer = deadline ? setTimeout(() => controller.abort(deadline.error()), deadline.ms) : undefined;
    try {
      const explained: { info: StatementInfo; planned: PlannedStatement }[] = [];
      for (const { info, params, generic } of items) {
        const planned = await this.cachedExplain({ sql: info.readSql!, params, limit: info.limit, generic });
        if (planned) explained.push({ info, planned });
      }
      const toFetch = explained.filter((e) => !e.info.planOnly).map((e) => e.planned);
      if (toFetch.length === 0) return explained;
      const ctx: FetchContext = {
        jsm: this.deps.jsm,
        cache: scanCacheFor(this.deps.jsm.identityKey),
        signal: controller.signal,
        cacheTtlMs: settings.cacheTtlMs,
        cacheMode: settings.cacheMode,
        pageSize: this.deps.defaults.pageSize,
        concurrency: this.deps.defaults.concurrency,
        progress: { rows: 0, pages: 0, calls: 0 },
      };
      const work = prepareReads(engine, catalog, toFetch, ctx, this.status === 'T', this.loads);
      yield* progressNotices(work, ctx.progress);
      await work;
      return explained;
    } catch (err) {
      if (controller.signal.aborted && controller.signal.reason instanceof PgError) throw controller.signal.reason;
      throw err;
    } finally {
      clearTimeout(timer);
      if (this.current === controller) this.current = undefined;
    }
  }

  /** Engine errors in EXPLAIN (bad column, syntax) are left for the real statement to report. */
  private async tryExplain(st: { sql: string; params?: (string | null)[]; limit?: number; generic?: boolean }): Promise<PlannedStatement | undefined> {
    try {
      return await explainStatement(this.deps.engine, this.deps.catalog, st);
    } catch (err) {
      if (err instanceof PgError) throw err;
      this.deps.logger.debug({ err }, 'EXPLAIN failed; forwarding the statement as is');
      return undefined;
    }
  }

  private async cachedExplain(st: { sql: string; params?: (string | null)[]; limit?: number; generic?: boolean }): Promise<PlannedStatement | undefined> {
    const key = JSON.stringify([st.sql, st.params ?? null, st.limit ?? null, st.generic ?? false]);
    const hit = this.plans.get(key);
    if (hit) return hit;
    const planned = await this.tryExplain(st);
    if (planned) {
      if (this.plans.size >= 200) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, planned);
    }
    return planned;
  }

  private async settings(): ReturnType<Session['readSettings']> {
    this.settingsCache ??= await this.readSettings();
    return this.settingsCache;
  }

  private async readSettings(): Promise<{ cacheTtlMs: number; cacheMode: 'use' | 'bypass'; timeoutMs: number; statementTimeout: string | null }> {
    const r = await this.deps.engine.query<{ ttl: string | null; mode: string | null; timeout: string | null; statement_timeout: string | null }>(
      "SELECT current_setting('jsm.cache_ttl', true) AS ttl, current_setting('jsm.cache', true) AS mode, current_setting('jsm.timeout', true) AS timeout, current_setting('statement_timeout') AS statement_timeout",
    );
    const row = r.rows[0]!;
    const num = (v: string | null, dflt: number, scale: number) => (v && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) * scale : dflt);
    return {
      cacheTtlMs: num(row.ttl, this.deps.defaults.cacheTtlMs, 1000),
      cacheMode: row.mode?.toLowerCase() === 'bypass' || row.mode?.toLowerCase() === 'off' ? 'bypass' : 'use',
      timeoutMs: num(row.timeout, this.deps.defaults.timeoutMs, 1000),
      statementTimeout: row.statement_timeout,
    };
  }

  private report(err: unknown): PgError {
    const e = toPgError(err);
    if (e.code === SqlState.InternalError) this.deps.logger.error({ err }, 'statement failed');
    else this.deps.logger.info({ code: e.code, message: e.message }, 'statement failed');
    return e;
  }
}
