import { parseSync } from 'libpg-query';
import { closingParen } from '../planner/sql-text.ts';
import { copyRelationAsQuery } from './rewrite.ts';

export interface StatementInfo {
  readonly sql: string;
  /** Top-level statement node name, e.g. SelectStmt. */
  readonly kind: string;
  /** Lower-case names of every relation the statement mentions. */
  readonly relations: readonly { schema?: string; name: string }[];
  /** LIMIT + OFFSET of a plain SELECT when both are constants. */
  readonly limit?: number;
  /** SQL to EXPLAIN for the rows this statement reads (differs from `sql` for COPY and EXPLAIN). */
  readonly readSql?: string;
  /** The statement's text does not show what it reads (EXECUTE): always ask the engine's plan. */
  readonly opaque?: boolean;
  /** EXPLAIN without ANALYZE: plan only, fetch nothing. */
  readonly planOnly?: boolean;
  /** EXPLAIN in text format: the API calls can be added as lines (JSON, XML and YAML are one typed value). */
  readonly explainText?: boolean;
  /** CALL name(args): lower-case name (schema stripped) and constant text arguments. */
  readonly call?: { readonly name: string; readonly args: readonly (string | null)[] };
  /** Text to forward instead of `sql` when it reads a JSM relation (COPY rel TO: see copyRelationAsQuery). */
  readonly forwardSql?: string;
  /** The relation an INSERT, UPDATE, DELETE, MERGE or TRUNCATE changes. */
  readonly targets?: readonly { schema?: string; name: string }[];
  /** SET/RESET of a setting: its lower-case name (role, session_authorization, jsm.reading, …); '' for RESET ALL. */
  readonly setting?: string;
  /** The parse tree node under `kind`, for checks that need more than the fields above. */
  readonly node: Record<string, unknown>;
  /** Nested too deeply to be walked: the session refuses it (54000) rather than let the engine meet it. */
  readonly tooDeep?: boolean;
  /** COPY … FROM STDIN: the session collects the client's data before the engine sees the statement. */
  readonly copyFromStdin?: boolean;
  /** Relations written by an INSERT, UPDATE or DELETE nested in this one (a data-modifying WITH). */
  readonly nestedTargets?: readonly { schema?: string; name: string }[];
}

type Node = Record<string, any>;

/** What the engine can EXPLAIN; anything else that mentions a JSM relation is forwarded untouched. */
const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'DeclareCursorStmt', 'CreateTableAsStmt']);

/** Splits and classifies a query string with Postgres's own grammar; null when it does not parse (the engine will say why). */
export function classify(sql: string): StatementInfo[] | null {
  let tree: { stmts?: { stmt: Node; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = parseSync(sql);
  } catch {
    return null;
  }
  const buf = Buffer.from(sql, 'utf8'); // locations are byte offsets
  return (tree.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const text = s.stmt_len ? buf.subarray(start, start + s.stmt_len).toString('utf8') : buf.subarray(start).toString('utf8');
    try {
      return describe(text.trim(), s.stmt);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return { sql: text.trim(), kind: Object.keys(s.stmt)[0] ?? 'Unknown', relations: [], node: {}, tooDeep: true };
    }
  });
}

function describe(sql: string, stmt: Node): StatementInfo {
  const kind = Object.keys(stmt)[0] ?? 'Unknown';
  const body = stmt[kind] as Node;
  const relations = collectRelations(stmt);
  const nested = kind === 'ExplainStmt' ? [] : nestedWrites(body);
  const base = { sql, kind, relations, node: body ?? {}, ...(nested.length ? { nestedTargets: nested } : {}) };
  if (kind === 'SelectStmt') return { ...base, readSql: sql, limit: constantLimit(body) };
  if (kind === 'VariableSetStmt') return { ...base, setting: String(body.name ?? '').toLowerCase() };
  if (kind === 'TruncateStmt') return { ...base, targets: collectRelations(body.relations) };
  if (['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'].includes(kind)) return { ...base, readSql: sql, targets: collectRelations(body.relation) };
  if (EXPLAINABLE.has(kind)) return { ...base, readSql: sql };
  // EXECUTE of an SQL-level prepared statement: what it reads is only known to the engine's plan.
  if (kind === 'ExecuteStmt') return { ...base, readSql: sql, opaque: true };
  if (kind === 'ExplainStmt') {
    const analyze = (body.options ?? []).some((o: Node) => o.DefElem?.defname === 'analyze' && o.DefElem?.arg?.Boolean?.boolval !== false);
    const format = (body.options ?? []).find((o: Node) => o.DefElem?.defname === 'format')?.DefElem?.arg?.String?.sval;
    const inner = innerText(sql, /^\s*explain\b/i);
    return { ...base, readSql: inner, planOnly: !analyze, explainText: !format || String(format).toLowerCase() === 'text' };
  }
  if (kind === 'CallStmt') {
    const fc = body.funccall?.FuncCall ?? body.funccall;
    const names = (fc?.funcname ?? []).map((n: Node) => String(n.String?.sval ?? '').toLowerCase());
    const args = (fc?.args ?? []).map((a: Node) => {
      const c = (a.TypeCast?.arg ?? a).A_Const;
      if (!c || c.isnull) return null;
      return String(c.sval?.sval ?? c.ival?.ival ?? c.fval?.fval ?? c.boolval?.boolval ?? '');
    });
    return { ...base, call: { name: names[names.length - 1] ?? '', args } };
  }
  if (kind === 'CopyStmt' && body.is_from && !body.filename && !body.is_program) return { ...base, copyFromStdin: true };
  if (kind === 'CopyStmt' && !body.is_from) {
    if (body.query) return { ...base, readSql: parenthesised(sql) };
    if (body.relation) return { ...base, readSql: `SELECT * FROM ${relationText(body.relation)}`, forwardSql: copyRelationAsQuery(sql) };
  }
  return base;
}

const WRITE_NODES = ['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'];

/** Targets of writes inside a statement (WITH x AS (INSERT …)), not of the statement itself. */
function nestedWrites(n: unknown, out: { schema?: string; name: string }[] = []): { schema?: string; name: string }[] {
  if (Array.isArray(n)) n.forEach((x) => nestedWrites(x, out));
  else if (n && typeof n === 'object') {
    for (const [k, v] of Object.entries(n as Node)) {
      if (WRITE_NODES.includes(k) && v?.relation?.relname) out.push({ schema: v.relation.schemaname?.toLowerCase(), name: String(v.relation.relname).toLowerCase() });
      if (v && typeof v === 'object') nestedWrites(v, out);
    }
  }
  return out;
}

function constantLimit(s: Node): number | undefined {
  if (!s.limitCount || s.limitOption === 'LIMIT_OPTION_WITH_TIES') return undefined;
  const n = s.limitCount.A_Const?.ival;
  if (!n && s.limitCount.A_Const?.ival === undefined) return undefined;
  const count = Number(n?.ival ?? 0);
  const off = s.limitOffset ? s.limitOffset.A_Const?.ival : { ival: 0 };
  if (off === undefined) return undefined;
  return count + Number(off.ival ?? 0);
}

function collectRelations(n: unknown, out: { schema?: string; name: string }[] = []): { schema?: string; name: string }[] {
  if (Array.isArray(n)) n.forEach((x) => collectRelations(x, out));
  else if (n && typeof n === 'object') {
    const o = n as Node;
    if (o.RangeVar?.relname) out.push({ schema: o.RangeVar.schemaname?.toLowerCase(), name: String(o.RangeVar.relname).toLowerCase() });
    if (o.relname && o.relpersistence !== undefined) out.push({ schema: o.schemaname?.toLowerCase(), name: String(o.relname).toLowerCase() });
    for (const v of Object.values(o)) if (v && typeof v === 'object') collectRelations(v, out);
  }
  return out;
}

/** A RangeVar as SQL text, each part quoted. */
export function relationText(r: Node): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return r.schemaname ? `${q(r.schemaname)}.${q(r.relname)}` : q(r.relname);
}

/** The statement after a leading keyword and its parenthesised options, e.g. EXPLAIN (VERBOSE) SELECT … → SELECT …. */
function innerText(sql: string, lead: RegExp): string {
  let rest = sql.replace(lead, '').trimStart();
  if (rest.startsWith('(')) rest = rest.slice(closingParen(rest, 0) + 1);
  // bare option keywords of the old syntax
  return rest.replace(/^\s*((analyze|analyse|verbose)\s+)*/i, '');
}

/** COPY ( query ) TO …: the text inside the first balanced parentheses. */
function parenthesised(sql: string): string {
  const open = sql.indexOf('(');
  const close = closingParen(sql, open);
  return sql.slice(open + 1, close < 0 ? sql.length : close);
}
