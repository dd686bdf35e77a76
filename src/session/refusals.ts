import { PROTECTED_SETTINGS } from '../engine/engine-limits.ts';
import { PgError, SqlState } from '../errors/index.ts';

/*
 * Statements the session answers with an error instead of handing them to its engine, because the
 * engine would never answer them or would die under them (issue 14, finding 4). Pure: one statement
 * of a libpg-query parse tree in, an error or nothing out. The walks are iterative, so a parse tree
 * thousands of levels deep cannot overflow the stack here.
 *
 * SQLSTATE 42501 for COPY with a program or a server file: it is what PostgreSQL itself answers a
 * role without pg_execute_server_program / pg_read_server_files / pg_write_server_files, with the
 * same message and hint, so clients and users recognise it and know to use COPY … TO STDOUT /
 * FROM STDIN or psql's \copy. (0A000 would claim COPY has no such form, which is not true of
 * PostgreSQL; the gateway only withholds it.) Raising a protected setting is refused the same way
 * PostgreSQL refuses it to a non-superuser.
 */

type Node = Record<string, any>;

/**
 * Nesting allowed, in parse-tree nodes between the outermost nested query and the deepest one
 * (each subquery, derived table, WITH query, set-operation branch and each expression node on the
 * way counts one; a reference to a WITH query counts as that query's body nested there).
 * On the main thread the engine's V8 stack overflowed, before Postgres's own 54001 check could
 * fire, at these depths: 279 (UNION branches inside derived tables), 278 (a 275-term expression
 * inside a subquery over another subquery), 297 (9 subqueries each inside 30 function calls), 336
 * (WHERE a = (SELECT …) chains), 370 (derived tables, EXISTS/IN, WITH chains), 417 (scalar
 * subqueries in the select list). Half of the lowest leaves room for what was not measured; in a
 * worker thread (4 MB of stack) the engine holds about four times more.
 */
export const MAX_QUERY_NESTING = 128;

/**
 * Brackets nested in one string constant. The engine died (V8 stack overflow) compiling a regular
 * expression with 2,200 nested groups and validating a json value 5,980 levels deep; a jsonb value
 * stops with 54001 from about 1,260 levels, so nothing valid is lost at this limit.
 */
export const MAX_CONSTANT_NESTING = 1000;

/** BEGIN … END blocks nested in a PL/pgSQL body: 900 killed the engine when the DO block ran. */
export const MAX_PLPGSQL_BLOCK_NESTING = 300;

/** WITH clauses inside WITH queries followed while costing them (each level is a call here). */
const MAX_WITH_NESTING = 64;

const QUERY_NODES = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

const COPY_HINT = "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.";

/**
 * Parse trees that passed every check: parse results are shared by the sessions (ParseCache), so
 * a tree a crowd sends again and again is walked once (the walks are the costliest part of
 * classifying a statement). Only passes are kept: a refusal is rare and made anew each time.
 */
const PASSED = new WeakSet<object>();

/** The error to answer `stmt` with, or undefined to run it. `kind` is its top-level node name (e.g. CopyStmt), `stmt` the node under it. */
export function refusal(kind: string, stmt: Record<string, any>): PgError | undefined {
  if (PASSED.has(stmt)) return undefined;
  const refused = checkStatement(kind, stmt);
  if (!refused) PASSED.add(stmt);
  return refused;
}

function checkStatement(kind: string, stmt: Record<string, any>): PgError | undefined {
  if (kind === 'CopyStmt') {
    const copy = copyRefusal(stmt);
    if (copy) return copy;
  }
  const setting = settingRefusal(kind, stmt);
  if (setting) return setting;
  const body = plpgsqlBody(kind, stmt);
  if (body !== undefined) {
    const blocks = blockNesting(body);
    if (blocks > MAX_PLPGSQL_BLOCK_NESTING) {
      return tooDeep(`The PL/pgSQL body nests ${blocks} BEGIN … END blocks; jsm-pg's SQL engine allows ${MAX_PLPGSQL_BLOCK_NESTING}.`, 'Use fewer nested blocks.');
    }
  }
  const constant = deepestConstant(stmt);
  if (constant > MAX_CONSTANT_NESTING) {
    return tooDeep(
      `A string constant in the statement nests brackets ${constant} levels deep (a JSON value or regular expression that deep overflows jsm-pg's SQL engine); the limit is ${MAX_CONSTANT_NESTING}.`,
      'Flatten the value, or pass it as a parameter of a smaller depth.',
    );
  }
  const depth = queryNesting(kind, stmt);
  if (depth > MAX_QUERY_NESTING) {
    return tooDeep(
      Number.isFinite(depth)
        ? `The statement nests subqueries, derived tables or WITH queries ${depth} levels deep, counting the expressions between them; jsm-pg's SQL engine allows ${MAX_QUERY_NESTING}.`
        : `The statement nests WITH queries inside WITH queries more than ${MAX_WITH_NESTING} levels deep.`,
      'Use fewer levels of nesting, e.g. joins or one WITH list instead of subqueries inside subqueries.',
    );
  }
  return undefined;
}

/** Postgres's own words and code (54001, statement_too_complex). */
function tooDeep(detail: string, hint: string): PgError {
  return new PgError(SqlState.StatementTooComplex, 'stack depth limit exceeded', { detail, hint });
}

/** The body of a DO block or of a CREATE FUNCTION/PROCEDURE in PL/pgSQL (DO's default language). */
function plpgsqlBody(kind: string, stmt: Node): string | undefined {
  const list = (kind === 'DoStmt' ? stmt.args : kind === 'CreateFunctionStmt' ? stmt.options : undefined) as Node[] | undefined;
  if (!list) return undefined;
  let language = kind === 'DoStmt' ? 'plpgsql' : '';
  let body: string | undefined;
  for (const item of list) {
    const d = item?.DefElem as Node | undefined;
    if (d?.defname === 'language') language = String(d.arg?.String?.sval ?? '').toLowerCase();
    if (d?.defname === 'as') body = d.arg?.String?.sval ?? d.arg?.List?.items?.[0]?.String?.sval;
  }
  return language === 'plpgsql' && typeof body === 'string' ? body : undefined;
}

/** Deepest BEGIN … END nesting, read from the words alone (END IF / END LOOP / END CASE close no block). */
function blockNesting(body: string): number {
  let depth = 0;
  let max = 0;
  for (const m of body.matchAll(/\b(begin|end)\b(\s+(if|loop|case)\b)?/gi)) {
    if (m[1]!.toLowerCase() === 'begin') max = Math.max(max, ++depth);
    else if (!m[2] && depth > 0) depth--;
  }
  return max;
}

/** Deepest bracket nesting ( [ { in any string constant of the statement. */
function deepestConstant(stmt: Node): number {
  let max = 0;
  const stack: unknown[] = [stmt];
  while (stack.length > 0) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    const s = (v as Node).A_Const?.sval?.sval;
    if (typeof s === 'string') {
      if (s.length > MAX_CONSTANT_NESTING) max = Math.max(max, bracketNesting(s));
      continue;
    }
    for (const x of Object.values(v as Node)) if (x && typeof x === 'object') stack.push(x);
  }
  return max;
}

function bracketNesting(s: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x28 || c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x29 || c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

function copyRefusal(copy: Node): PgError | undefined {
  if (copy.is_program) {
    return new PgError(SqlState.InsufficientPrivilege, 'permission denied to COPY to or from an external program', {
      detail: 'jsm-pg runs SQL in an embedded engine that cannot start programs.',
      hint: COPY_HINT,
    });
  }
  if (typeof copy.filename === 'string') {
    return new PgError(SqlState.InsufficientPrivilege, copy.is_from ? 'permission denied to COPY from a file' : 'permission denied to COPY to a file', {
      detail: `The file would be ${copy.is_from ? 'read from' : 'written to'} the private in-memory file system of jsm-pg's engine, not a disk you can reach.`,
      hint: COPY_HINT,
    });
  }
  return undefined;
}

/**
 * SET / SET LOCAL / ALTER SYSTEM|ROLE|DATABASE … SET / CREATE|ALTER FUNCTION … SET of a protected
 * setting, set_config() of one named by a constant, and UPDATE pg_settings naming one. RESET and
 * SET … TO DEFAULT return to the engine's value and stay allowed.
 */
function settingRefusal(kind: string, stmt: Node): PgError | undefined {
  const updatesSettings = kind === 'UpdateStmt' && String(stmt.relation?.relname ?? '').toLowerCase() === 'pg_settings';
  const stack: unknown[] = [stmt];
  if (kind === 'VariableSetStmt') stack.push({ VariableSetStmt: stmt });
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    const o = v as Node;
    const set = o.VariableSetStmt ?? (typeof o.name === 'string' && typeof o.kind === 'string' && o.kind.startsWith('VAR_') ? o : undefined);
    if (set && (set.kind === 'VAR_SET_VALUE' || set.kind === 'VAR_SET_CURRENT')) {
      const name = String(set.name ?? '').toLowerCase();
      if (PROTECTED_SETTINGS.has(name)) return settingError(name);
      // a function's SET clause (the session refuses a top-level SET ROLE itself)
      if (set !== stmt && ROLE_SETTINGS.has(name)) return roleError(name);
    }
    const call = o.FuncCall;
    if (call) {
      const names = (call.funcname ?? []) as Node[];
      const fname = String(names[names.length - 1]?.String?.sval ?? '').toLowerCase();
      const first = constantText(call.args?.[0])?.toLowerCase();
      if (fname === 'set_config' && first !== undefined && PROTECTED_SETTINGS.has(first)) return settingError(first);
      if (fname === 'set_config' && first !== undefined && ROLE_SETTINGS.has(first)) return roleError(first);
    }
    if (updatesSettings) {
      const text = constantText(o);
      if (text !== undefined && PROTECTED_SETTINGS.has(text.toLowerCase())) return settingError(text.toLowerCase());
    }
    for (const x of Object.values(o)) if (x && typeof x === 'object') stack.push(x);
  }
  return undefined;
}

/**
 * The engine's session user is a superuser and client SQL runs under SET ROLE: set_config('role',
 * 'none', false) (like RESET ROLE) would return to the superuser, for whom none of the limits hold.
 */
const ROLE_SETTINGS: ReadonlySet<string> = new Set(['role', 'session_authorization']);

function roleError(name: string): PgError {
  return new PgError(SqlState.InsufficientPrivilege, `permission denied to set parameter "${name}"`, {
    detail: 'jsm-pg sessions keep the role they start with.',
  });
}

function settingError(name: string): PgError {
  return new PgError(SqlState.InsufficientPrivilege, `permission denied to set parameter "${name}"`, {
    detail: `jsm-pg sets "${name}" so that every statement ends with an answer; sessions cannot change it.`,
  });
}

/** The text of a string constant (also under a cast), else undefined. */
function constantText(n: Node | undefined): string | undefined {
  const c = (n?.TypeCast?.arg ?? n)?.A_Const;
  const s = c?.sval?.sval;
  return typeof s === 'string' ? s : undefined;
}

type Scope = { readonly names: ReadonlyMap<string, number>; readonly parent: Scope } | undefined;

function lookup(scope: Scope, name: string): number | undefined {
  for (let s = scope; s; s = s.parent) {
    const cost = s.names.get(name);
    if (cost !== undefined) return cost;
  }
  return undefined;
}

/**
 * How deep the statement nests queries, in parse-tree nodes from the outermost nested query to the
 * deepest one (0 when nothing is nested); Infinity beyond MAX_WITH_NESTING nested WITH clauses.
 */
export function queryNesting(kind: string, stmt: Record<string, any>): number {
  return nesting(stmt, kind, -1, undefined, 0);
}

interface Item {
  readonly v: unknown;
  readonly depth: number;
  /** Depth of the outermost nested query on the path, -1 before one. */
  readonly base: number;
  readonly scope: Scope;
  /** Node name of a bare node body (the root, a set operation's branch). */
  readonly name?: string;
  readonly root?: boolean;
  /** A set operation's branch: nested only if the set operation is. */
  readonly arm?: boolean;
}

/**
 * The deepest nesting below `root`. A CTE's body is costed with `base` 0 (its own root counts as
 * nested) and the result is what a reference to it adds.
 */
function nesting(root: Node, rootName: string, rootBase: number, scope: Scope, withLevel: number): number {
  if (withLevel > MAX_WITH_NESTING) return Infinity;
  let max = 0;
  const reach = (deepest: number, base: number, firstNested: number) => {
    const d = deepest - (base >= 0 ? base : firstNested);
    if (d > max) max = d;
  };
  const stack: Item[] = [{ v: root, depth: 0, base: rootBase, scope, name: rootName, root: true }];
  while (stack.length > 0) {
    const it = stack.pop()!;
    if (Array.isArray(it.v)) {
      for (const x of it.v) if (x && typeof x === 'object') stack.push({ v: x, depth: it.depth, base: it.base, scope: it.scope });
      continue;
    }
    if (!it.v || typeof it.v !== 'object') continue;
    let o = it.v as Node;
    let name = it.name;
    let depth = it.depth;
    const keys = Object.keys(o);
    if (!name && keys.length === 1 && /^[A-Z]/.test(keys[0]!) && o[keys[0]!] && typeof o[keys[0]!] === 'object') {
      name = keys[0]!;
      o = o[name] as Node;
      depth += 1; // a node wrapper: one level of the tree
    }
    let base = it.base;
    let scope = it.scope;
    const query = name !== undefined && QUERY_NODES.has(name);
    if (query) {
      if (!it.root && !it.arm && base < 0) base = depth;
      reach(depth, base, depth);
      if (o.withClause) {
        const w = withScope(o.withClause as Node, scope, withLevel);
        if (w.cost === Infinity) return Infinity;
        // each WITH query's own nesting sits under this query (WithClause body, CommonTableExpr, its query node)
        for (const cost of w.scope!.names.values()) reach(depth + 2 + cost, base, depth + 2);
        scope = w.scope;
      }
    }
    const isRangeVar = name === 'RangeVar' || (!name && typeof o.relname === 'string' && 'relpersistence' in o);
    if (isRangeVar && !o.schemaname) {
      const cost = lookup(scope, String(o.relname).toLowerCase());
      if (cost !== undefined) reach(depth + 1 + cost, base, depth + 1);
    }
    for (const [k, x] of Object.entries(o)) {
      if (!x || typeof x !== 'object') continue;
      if (query && k === 'withClause') continue; // costed above
      if (name === 'SelectStmt' && (k === 'larg' || k === 'rarg')) {
        // set-operation branches: a left-deep UNION chain is flat for the engine; each right branch counts one
        stack.push({ v: x, depth: depth + (k === 'rarg' ? 1 : 0), base, scope, name: 'SelectStmt', arm: true });
      } else {
        stack.push({ v: x, depth, base, scope });
      }
    }
  }
  return max;
}

/** Costs the WITH queries of one clause in order, each seeing those before it (and itself when RECURSIVE). */
function withScope(clause: Node, outer: Scope, withLevel: number): { scope: Scope; cost: number } {
  const names = new Map<string, number>();
  const scope: Scope = { names, parent: outer };
  for (const c of (clause.ctes ?? []) as Node[]) {
    const cte = c?.CommonTableExpr as Node | undefined;
    if (!cte?.ctequery) continue;
    const name = String(cte.ctename ?? '').toLowerCase();
    if (clause.recursive) names.set(name, 0); // its self-reference reads a work table, not a nested plan
    const q = cte.ctequery as Node;
    const qname = Object.keys(q)[0] ?? '';
    const cost = nesting((q[qname] ?? {}) as Node, qname, 0, scope, withLevel + 1);
    if (cost === Infinity) return { scope, cost };
    names.set(name, cost);
  }
  return { scope, cost: 0 };
}
