import { parseSync } from 'libpg-query';
import { parsePgArray } from './pg-array.ts';
import { closingParen, scanSql } from './sql-text.ts';

/** A condition on one relation's column that an API filter could take: `col = v` or `col = ANY ({v1,v2})`. */
export interface Qual {
  readonly column: string;
  /** Candidate values; the column must equal one of them. */
  readonly values: readonly string[];
  readonly text: string;
}

/** `a.x = b.y`: drives child fetches from the rows of the other side. */
export interface JoinEquality {
  readonly left: { alias: string | undefined; column: string };
  readonly right: { alias: string | undefined; column: string };
}

export interface ParsedCondition {
  quals: Qual[];
  /** Conjuncts that are not `column = constant` shapes: left to the engine. */
  others: string[];
  joins: JoinEquality[];
}

type Node = Record<string, any>;

/** Splits a deparsed EXPLAIN condition into its top-level AND terms and classifies each. */
export function parseCondition(text: string): ParsedCondition {
  const result: ParsedCondition = { quals: [], others: [], joins: [] };
  for (const part of splitAnd(text)) {
    let term: Node;
    try {
      term = parseSync(`SELECT ${part}`).stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val;
    } catch {
      result.others.push(part);
      continue;
    }
    const q = asQual(term);
    if (q) result.quals.push({ ...q, text: describeQual(q) });
    else {
      const j = asJoin(term);
      if (j) result.joins.push(j);
      result.others.push(part);
    }
  }
  return result;
}

/** Top-level AND terms of a deparsed condition, each as text (EXPLAIN wraps every term in parentheses). */
export function splitAnd(text: string): string[] {
  let s = text.trim();
  while (s.startsWith('(') && closingParen(s, 0) === s.length - 1) s = s.slice(1, -1).trim();
  const parts: string[] = [];
  let start = 0;
  scanSql(s, 0, (_ch, i, depth) => {
    if (depth === 0 && i >= start && s.startsWith(' AND ', i)) {
      parts.push(s.slice(start, i).trim());
      start = i + 5;
    }
  });
  parts.push(s.slice(start).trim());
  return parts.length > 1 ? parts.flatMap(splitAnd) : parts;
}

function unwrap(n: Node | undefined): Node | undefined {
  while (n?.TypeCast) n = n.TypeCast.arg;
  return n;
}

function columnOf(n: Node | undefined): { alias: string | undefined; column: string } | undefined {
  const c = unwrap(n)?.ColumnRef;
  if (!c) return undefined;
  const f = c.fields.map((x: Node) => x.String?.sval);
  if (f.some((x: unknown) => typeof x !== 'string')) return undefined;
  return f.length === 1 ? { alias: undefined, column: f[0] } : { alias: f[f.length - 2], column: f[f.length - 1] };
}

function constOf(n: Node | undefined): string | null | undefined {
  const c = unwrap(n)?.A_Const;
  if (!c) return undefined;
  if (c.isnull) return null;
  if (c.sval) return c.sval.sval ?? '';
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return c.fval.fval;
  if (c.boolval) return String(c.boolval.boolval ?? false);
  if ('ival' in c) return '0';
  if ('boolval' in c) return 'false';
  return undefined;
}

function opName(e: Node): string | undefined {
  return e.name?.length === 1 ? e.name[0].String?.sval : undefined;
}

function asQual(term: Node): Omit<Qual, 'text'> | undefined {
  // a bare boolean column, or NOT column
  const bare = columnOf(term);
  if (bare && !term.TypeCast) return { column: bare.column, values: ['true'] };
  if (term.BoolExpr?.boolop === 'NOT_EXPR') {
    const c = columnOf(term.BoolExpr.args[0]);
    if (c) return { column: c.column, values: ['false'] };
  }
  // `col = a OR col = b`: what the engine makes of `col IN (a, b)` when the values are not of the
  // column's type (RequestId IN (10001, 10002), habits-ddl.ts), pushed like the IN it was
  if (term.BoolExpr?.boolop === 'OR_EXPR') {
    const parts = (term.BoolExpr.args as Node[]).map((a) => (a.A_Expr?.kind === 'AEXPR_OP' ? asQual(a) : undefined));
    const column = parts[0]?.column;
    if (column === undefined || parts.some((p) => !p || p.column !== column)) return undefined;
    return { column, values: [...new Set(parts.flatMap((p) => p!.values))] };
  }
  const e = term.A_Expr;
  if (!e || opName(e) !== '=') return undefined;
  // casts on the column side change semantics (e.g. ::date); only a bare column is pushable
  const col = e.lexpr?.ColumnRef ? columnOf(e.lexpr) : e.rexpr?.ColumnRef ? columnOf(e.rexpr) : undefined;
  if (!col) return undefined;
  const other = e.lexpr?.ColumnRef ? e.rexpr : e.lexpr;
  if (e.kind === 'AEXPR_OP') {
    const v = constOf(other);
    return typeof v === 'string' ? { column: col.column, values: [v] } : undefined;
  }
  if (e.kind === 'AEXPR_OP_ANY' && e.lexpr?.ColumnRef) {
    const lit = constOf(other);
    if (typeof lit !== 'string') return undefined;
    const values = parsePgArray(lit).filter((v): v is string => v !== null);
    return { column: col.column, values };
  }
  return undefined;
}

function asJoin(term: Node): JoinEquality | undefined {
  const e = term.A_Expr;
  if (!e || e.kind !== 'AEXPR_OP' || opName(e) !== '=') return undefined;
  const l = columnOf(e.lexpr);
  const r = columnOf(e.rexpr);
  return l && r ? { left: l, right: r } : undefined;
}

function literal(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

export function describeQual(q: Pick<Qual, 'column' | 'values'>): string {
  return q.values.length === 1 ? `${q.column} = ${literal(q.values[0]!)}` : `${q.column} IN (${q.values.map(literal).join(', ')})`;
}
