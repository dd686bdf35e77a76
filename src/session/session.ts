import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { CLIENT_ROLE, engineName, JSM_SCHEMA, type Catalog } from '../catalog/registry.ts';
import type { Engine } from '../engine/engine.ts';
import { PgError, SqlState, toPgError } from '../errors/index.ts';
import { listingPagesOf, type FetchContext } from '../executor/fetch-scan.ts';
import type { BoundParams, GatewayStatementContext, StatementAnswer } from '../executor/gateway-statement.ts';
import { LoadTracker } from '../executor/loader.ts';
import { explainStatement, prepareReads, type PlannedStatement } from '../executor/read-statement.ts';
import type { ApiCall } from '../planner/scan-plan.ts';
import type { PlanOptions } from '../planner/statement-plan.ts';
import { scanCacheFor } from '../executor/scan-cache.ts';
import type { JsmClient } from '../jsm/index.ts';
import * as be from '../protocol/backend-messages.ts';
import {
  bindMessage, closeMessage, describeMessage, engineError, executeMessage, extendedRun, hasError, messages, parseMessage, queryMessage, syncMessage, trailingStatus,
  withCommandTag, withoutCompletions, withoutReadyForQuery,
} from '../protocol/engine-messages.ts';
import * as fe from '../protocol/frontend-messages.ts';
import { callProcedure, findProcedure } from '../procedures/index.ts';
import { executeWrite, explainWrite, type IdentityRow } from '../writes/index.ts';
import { relationText, type StatementInfo } from './classify.ts';
import { raiseStatement, stripRaiseContext } from './error-injection.ts';
import { actualLines, explainLines, explainRows } from './explain-output.ts';
import { IdentityLog } from './identity-log.ts';
import { decodeParams } from './params.ts';
import { progressNotices } from './progress.ts';
import { ReadingFlag } from './reading-flag.ts';
import { refusal } from './refusals.ts';
import { capRows } from './max-rows.ts';
import { legacyCatalogNames } from './rewrite.ts';
import { seedSyntax } from './seed-syntax.ts';
import type { SessionUserViews } from '../userviews/index.ts';
import { mayChangeViews, SESSION_SETTINGS_SQL, StatementCaches, type SessionSettings, type SettingsRow } from './statement-caches.ts';
import { settingMilliseconds, statementDeadline } from './statement-timeout.ts';

export interface SessionDeps {
  readonly engine: Engine;
  readonly catalog: Catalog;
  readonly jsm: JsmClient;
  readonly logger: Logger;
  readonly pid: number;
  readonly secret: number;
  readonly defaults: {
    cacheTtlMs: number; timeoutMs: number; pageSize: number; concurrency: number; maxApiCalls: number;
    /** MaxRows: rows a statement without aggregation returns at most (0 or less: all); SET jsm.max_rows overrides it. */
    maxRows?: number;
    /** ServiceDeskID: the desk read when a statement on a relation that takes one names none. */
    serviceDeskId?: string;
  };
  /** Re-creates the engine's per-session objects (the rows tables) after the client's DISCARD ALL/TEMP dropped them. */
  readonly restore: (engine: Engine) => Promise<void>;
  /** Hands the engine back (it is closed, never reused); called once when the session closes. */
  readonly release: () => Promise<void>;
  /** A fresh engine set up for this session's client (its startup settings and role), to replace one stopped under a statement. */
  readonly renew: () => Promise<Engine>;
  /** The user's user-defined views (src/userviews): kept in step with the views file between statements. */
  readonly userViews?: SessionUserViews;
  /** What makes this session's engine alike to other sessions' (StatementCaches): their plans are shared. */
  readonly planScope?: string;
  /** The session's settings and its engine's view names as the connect read them (undefined view names: read them again). */
  readonly connectRead?: { settings: SettingsRow; viewNames?: readonly string[] };
}

/** A statement parsed with the extended protocol, and the Parse message that made it (replayed on a replacement engine). */
interface PreparedStmt { sql: string; paramTypes: number[]; parse: Uint8Array }

/** A read to plan: the statement, its bound parameters, and where its Execute is in a batch. */
interface ReadItem { info: StatementInfo; params?: (string | null)[]; generic?: boolean }

/** A run of a batch's messages up to and including an Execute, with what the session must do for it. */
interface Segment {
  messages: Uint8Array[];
  /** Statements bound in it, at the index of their Bind. */
  items: (ReadItem & { at: number })[];
  /** Binds of statements the gateway refuses, with the error. */
  refused: { at: number; err: PgError }[];
  transactionControl: boolean;
}

interface Prepared { planned: { info: StatementInfo; planned: PlannedStatement }[]; loaded: Set<string>; actual?: { calls: number; pages: number; rows: number; ms: number } }

const DECLARE = 'DeclareCursorStmt';

const WRITES: ReadonlySet<string> = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/** The engine's statement that answers for a gateway statement in an extended-protocol batch. */
const ANSWER_STATEMENT = 'jsm_pg_answer';
/** What a gateway statement without result rows runs in its place: NoData to Describe, one CommandComplete. */
const NO_ROWS = 'DO $$BEGIN END$$';
/** CopyDone, which ends the data a gateway statement hands its engine's COPY. */
const COPY_DONE = Uint8Array.from([0x63, 0, 0, 0, 4]);

/** Messages the session answers by running something (the ones a cancel or statement_timeout can stop). */
const ANSWERED: ReadonlySet<number> = new Set([fe.FrontendCode.Query, fe.FrontendCode.Sync, fe.FrontendCode.Flush, fe.FrontendCode.CopyDone, fe.FrontendCode.CopyFail]);

/** COPY FROM STDIN data a session holds before handing it to its engine. */
const MAX_COPY_IN_BYTES = 512 * 2 ** 20;

/**
 * One client: a statement pipeline in front of its own engine (DESIGN.md §1, §6). Every statement
 * is planned when it runs, after the ones before it in the same query string or batch have run, so
 * it sees what they created; the engine's guard refuses any read of a JSM relation the gateway did
 * not fetch for the running statement.
 */
export class Session {
  readonly pid: number;
  readonly secret: number;
  private status: 'I' | 'T' | 'E' = 'I';
  private batch: Uint8Array[] = [];
  private readonly statements = new Map<string, PreparedStmt>();
  /** SQL-level PREPAREs that succeeded, by name (replayed on a replacement engine like protocol-level ones). */
  private readonly sqlPrepared = new Map<string, string>();
  private readonly caches: StatementCaches;
  private readonly reading = new ReadingFlag();
  private current?: AbortController;
  private readonly loads = new LoadTracker();
  private closed = false;
  /** A client message of ANSWERED is being answered. */
  private answering = false;
  /** Why the engine was stopped under the running statement (cancel or statement_timeout). */
  private stopped?: PgError;
  /** What this session's writes did, row by row (sys_identity), kept here too: a ROLLBACK must not lose it. */
  private readonly identity = new IdentityLog();
  /** A portal MaxRows cuts that a fetch size left suspended: its next Executes continue the count (max-rows.ts). */
  private cappedPortal?: { portal: string; cap: number; sent: number };

  constructor(private readonly deps: SessionDeps) {
    this.pid = deps.pid;
    this.secret = deps.secret;
    this.caches = new StatementCaches(deps.engine, () => this.readSettings(), deps.planScope, (source) => deps.jsm.metrics?.plan(source));
    if (deps.connectRead) this.caches.seed(this.settingsFrom(deps.connectRead.settings), deps.connectRead.viewNames);
  }

  async *handle(msg: Uint8Array): AsyncGenerator<Uint8Array> {
    if (!ANSWERED.has(msg[0]!)) {
      yield* this.dispatch(msg);
      return;
    }
    const blockBefore = this.status !== 'I';
    const timer = await this.statementTimer(msg[0] === fe.FrontendCode.Query || !this.continuesPortal());
    this.answering = true;
    try {
      yield* this.dispatch(msg);
    } finally {
      this.answering = false;
      clearTimeout(timer);
    }
    if (this.stopped) yield* this.afterStop(blockBefore, msg[0] !== fe.FrontendCode.Flush);
  }

  private async *dispatch(msg: Uint8Array): AsyncGenerator<Uint8Array> {
    try {
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
        case fe.FrontendCode.CopyData:
        case fe.FrontendCode.CopyDone:
        case fe.FrontendCode.CopyFail:
          if (this.copyIn) {
            yield* this.copyInMessage(msg);
            return;
          }
          yield await this.forward(msg);
          return;
        default:
          yield await this.forward(msg);
      }
    } catch (err) {
      if (this.stopped && err === this.stopped) return; // answered by afterStop
      yield* this.unexpected(err, msg);
    }
  }

  /**
   * statement_timeout for the whole answer: PGlite never enforces it (no timer signals), so the
   * gateway stops the statement, in the API phase or in the engine. The API phase also has its own
   * deadline (prepare), which takes the gateway's Timeout into account.
   */
  private async statementTimer(freshStart: boolean): Promise<NodeJS.Timeout | undefined> {
    if (this.status === 'E' || this.closed || this.deps.engine.dead) return undefined;
    // A batch that continues a suspended unnamed portal must not meet a statement of the gateway's
    // first (it would drop the portal): it runs with the timeout as last read.
    const settings = freshStart ? await this.caches.settings().catch(() => undefined) : this.caches.lastSettings;
    const ms = settingMilliseconds(settings?.statementTimeout);
    if (ms <= 0) return undefined;
    return setTimeout(() => this.stop(new PgError(SqlState.QueryCanceled, 'canceling statement due to statement timeout')), ms);
  }

  /** The pending batch executes the unnamed portal without binding it anew (a fetch-size continuation). */
  private continuesPortal(): boolean {
    const exec = this.batch.some((m) => m[0] === fe.FrontendCode.Execute);
    return exec && !this.batch.some((m) => m[0] === fe.FrontendCode.Bind);
  }

  /** Keeps track of SQL-level PREPARE and DEALLOCATE (and DISCARD ALL, which deallocates all). */
  private notePrepare(info: StatementInfo | null): void {
    const node = info?.node as { name?: string } | undefined;
    if (info?.kind === 'PrepareStmt' && node?.name) this.sqlPrepared.set(node.name, info.sql);
    else if (info?.kind === 'DeallocateStmt') {
      if (node?.name) this.sqlPrepared.delete(node.name);
      else this.sqlPrepared.clear();
    } else if (info?.kind === 'DiscardStmt' && /\ball\b/i.test(info.sql)) this.sqlPrepared.clear();
  }

  /** Stops the running statement: its API calls, or else the engine running it. */
  private stop(reason: PgError): void {
    if (this.current) {
      this.current.abort(reason);
      return;
    }
    if (!this.answering || !this.deps.engine.busy || this.stopped || this.closed) return;
    this.stopped = reason;
    void this.deps.engine.interrupt(reason);
  }

  /**
   * The engine was stopped under a statement: only ending its thread stops a running statement, so
   * the session goes on with a fresh engine, and says what that costs. Named prepared statements
   * are parsed again on it; an open transaction block is failed there, as PostgreSQL leaves it after
   * a cancel, until the client's ROLLBACK.
   */
  private async *afterStop(blockBefore: boolean, ready: boolean): AsyncGenerator<Uint8Array> {
    const reason = this.stopped!;
    this.stopped = undefined;
    this.batch = [];
    this.copyIn = undefined;
    if (this.closed) return;
    try {
      this.deps.engine.adopt(await this.deps.renew());
    } catch (err) {
      this.deps.logger.error({ err }, 'no engine to replace the stopped one');
      yield be.errorResponse(new PgError(SqlState.AdminShutdown, 'the session\'s SQL engine was stopped and could not be replaced', { severity: 'FATAL' }), 'FATAL');
      await this.close();
      return;
    }
    this.status = 'I';
    this.reading.transactionEnded();
    await this.identity.rewrite(this.deps.engine);
    this.caches.noteStatement(null); // as after unknown DDL: plans, settings and view names are stale
    this.loads.clear();
    await this.deps.userViews?.install(this.deps.engine);
    this.statements.delete('');
    const named = [...this.statements.values()];
    if (named.length) await this.forward(Buffer.concat([...named.map((st) => st.parse), syncMessage()]));
    for (const sql of this.sqlPrepared.values()) await this.internal(sql);
    if (blockBefore) {
      await this.internal('BEGIN');
      await this.raise(reason, (sql) => queryMessage(sql));
    }
    this.deps.logger.info({ code: reason.code, message: reason.message }, 'statement stopped in the engine; engine replaced');
    yield be.errorResponse(new PgError(reason.code, reason.message, {
      detail: 'The statement was running in this session\'s SQL engine, which stops only by being replaced: settings made with SET, temporary objects and open cursors of this session are gone; prepared statements are kept.',
    }));
    if (ready) yield be.readyForQuery(this.status);
  }

  /** The session ended itself after a FATAL (its engine stopped). */
  get ended(): boolean {
    return this.closed;
  }

  cancel(): void {
    this.stop(new PgError(SqlState.QueryCanceled, 'canceling statement due to user request'));
  }

  /** Stops the running statement and hands the engine back (once). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current?.abort(new PgError(SqlState.AdminShutdown, 'terminating connection'));
    await this.deps.release();
  }

  /**
   * A failure in the gateway itself: the client gets an ErrorResponse (XX000 unless it carries its
   * own SQLSTATE) and the session goes on with the engine resynchronised; a dead engine ends the
   * session with FATAL.
   */
  private async *unexpected(err: unknown, msg: Uint8Array): AsyncGenerator<Uint8Array> {
    const e = err instanceof PgError ? err : err instanceof RangeError ? new PgError(SqlState.ProtocolViolation, `invalid message format: ${err.message}`) : toPgError(err);
    this.deps.logger.error({ err }, 'statement failed in the gateway');
    this.batch = [];
    if (this.deps.engine.closed || this.deps.engine.dead || e.fields.severity === 'FATAL') {
      yield be.errorResponse(e.fields.severity === 'FATAL' ? e : new PgError(SqlState.InternalError, 'the session\'s SQL engine stopped', { severity: 'FATAL' }), 'FATAL');
      await this.close();
      return;
    }
    yield be.errorResponse(e);
    const out = await this.deps.engine.execRaw(syncMessage()).catch(() => undefined);
    const status = (out && trailingStatus(out)) ?? this.status;
    this.status = status === 'T' ? 'E' : status;
    if (msg[0] === fe.FrontendCode.Query || msg[0] === fe.FrontendCode.Sync) yield be.readyForQuery(this.status);
  }

  private async forward(bytes: Uint8Array): Promise<Uint8Array> {
    const out = await this.deps.engine.execRaw(bytes);
    const before = this.status;
    this.status = trailingStatus(out) ?? this.status;
    if (before !== 'I' && this.status === 'I') {
      this.reading.transactionEnded();
      this.caches.invalidatePlanning();
      await this.identity.afterTransaction(this.deps.engine);
    }
    return out;
  }

  /**
   * A simple Query, preceded in the same engine request by the SET of jsm.reading it needs (when
   * the engine does not hold it already): one round trip instead of two. The SET's own answer, up
   * to its ReadyForQuery, is taken out.
   */
  private async forwardReading(change: { sql: string; done: () => void } | undefined, query: Uint8Array): Promise<Uint8Array> {
    if (!change) return this.forward(query);
    const out = await this.forward(Buffer.concat([queryMessage(change.sql), query]));
    let at = 0;
    let failed = false;
    for (const m of messages(out)) {
      at += m.length;
      if (m[0] === 0x45) failed = true;
      if (m[0] === 0x5a) break;
    }
    if (!failed) change.done();
    return out.subarray(at);
  }

  /** Internal statements of the gateway (transaction wrapping), outside the client's view. */
  private async internal(sql: string): Promise<Uint8Array> {
    return this.forward(queryMessage(sql));
  }

  private isJsm(r: { schema?: string; name: string }): boolean {
    return !!this.deps.catalog.table(r.name) && (!r.schema || r.schema === JSM_SCHEMA);
  }

  private readsJsm(info: StatementInfo, views: ReadonlySet<string>): boolean {
    if (!info.readSql) return false;
    if (info.opaque) return true;
    return info.relations.some((r) => this.isJsm(r) || views.has(r.name));
  }

  /** Statements the gateway answers with an error instead of running (its own rules, then refusals.ts). */
  private refused(info: StatementInfo): PgError | undefined {
    return this.ownRefusal(info) ?? refusal(info.kind, info.node);
  }

  private ownRefusal(info: StatementInfo): PgError | undefined {
    if (info.tooDeep) return new PgError(SqlState.StatementTooComplex, 'statement is nested too deeply', { hint: 'Reduce the nesting of subqueries, expressions or function calls.' });
    if (info.setting === 'role' || info.setting === 'session_authorization')
      return new PgError(SqlState.InsufficientPrivilege, `jsm-pg sessions run as role ${CLIENT_ROLE}; ${info.setting === 'role' ? 'SET ROLE' : 'SET SESSION AUTHORIZATION'} is not allowed`);
    const nested = info.nestedTargets?.find((t) => this.isJsm(t));
    if (nested) {
      return new PgError(SqlState.FeatureNotSupported, `${this.deps.catalog.table(nested.name)!.name} can be written only by an INSERT, UPDATE or DELETE of its own, not inside ${info.kind === 'PrepareStmt' ? 'PREPARE' : 'another statement'}`, {
        hint: info.kind === 'PrepareStmt'
          ? 'Prepare it with the extended protocol instead (what drivers do with parameters).'
          : 'Each row is applied through the JSM API: run the INSERT, UPDATE or DELETE as its own statement (RETURNING gives its rows).',
      });
    }
    const target = WRITES.has(info.kind) ? undefined : info.targets?.find((t) => this.isJsm(t));
    if (target) {
      const verb = info.kind.replace(/Stmt$/, '').toUpperCase();
      return new PgError(SqlState.FeatureNotSupported, `relation ${this.deps.catalog.table(target.name)!.name} is served from JSM and cannot be changed with ${verb}`, {
        hint: 'Use INSERT, UPDATE or DELETE: each row is applied through the JSM API.',
      });
    }
    return undefined;
  }

  /** Gateway-side effects of CALLs whose engine body only reports (the engine still runs them, so the protocol stays its own). */
  private gatewayCall(info: StatementInfo | null): void {
    if (info?.call?.name !== 'clear_cache') return;
    const table = info.call.args[0] ? this.deps.catalog.table(info.call.args[0])?.name : undefined;
    scanCacheFor(this.deps.jsm.identityKey).clear(table);
  }

  /**
   * COPY … FROM STDIN: the engine must get the statement and all its data in one piece (sent alone,
   * PGlite's single-user Postgres reads standard input and exits), so the session answers
   * CopyInResponse itself, collects the client's CopyData and hands everything over at CopyDone or
   * CopyFail.
   */
  private copyIn?: { query: Uint8Array; data: Uint8Array[]; size: number; overflow: boolean; info: StatementInfo };

  private async startCopyIn(query: Uint8Array, info: StatementInfo): Promise<Uint8Array> {
    const node = info.node as { relation?: { schemaname?: string; relname?: string }; attlist?: unknown[]; options?: { DefElem?: { defname?: string; arg?: { String?: { sval?: string } } } }[] };
    const binary = (node.options ?? []).some((o) => o.DefElem?.defname === 'format' && o.DefElem.arg?.String?.sval?.toLowerCase() === 'binary');
    let columns = node.attlist?.length ?? 0;
    if (!columns && node.relation?.relname) {
      const name = relationText(node.relation);
      const r = await this.deps.engine
        .query<{ n: number }>('SELECT count(*)::int AS n FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped', [name])
        .catch(() => ({ rows: [{ n: 0 }] }));
      columns = r.rows[0]?.n ?? 0;
    }
    this.copyIn = { query, data: [], size: 0, overflow: false, info };
    return be.copyInResponse(binary ? 1 : 0, columns);
  }

  private async *copyInMessage(msg: Uint8Array): AsyncGenerator<Uint8Array> {
    const copy = this.copyIn!;
    if (msg[0] === fe.FrontendCode.CopyData) {
      copy.size += msg.length;
      if (copy.size > MAX_COPY_IN_BYTES) copy.overflow = true;
      else copy.data.push(msg.slice());
      return;
    }
    this.copyIn = undefined;
    if (copy.overflow) {
      yield be.errorResponse(new PgError(SqlState.ProgramLimitExceeded, `COPY FROM STDIN data is larger than ${MAX_COPY_IN_BYTES / 2 ** 20} MB`, { hint: 'Split the data into several COPY statements.' }));
      yield be.readyForQuery(this.status === 'T' ? 'E' : this.status);
      return;
    }
    const relation = (copy.info.node as { relation?: { schemaname?: string; relname?: string } }).relation;
    if (msg[0] === fe.FrontendCode.CopyDone && relation?.relname && this.isJsm({ schema: relation.schemaname?.toLowerCase(), name: relation.relname.toLowerCase() })) {
      yield* this.copyIntoJsm(copy.info, copy.data);
      return;
    }
    const out = await this.forward(Buffer.concat([copy.query, ...copy.data, msg]));
    // the engine's own CopyInResponse: the client already had the session's
    yield Buffer.concat([...messages(out)].filter((m) => m[0] !== 0x47));
  }

  /**
   * COPY … FROM STDIN into a JSM relation (psql's \copy of a CSV of comments): an INSERT of its rows,
   * staged by the engine's own COPY (every format and option), applied row by row, tag COPY n.
   */
  private async *copyIntoJsm(info: StatementInfo, data: Uint8Array[]): AsyncGenerator<Uint8Array> {
    let answer: StatementAnswer;
    try {
      answer = await this.answer(info, undefined, undefined, data);
    } catch (err) {
      yield await this.raise(this.report(err), (sql) => queryMessage(sql));
      return;
    }
    for (const w of answer.warnings ?? []) yield be.noticeResponse(w, { severity: 'WARNING', code: '01000' });
    yield Buffer.concat([be.commandComplete(answer.tag), be.readyForQuery(this.status)]);
  }

  private async *simpleQuery(received: Uint8Array): AsyncGenerator<Uint8Array> {
    const sent = fe.readQuery(received);
    if (this.status === 'I') await this.refreshUserViews();
    let sql = legacyCatalogNames(sent);
    let infos = this.caches.classify(sql);
    if (!infos) {
      const seed = this.seedSql(sql);
      if (seed instanceof PgError) {
        yield await this.raise(this.report(seed), (s) => queryMessage(s));
        return;
      }
      if (seed) {
        sql = seed;
        infos = this.caches.classify(sql);
      }
    }
    const only = infos?.length === 1 ? infos[0]! : undefined;
    if (only?.copyFromStdin && this.status !== 'E' && !this.refused(only)) {
      yield await this.startCopyIn(sql === sent ? received : queryMessage(sql), only);
      return;
    }
    if (!infos || infos.length <= 1) {
      yield yield* this.runStatement(sql === sent ? received : queryMessage(sql), infos?.[0] ?? null);
      return;
    }
    yield* this.runSeveral(infos);
  }

  /**
   * Several statements in one query string run one at a time, each planned when the ones before
   * it have run. PostgreSQL runs such a string as one implicit transaction (an error skips the
   * rest and rolls it all back); outside a transaction block the gateway gives the same with an
   * explicit one, unless the string itself begins or ends transactions.
   */
  private runSeveral(infos: StatementInfo[]): AsyncGenerator<Uint8Array> {
    const wrap = this.status === 'I' && !infos.some((i) => i.kind === 'TransactionStmt');
    return this.inTurn(wrap, infos.map((info) => () => this.runStatement(queryMessage(info.sql), info)));
  }

  /** Runs the steps in order until one fails, inside one transaction when `wrap`; then one ReadyForQuery. */
  private async *inTurn(wrap: boolean, steps: (() => AsyncGenerator<Uint8Array, Uint8Array>)[]): AsyncGenerator<Uint8Array> {
    if (wrap) await this.internal('BEGIN');
    let failed = false;
    for (const step of steps) {
      const out = yield* step();
      yield withoutReadyForQuery(out);
      if (hasError(out)) {
        failed = true;
        break;
      }
    }
    if (wrap) {
      const end = await this.internal(failed ? 'ROLLBACK' : 'COMMIT');
      if (hasError(end)) yield withoutReadyForQuery(end);
    }
    yield* this.settleUserViews();
    yield be.readyForQuery(this.status);
  }

  /** One statement of a simple query: refuse, or plan, fetch and load what it reads, then run it. Returns the engine's output. */
  private async *runStatement(msg: Uint8Array, info: StatementInfo | null): AsyncGenerator<Uint8Array, Uint8Array> {
    const refused = info && this.refused(info);
    if (refused) return this.raise(this.report(refused), (sql) => queryMessage(sql));
    if (info && this.carriesOut(info)) return yield* this.simpleGatewayStatement(info);
    this.gatewayCall(info);
    this.caches.noteStatement(info);
    let prepared: Prepared = { planned: [], loaded: new Set() };
    if (info && this.status !== 'E' && this.readsJsm(info, await this.caches.views(true))) {
      try {
        prepared = yield* this.prepare([{ info }]);
      } catch (err) {
        return this.raise(this.report(err), (sql) => queryMessage(sql));
      }
    }
    const forwarded = info?.forwardSql && prepared.loaded.size ? queryMessage(info.forwardSql) : msg;
    let out = await this.forwardReading(this.status !== 'E' ? this.reading.change(prepared.loaded) : undefined, forwarded);
    // COPY (SELECT …) TO STDOUT returns rows too (one CopyData each); FETCH from a cursor is not cut
    const copyOut = info?.kind === 'CopyStmt' && !info.copyFromStdin;
    const cap = info?.kind === 'SelectStmt' || copyOut ? prepared.planned.find((p) => p.info === info)?.planned.maxRows : undefined;
    if (cap !== undefined && !hasError(out)) out = capRows(out, cap, 0, copyOut).out;
    if (!hasError(out)) this.notePrepare(info);
    yield* this.afterStatement(info, prepared);
    await this.deps.userViews?.afterStatement(this.deps.engine, info, !hasError(out));
    yield* this.settleUserViews();
    return this.explained(prepared, out);
  }

  /** EXPLAIN (text) shows the data model's plan and the API calls it would make; EXPLAIN ANALYZE also what they did. */
  private explained(prepared: Prepared, out: Uint8Array): Uint8Array {
    const explained = prepared.planned.filter((p) => p.info.explainText);
    if (!explained.length || hasError(out)) return out;
    const lines = explained.flatMap((p) => explainLines(p.planned, this.deps.catalog));
    if (prepared.actual && explained.some((p) => !p.info.planOnly)) lines.push(...actualLines(prepared.actual));
    return explainRows(out, lines);
  }

  /** Bookkeeping once a statement ran: cursors that keep reading, settings the client changed, what its DDL changed. */
  private async *afterStatement(info: StatementInfo | null, prepared: Prepared): AsyncGenerator<Uint8Array> {
    this.caches.noteStatement(info);
    if (info?.kind === DECLARE && this.status === 'T') this.reading.cursorDeclared(prepared.loaded);
    if (info?.kind === 'VariableSetStmt' || info?.kind === 'DiscardStmt') this.reading.settingsChanged();
    if (info?.kind === 'DiscardStmt' && /\b(all|temp|temporary)\b/i.test(info.sql) && this.status === 'I') {
      // DISCARD ALL also drops the role and DISCARD ALL/TEMP the rows tables: put both back
      await this.deps.engine.exec('RESET ROLE');
      await this.deps.restore(this.deps.engine);
      await this.deps.engine.exec(`SET ROLE ${CLIENT_ROLE}`);
      this.loads.clear();
    }
  }

  /** The engine raises the gateway's error in place of the statement, so an open transaction fails exactly as PostgreSQL's would. */
  private async raise(err: PgError, wrap: (sql: string) => Uint8Array): Promise<Uint8Array> {
    return stripRaiseContext(await this.forward(wrap(raiseStatement(err))));
  }

  private async *extendedBatch(): AsyncGenerator<Uint8Array> {
    const batch = this.batch;
    this.batch = [];
    // only where no portal of an earlier batch is open (a batch that starts a statement anew)
    if (this.status === 'I' && (batch[0]![0] === fe.FrontendCode.Parse || batch[0]![0] === fe.FrontendCode.Bind)) await this.refreshUserViews();
    const executes = batch.filter((m) => m[0] === fe.FrontendCode.Execute).length;
    const segments = this.segments(batch);
    const items = segments.flatMap((s) => s.items);
    const views = await this.caches.views(this.status !== 'E');
    // a statement may read JSM through a view an earlier statement of the batch creates
    const reads = items.some((i) => this.readsJsm(i.info, views) || mayChangeViews(i.info));
    const endsWithSync = batch[batch.length - 1]![0] === fe.FrontendCode.Sync;
    if (this.status === 'E' || !reads || executes <= 1 || !endsWithSync) {
      yield yield* this.runSegment(batch, items, segments.flatMap((s) => s.refused));
      return;
    }
    // several Executes, some reading JSM: each runs after the ones before it, as in runSeveral
    const wrap = this.status === 'I' && !segments.some((s) => s.transactionControl);
    yield* this.inTurn(wrap, segments.map((s) => () => this.runSegment([...s.messages, syncMessage()], s.items, s.refused)));
  }

  /**
   * Splits a batch after each Execute, noting each part's statements that read JSM relations
   * (by the Bind that names them) and those the gateway refuses. Parse and Close messages update
   * the session's statements as they are met, so later Binds see them.
   */
  private segments(batch: Uint8Array[]): Segment[] {
    const out: Segment[] = [];
    let cur: Segment = { messages: [], items: [], refused: [], transactionControl: false };
    for (let m of batch) {
      const at = cur.messages.length;
      let sql: string | undefined;
      if (m[0] === fe.FrontendCode.Parse) {
        // the seed's dialect is rewritten in the Parse the engine gets (a hint-only case is the engine's syntax error)
        const p = fe.readParse(m);
        sql = legacyCatalogNames(p.sql);
        const seed = this.caches.classify(sql) ? undefined : this.seedSql(sql);
        if (typeof seed === 'string') {
          sql = seed;
          m = parseMessage(p.name, sql, p.paramTypes);
        }
      }
      cur.messages.push(m);
      if (m[0] === fe.FrontendCode.Parse) {
        const p = fe.readParse(m);
        this.statements.set(p.name, { sql: sql!, paramTypes: p.paramTypes, parse: m });
      } else if (m[0] === fe.FrontendCode.Bind) {
        const b = fe.readBind(m);
        const st = this.statements.get(b.statement);
        const infos = st ? this.caches.classify(st.sql) : null;
        const info = infos?.length === 1 ? infos[0]! : null;
        if (info) {
          if (info.kind === 'TransactionStmt') cur.transactionControl = true;
          const refused = this.refused(info);
          if (refused) cur.refused.push({ at, err: refused });
          else {
            const params = decodeParams(b, st!.paramTypes);
            cur.items.push({ at, info, params: params ?? undefined, generic: b.values.length > 0 && !params });
          }
        }
      } else if (m[0] === fe.FrontendCode.Close) {
        const c = fe.readClose(m);
        if (c.kind === 'S') this.statements.delete(c.name);
      } else if (m[0] === fe.FrontendCode.Execute) {
        out.push(cur);
        cur = { messages: [], items: [], refused: [], transactionControl: false };
      }
    }
    if (cur.messages.length) {
      if (out.length) {
        const last = out[out.length - 1]!;
        const shift = last.messages.length;
        last.messages.push(...cur.messages);
        last.items.push(...cur.items.map((i) => ({ ...i, at: i.at + shift })));
        last.refused.push(...cur.refused.map((r) => ({ ...r, at: r.at + shift })));
        last.transactionControl ||= cur.transactionControl;
      } else out.push(cur);
    }
    return out;
  }

  /** Runs a run of extended-protocol messages: refusals and fetch errors are raised by the engine in place of the Bind, the rest forwarded. */
  private async *runSegment(messages: Uint8Array[], items: (ReadItem & { at: number })[], refused: { at: number; err: PgError }[]): AsyncGenerator<Uint8Array, Uint8Array> {
    for (const i of items) {
      this.gatewayCall(i.info);
      this.caches.noteStatement(i.info);
    }
    const views = await this.caches.views(this.status !== 'E');
    const inject = async (at: number, err: PgError) => {
      const out = await this.forward(Buffer.concat([...messages.slice(0, at), extendedRun(raiseStatement(this.report(err))), ...messages.slice(at)]));
      // the client must not see the ParseComplete and BindComplete of the raising statement (pgjdbc counts them)
      const before = messages.slice(0, at).filter((m) => m[0] === fe.FrontendCode.Parse || m[0] === fe.FrontendCode.Bind).length;
      return stripRaiseContext(withoutCompletions(out, before, 2));
    };
    const firstRefusal = refused.sort((a, b) => a.at - b.at)[0];
    // carried out only when executed here (a Bind alone does nothing)
    const own = items.find((i) => this.carriesOut(i.info) && (!firstRefusal || i.at < firstRefusal.at) && messages.slice(i.at + 1).some((m) => m[0] === fe.FrontendCode.Execute));
    if (own) {
      try {
        const answer = await this.answer(own.info, own.at, messages);
        for (const w of answer.warnings ?? []) yield be.noticeResponse(w, { severity: 'WARNING', code: '01000' });
        return await this.forwardAnswered(messages, own.at, answer);
      } catch (err) {
        return inject(own.at, err as PgError);
      }
    }
    const reads = items.filter((i) => this.status !== 'E' && this.readsJsm(i.info, views) && (!firstRefusal || i.at < firstRefusal.at));
    let prepared: Prepared = { planned: [], loaded: new Set() };
    if (reads.length) {
      try {
        prepared = yield* this.prepare(reads);
      } catch (err) {
        return inject(reads[0]!.at, err as PgError);
      }
    }
    // A batch that only continues a portal (Execute with a row limit, then more) must not meet a
    // statement of the gateway's first: a simple query drops the unnamed portal. Its reads were
    // checked when it started.
    const binds = messages.some((m) => m[0] === fe.FrontendCode.Bind);
    if (this.status !== 'E' && binds) await this.reading.apply(this.deps.engine, prepared.loaded);
    let out = firstRefusal ? await inject(firstRefusal.at, firstRefusal.err) : await this.forward(Buffer.concat(messages));
    if (!firstRefusal) out = this.capExtended(messages, items, prepared, out);
    // an EXPLAIN run alone (pgjdbc, node-postgres with parameters): its rows are the run's only ones
    if (!firstRefusal && messages.filter((m) => m[0] === fe.FrontendCode.Execute).length === 1) out = this.explained(prepared, out);
    for (const i of items) yield* this.afterStatement(i.info, { planned: [], loaded: i.info.kind === DECLARE ? prepared.loaded : new Set() });
    for (const i of items) await this.deps.userViews?.afterStatement(this.deps.engine, i.info, !hasError(out));
    yield* this.settleUserViews();
    return out;
  }

  /**
   * MaxRows over the extended protocol: the SELECT bound in this run is cut like a simple query's;
   * a portal a fetch size suspended keeps its count for the Executes that continue it.
   */
  private capExtended(messages: Uint8Array[], items: (ReadItem & { at: number })[], prepared: Prepared, out: Uint8Array): Uint8Array {
    const capped = items.find((i) => i.info.kind === 'SelectStmt' && prepared.planned.some((p) => p.info === i.info && p.planned.maxRows !== undefined));
    let state = this.cappedPortal;
    if (capped) {
      const cap = prepared.planned.find((p) => p.info === capped.info)!.planned.maxRows!;
      state = { portal: fe.readBind(messages[capped.at]!).portal, cap, sent: 0 };
    } else if (!state || messages.some((m) => m[0] === fe.FrontendCode.Bind && fe.readBind(m).portal === state!.portal)) {
      this.cappedPortal = undefined;
      return out;
    }
    const executes = messages.filter((m) => m[0] === fe.FrontendCode.Execute).map((m) => fe.readExecute(m).portal);
    if (!executes.includes(state.portal) || hasError(out)) {
      if (capped) this.cappedPortal = undefined;
      return out;
    }
    const r = capRows(out, state.cap, state.sent);
    this.cappedPortal = r.open ? { ...state, sent: r.sent } : undefined;
    return r.out;
  }

  /** A write to a JSM relation or a CALL of a seed procedure: the gateway carries it out (src/writes, src/procedures). */
  private carriesOut(info: StatementInfo): boolean {
    if (this.status === 'E') return false; // the engine answers 25P02, as for anything else
    if (WRITES.has(info.kind)) return !!info.targets?.some((t) => this.isJsm(t));
    if (info.kind === 'ExplainStmt') return !!this.explainedWrite(info);
    return info.kind === 'CallStmt' && !!findProcedure(this.deps.catalog, info.node);
  }

  /** The write an EXPLAIN explains, when it writes a JSM relation. */
  private explainedWrite(info: StatementInfo): { kind: string; node: Record<string, unknown>; analyze: boolean } | undefined {
    const query = info.node.query as Record<string, Record<string, unknown>> | undefined;
    const kind = query ? Object.keys(query)[0] : undefined;
    if (!kind || !WRITES.has(kind)) return undefined;
    const relation = query![kind]!.relation as { relname?: string; schemaname?: string } | undefined;
    if (!relation?.relname || !this.isJsm({ schema: relation.schemaname?.toLowerCase(), name: relation.relname.toLowerCase() })) return undefined;
    return { kind, node: query![kind]!, analyze: !info.planOnly };
  }

  /** A gateway statement of a simple query: its WARNINGs, then its rows (if any) under its own command tag. */
  private async *simpleGatewayStatement(info: StatementInfo): AsyncGenerator<Uint8Array, Uint8Array> {
    let answer: StatementAnswer;
    try {
      answer = await this.answer(info);
    } catch (err) {
      return this.raise(this.report(err), (sql) => queryMessage(sql));
    }
    for (const w of answer.warnings ?? []) yield be.noticeResponse(w, { severity: 'WARNING', code: '01000' });
    if (answer.sql) return withCommandTag(await this.forward(queryMessage(answer.sql)), answer.tag);
    return Buffer.concat([be.commandComplete(answer.tag), be.readyForQuery(this.status)]);
  }

  /**
   * Carries out a gateway statement: `at` is its Bind in `messages` (extended protocol), whose
   * parameters it runs with. Cancel, statement_timeout and the Timeout property stop its API calls.
   */
  private async answer(info: StatementInfo, at?: number, batch?: Uint8Array[], copyData?: Uint8Array[]): Promise<StatementAnswer> {
    let bound: BoundParams | undefined;
    if (at !== undefined) {
      const b = fe.readBind(batch![at]!);
      bound = { paramTypes: this.statements.get(b.statement)?.paramTypes ?? [], formats: b.formats, values: b.values };
    }
    const settings = await this.caches.settings();
    const { controller, end, reason } = this.statementSignal(settings);
    const ctx: GatewayStatementContext = {
      engine: this.deps.engine,
      catalog: this.deps.catalog,
      jsm: this.deps.jsm,
      cache: scanCacheFor(this.deps.jsm.identityKey),
      signal: controller.signal,
      logger: this.deps.logger,
      concurrency: this.deps.defaults.concurrency,
      inBlock: this.status === 'T',
      copyData: copyData && ((sql) => this.inSavepoint(Buffer.concat([queryMessage(sql), ...copyData, COPY_DONE]))),
      run: async (sql, params) => {
        try {
          await this.runWithReads(sql, params);
        } finally {
          this.current = controller; // prepare() took it over while it fetched
        }
      },
    };
    try {
      if (info.kind === 'CallStmt') return await callProcedure(ctx, findProcedure(this.deps.catalog, info.node)!, info.node, bound);
      const explained = this.explainedWrite(info);
      if (explained) return await explainWrite(this.deps.engine, this.deps.catalog, explained.node, explained.kind, explained.analyze);
      return await executeWrite(ctx, info.node, info.kind, {
        batch: this.identity.nextBatch(),
        note: (rows: IdentityRow[]) => this.identity.note(this.deps.engine, rows),
      }, bound);
    } catch (err) {
      throw reason(err);
    } finally {
      end();
      if (!this.explainedWrite(info)) this.loads.clear(); // rows loaded before a write or procedure may be stale now
    }
  }

  /**
   * What stops the statement's API calls: cancel (it is `current`), statement_timeout and the
   * Timeout property; `reason` turns the abort's failure back into the error that caused it.
   */
  private statementSignal(settings: SessionSettings): { controller: AbortController; end: () => void; reason: (err: unknown) => unknown } {
    const controller = new AbortController();
    // every call, page and retry of the statement listens to it at once (bounded by MaxConcurrency × pages in flight)
    setMaxListeners(0, controller.signal);
    this.current = controller;
    const deadline = statementDeadline(settings.timeoutMs, settings.statementTimeout);
    const timer = deadline ? setTimeout(() => controller.abort(deadline.error()), deadline.ms) : undefined;
    return {
      controller,
      end: () => {
        clearTimeout(timer);
        if (this.current === controller) this.current = undefined;
      },
      reason: (err) => (controller.signal.aborted && controller.signal.reason instanceof PgError ? controller.signal.reason : err),
    };
  }

  /**
   * Runs one of the gateway's statements in the engine after fetching what it reads, with the
   * client's parameters. Inside a transaction block it runs in a savepoint, so its failure is the
   * gateway's error to report (raised in its place), not an abort of the block under it.
   */
  private async runWithReads(sql: string, bound?: BoundParams): Promise<void> {
    const info: StatementInfo = { sql, kind: 'InsertStmt', relations: [], readSql: sql, node: {} };
    const params = bound ? decodeParams({ portal: '', statement: '', formats: [...bound.formats], values: [...bound.values], resultFormats: [] }, [...bound.paramTypes]) : undefined;
    const work = this.prepare([{ info, params: params ?? undefined, generic: !!bound && bound.values.length > 0 && !params }]);
    let step = await work.next();
    while (!step.done) step = await work.next(); // progress NOTICEs are for reads the client asked for
    await this.reading.apply(this.deps.engine, step.value.loaded);
    await this.inSavepoint(bound
      ? Buffer.concat([
        parseMessage('jsm_pg_write', sql, bound.paramTypes),
        bindMessage('', 'jsm_pg_write', bound.formats, bound.values),
        executeMessage(''),
        closeMessage('S', 'jsm_pg_write'),
        syncMessage(),
      ])
      : queryMessage(sql));
  }

  /** Runs a gateway statement's engine work; inside a block in a savepoint, so its failure is reported, not left aborting the block. */
  private async inSavepoint(bytes: Uint8Array): Promise<void> {
    const inBlock = this.status === 'T';
    const engine = this.deps.engine;
    if (inBlock) await engine.exec('SAVEPOINT jsm_pg_write');
    const err = engineError(await engine.execRaw(bytes));
    if (inBlock) await engine.exec(err ? 'ROLLBACK TO SAVEPOINT jsm_pg_write; RELEASE SAVEPOINT jsm_pg_write' : 'RELEASE SAVEPOINT jsm_pg_write');
    if (err) throw err;
  }

  /**
   * The batch with the gateway statement's Bind … Execute replaced by a run of its answer (its
   * rows, or NO_ROWS), bound to the client's portal with the client's result formats, so Describe
   * and Execute answer as for the statement itself; the answer's own ParseComplete and
   * CloseComplete are taken out and its CommandComplete carries the statement's tag.
   */
  private async forwardAnswered(batch: Uint8Array[], at: number, answer: StatementAnswer): Promise<Uint8Array> {
    const bind = fe.readBind(batch[at]!);
    let exec = at + 1;
    while (exec < batch.length && batch[exec]![0] !== fe.FrontendCode.Execute) exec++;
    const describes = batch.slice(at + 1, exec).some((m) => m[0] === fe.FrontendCode.Describe && m[5] === 0x50);
    const run = [
      parseMessage(ANSWER_STATEMENT, answer.sql ?? NO_ROWS),
      bindMessage(bind.portal, ANSWER_STATEMENT, [], [], bind.resultFormats),
      ...(describes ? [describeMessage('P', bind.portal)] : []),
      executeMessage(bind.portal),
      closeMessage('S', ANSWER_STATEMENT),
    ];
    const before = batch.slice(0, at);
    const out = await this.forward(Buffer.concat([...before, ...run, ...batch.slice(exec + 1)]));
    const completions = before.filter((m) => m[0] === fe.FrontendCode.Parse || m[0] === fe.FrontendCode.Bind).length;
    return withCommandTag(withoutCompletions(out, completions, 1), answer.tag, true);
  }

  /** EXPLAIN, fetch and load for statements that read JSM relations; yields NOTICE progress while it waits. */
  private async *prepare(items: ReadItem[]): AsyncGenerator<Uint8Array, Prepared> {
    const { engine, catalog } = this.deps;
    const settings = await this.caches.settings();
    const { controller, end, reason } = this.statementSignal(settings);
    try {
      const planned: Prepared['planned'] = [];
      const listingPages = listingPagesOf(scanCacheFor(this.deps.jsm.identityKey));
      for (const { info, params, generic } of items) {
        const st = { sql: info.readSql!, params, limit: info.limit, generic };
        // listings the planner asked the length of and found unknown: once one is known, plan again
        const unknown: ApiCall[] = [];
        const asked = (call: ApiCall) => {
          const pages = listingPages(call);
          if (pages === undefined) unknown.push(call);
          return pages;
        };
        const opts = { maxRows: settings.maxRows, defaultDesk: this.deps.defaults.serviceDeskId || undefined, listingPages: asked };
        const p = await this.caches.plan(st.sql, [params ?? null, st.limit ?? null, generic ?? false, opts.maxRows], async () => {
          const planned = await this.tryExplain(st, opts);
          return planned && { planned, outdated: unknown.length ? () => unknown.some((c) => listingPages(c) !== undefined) : undefined };
        });
        if (p) planned.push({ info, planned: p });
      }
      const toFetch = planned.filter((e) => !e.info.planOnly).map((e) => e.planned);
      const loaded = new Set(toFetch.flatMap((p) => p.facts.scans.map((s) => engineName(s.table.name))));
      if (toFetch.length === 0) return { planned, loaded };
      const ctx: FetchContext = {
        jsm: this.deps.jsm,
        cache: scanCacheFor(this.deps.jsm.identityKey),
        signal: controller.signal,
        cacheTtlMs: settings.cacheTtlMs,
        cacheMode: settings.cacheMode,
        pageSize: this.deps.defaults.pageSize,
        concurrency: this.deps.defaults.concurrency,
        maxApiCalls: settings.maxApiCalls,
        progress: { rows: 0, pages: 0, calls: 0 },
      };
      const work = prepareReads(engine, catalog, toFetch, ctx, {
        inTransaction: this.status === 'T',
        tracker: this.loads,
        readable: (tables) => this.reading.apply(engine, tables),
      });
      const t0 = performance.now();
      yield* progressNotices(work, ctx.progress);
      await work;
      return { planned, loaded, actual: { ...ctx.progress, ms: performance.now() - t0 } };
    } catch (err) {
      throw reason(err);
    } finally {
      end();
    }
  }

  /**
   * The engine's plan of a statement, or undefined when EXPLAIN fails (a bad column, a syntax
   * error, a division by zero folded at plan time): the statement itself then runs and reports
   * PostgreSQL's own error at its own position. Inside a transaction block the EXPLAIN runs in a
   * savepoint, so its failure does not abort the client's transaction first.
   */
  private async tryExplain(st: { sql: string; params?: (string | null)[]; limit?: number; generic?: boolean }, opts: PlanOptions): Promise<PlannedStatement | undefined> {
    const { engine, catalog } = this.deps;
    const inBlock = this.status === 'T';
    if (inBlock) await engine.exec('SAVEPOINT jsm_pg_explain');
    try {
      const planned = await explainStatement(engine, catalog, st, opts);
      if (inBlock) await engine.exec('RELEASE SAVEPOINT jsm_pg_explain');
      return planned;
    } catch (err) {
      if (inBlock) await engine.exec('ROLLBACK TO SAVEPOINT jsm_pg_explain; RELEASE SAVEPOINT jsm_pg_explain');
      if (err instanceof PgError) throw err;
      this.deps.logger.debug({ err }, 'EXPLAIN failed; the statement runs and reports its own error');
      return undefined;
    }
  }

  private async readSettings(): Promise<SessionSettings> {
    return this.settingsFrom((await this.deps.engine.query<SettingsRow>(SESSION_SETTINGS_SQL)).rows[0]!);
  }

  private settingsFrom(row: SettingsRow): SessionSettings {
    const num = (v: string | null, dflt: number, scale: number) => (v && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) * scale : dflt);
    return {
      cacheTtlMs: num(row.ttl, this.deps.defaults.cacheTtlMs, 1000),
      cacheMode: row.mode?.toLowerCase() === 'bypass' || row.mode?.toLowerCase() === 'off' ? 'bypass' : 'use',
      timeoutMs: num(row.timeout, this.deps.defaults.timeoutMs, 1000),
      statementTimeout: row.statement_timeout,
      maxApiCalls: Number.isInteger(Number(row.calls)) && Number(row.calls) >= 0 && row.calls?.trim() ? Number(row.calls) : this.deps.defaults.maxApiCalls,
      maxRows: Number.isInteger(Number(row.max_rows)) && row.max_rows?.trim() ? Number(row.max_rows) : this.deps.defaults.maxRows ?? -1,
    };
  }

  /**
   * Text PostgreSQL's grammar rejected, in the seed's dialect (LOCAL VIEW statements, [names],
   * TOP n): the PostgreSQL text, if the rewrite parses; an error whose hint gives the PostgreSQL
   * form for a habit with no rewrite; otherwise undefined (the engine reports its syntax error).
   */
  private seedSql(sql: string): string | PgError | undefined {
    const seed = seedSyntax(sql, this.deps.userViews?.schema ?? 'userviews');
    if (seed.sql && this.caches.classify(seed.sql)) {
      this.deps.userViews?.noteSpellings(seed.viewNames ?? []);
      return seed.sql;
    }
    if (seed.hint) return new PgError(SqlState.SyntaxError, 'syntax error at or near "TOP"', { hint: seed.hint });
    return undefined;
  }

  /** Before a statement, outside transaction blocks: the user's views as the views file now has them. */
  private async refreshUserViews(): Promise<void> {
    const uv = this.deps.userViews;
    if (!uv || this.closed || this.deps.engine.dead) return;
    try {
      if (await uv.refresh(this.deps.engine)) this.caches.noteStatement(null);
    } catch (err) {
      this.deps.logger.warn({ err }, 'user views not refreshed');
    }
  }

  /** Outside transaction blocks: user views created, replaced or dropped by committed statements go to the views file. */
  private async *settleUserViews(): AsyncGenerator<Uint8Array> {
    const uv = this.deps.userViews;
    if (!uv || this.status !== 'I' || this.deps.engine.dead) return;
    await uv.settle(this.deps.engine);
    for (const w of uv.takeWarnings()) yield be.noticeResponse(w, { severity: 'WARNING', code: '01000' });
  }

  private report(err: unknown): PgError {
    const e = toPgError(err);
    if (e.code === SqlState.InternalError) this.deps.logger.error({ err }, 'statement failed');
    else this.deps.logger.info({ code: e.code, message: e.message }, 'statement failed');
    return e;
  }
}
