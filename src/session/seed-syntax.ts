/**
 * The seed's own SQL dialect, as its users write it (issue 13), turned into PostgreSQL:
 * - `CREATE LOCAL VIEW name AS …`, `ALTER LOCAL VIEW name AS …`, `DROP LOCAL VIEW name`: user-defined
 *   views, which are plain engine views in the user views schema (src/userviews): CREATE VIEW,
 *   CREATE OR REPLACE VIEW and DROP VIEW there, persisted by the session like any view created there;
 * - `[Bracketed Name]` identifiers: `"bracketed name"` (engine names are lower case);
 * - `SELECT TOP n …`: `SELECT … LIMIT n`.
 * The session asks for this only when PostgreSQL's grammar rejects the text, and uses the result
 * only if it parses: text PostgreSQL accepts (`arr[1]`, a column named top) is never touched.
 */
import { parseSync } from 'libpg-query';
import { isWord, significant, tokenize, type Token } from './sql-tokens.ts';

export interface SeedRewrite {
  /** The statement(s) in PostgreSQL's syntax, when something was rewritten. */
  readonly sql?: string;
  /** A seed habit that has no rewrite here: the PostgreSQL form to tell the user. */
  readonly hint?: string;
  /** LOCAL VIEW names that had to be quoted in lower case, with the user's spelling (for the views file). */
  readonly viewNames?: readonly { engineName: string; name: string }[];
}

interface Edit { start: number; end: number; text: string }

const TOP_HINT = 'TOP n is SQL Server syntax; PostgreSQL writes SELECT … LIMIT n (TOP n is rewritten so only for a SELECT without UNION, LIMIT, OFFSET, FETCH, PERCENT or WITH TIES).';

export function seedSyntax(sql: string, userViewsSchema: string): SeedRewrite {
  const tokens = tokenize(sql);
  const edits: Edit[] = [];
  let hint: string | undefined;
  // token indexes a LOCAL VIEW header already rewrote
  const taken = new Set<number>();
  const viewNames: { engineName: string; name: string }[] = [];
  for (const [from, to] of statements(tokens)) {
    const name = localView(sql, tokens, from, to, userViewsSchema, edits, taken);
    if (name) viewNames.push({ engineName: name.toLowerCase(), name });
  }
  brackets(tokens, edits, taken);
  const depth = depths(tokens);
  tokens.forEach((t, i) => {
    if (!isWord(t, 'TOP') || taken.has(i)) return;
    const r = top(tokens, depth, i);
    if (r === 'hint') hint = TOP_HINT;
    else if (r) edits.push(...r);
  });
  if (!edits.length) return hint ? { hint } : {};
  return { sql: apply(sql, edits), ...(hint ? { hint } : {}), ...(viewNames.length ? { viewNames } : {}) };
}

/** Token ranges [from, to) of each statement (split at `;` outside parentheses). */
function statements(tokens: Token[]): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let from = 0;
  tokens.forEach((t, i) => {
    if (t.text === '(' && t.kind === 'punct') depth++;
    else if (t.text === ')' && t.kind === 'punct') depth--;
    else if (t.text === ';' && t.kind === 'punct' && depth <= 0) {
      out.push([from, i]);
      from = i + 1;
    }
  });
  out.push([from, tokens.length]);
  return out;
}

/** Parenthesis depth before each token. */
function depths(tokens: Token[]): number[] {
  let d = 0;
  return tokens.map((t) => {
    const here = d;
    if (t.kind === 'punct' && t.text === '(') d++;
    else if (t.kind === 'punct' && t.text === ')') d--;
    return here;
  });
}

/** Next significant token index at or after i (before `to`), or -1. */
function nextSig(tokens: Token[], i: number, to = tokens.length): number {
  for (let j = i; j < to; j++) if (significant(tokens[j]!)) return j;
  return -1;
}

/** A name at token i: `[any text]`, a word or a "quoted" identifier; its text and the index after it. */
function nameAt(sql: string, tokens: Token[], i: number, to: number): { name: string; next: number } | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.kind === 'word') return { name: t.text, next: i + 1 };
  if (t.kind === 'qident') return { name: t.text.slice(1, -1).replace(/""/g, '"'), next: i + 1 };
  if (t.kind === 'punct' && t.text === '[') {
    for (let j = i + 1; j < to; j++) {
      if (tokens[j]!.kind === 'punct' && tokens[j]!.text === ']') {
        const name = sql.slice(tokens[i + 1]!.start, tokens[j]!.start).trim();
        return name ? { name, next: j + 1 } : undefined;
      }
    }
  }
  return undefined;
}

/** `schema.name` or `name`; the schema, when given, is checked by the caller. */
function qualifiedName(sql: string, tokens: Token[], i: number, to: number): { schema?: string; name: string; next: number } | undefined {
  const first = nameAt(sql, tokens, i, to);
  if (!first) return undefined;
  const dot = nextSig(tokens, first.next, to);
  if (dot >= 0 && tokens[dot]!.text === '.' && tokens[dot]!.kind === 'punct') {
    const second = nameAt(sql, tokens, nextSig(tokens, dot + 1, to), to);
    if (second) return { schema: first.name, name: second.name, next: second.next };
  }
  return { name: first.name, next: first.next };
}

/**
 * A view name as it goes into the engine: the user's spelling unquoted when it is a plain
 * identifier (so it folds to lower case, and the session reads the spelling back from the
 * statement for the views file), otherwise quoted in lower case (engine names are lower case).
 */
export function viewIdentifier(name: string, schema: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) {
    try {
      parseSync(`CREATE VIEW ${schema}.${name} AS SELECT 1`);
      return name;
    } catch {
      // a reserved word: quoted below
    }
  }
  return `"${name.toLowerCase().replace(/"/g, '""')}"`;
}

/** Rewrites a LOCAL VIEW statement; returns the view's name as written. */
function localView(sql: string, tokens: Token[], from: number, to: number, schema: string, edits: Edit[], taken: Set<number>): string | undefined {
  const s0 = nextSig(tokens, from, to);
  const s1 = s0 < 0 ? -1 : nextSig(tokens, s0 + 1, to);
  const s2 = s1 < 0 ? -1 : nextSig(tokens, s1 + 1, to);
  if (s2 < 0 || !isWord(tokens[s0], 'CREATE', 'ALTER', 'DROP') || !isWord(tokens[s1], 'LOCAL') || !isWord(tokens[s2], 'VIEW')) return;
  const verb = tokens[s0]!.text.toUpperCase();
  let k = nextSig(tokens, s2 + 1, to);
  let ifExists = false;
  if (verb === 'DROP' && isWord(tokens[k], 'IF') && isWord(tokens[nextSig(tokens, k + 1, to)], 'EXISTS')) {
    ifExists = true;
    k = nextSig(tokens, nextSig(tokens, k + 1, to) + 1, to);
  }
  const name = k < 0 ? undefined : qualifiedName(sql, tokens, k, to);
  if (!name) return;
  // a schema other than the user views schema is left to fail: local views live there only
  if (name.schema && name.schema.toLowerCase() !== schema && name.schema.toLowerCase() !== 'userviews') return;
  const target = `${schema}.${viewIdentifier(name.name, schema)}`;
  let end: number;
  let text: string;
  if (verb === 'DROP') {
    end = name.next;
    text = `DROP VIEW ${ifExists ? 'IF EXISTS ' : ''}${target}`;
  } else {
    const as = nextSig(tokens, name.next, to);
    if (!isWord(tokens[as], 'AS')) return;
    end = as + 1;
    text = `${verb === 'ALTER' ? 'CREATE OR REPLACE' : 'CREATE'} VIEW ${target} AS`;
  }
  for (let i = s0; i < end; i++) taken.add(i);
  edits.push({ start: tokens[s0]!.start, end: tokens[end - 1]!.start + tokens[end - 1]!.text.length, text });
  return name.name;
}

/**
 * `[name]` → `"name"`, except where `[` is PostgreSQL's own: a subscript (right after a name, a
 * closing bracket or parenthesis) or an ARRAY constructor.
 */
function brackets(tokens: Token[], edits: Edit[], taken: Set<number>): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (taken.has(i) || t.kind !== 'punct' || t.text !== '[') continue;
    const prev = tokens[i - 1];
    if (prev && (prev.kind === 'word' || prev.kind === 'qident' || prev.kind === 'number' || prev.text === ']' || prev.text === ')')) continue;
    let p = i - 1;
    while (p >= 0 && !significant(tokens[p]!)) p--;
    if (isWord(tokens[p], 'ARRAY')) continue;
    let j = i + 1;
    while (j < tokens.length && !(tokens[j]!.kind === 'punct' && ['[', ']', ';', '(', ')', ','].includes(tokens[j]!.text)) && tokens[j]!.kind !== 'string' && tokens[j]!.kind !== 'qident') j++;
    if (tokens[j]?.text !== ']' || j === i + 1) continue;
    const inner = tokens.slice(i + 1, j).map((x) => x.text).join('').trim();
    if (!/^[A-Za-z_\u0080-\uffff]/.test(inner)) continue;
    edits.push({ start: t.start, end: tokens[j]!.start + 1, text: `"${inner.toLowerCase()}"` });
    i = j;
  }
}

/** `SELECT [DISTINCT|ALL] TOP n`/`TOP (n)` → edits that drop it and add LIMIT n at the end of that SELECT; 'hint' when that would change its meaning. */
function top(tokens: Token[], depth: number[], i: number): Edit[] | 'hint' | undefined {
  let p = i - 1;
  while (p >= 0 && !significant(tokens[p]!)) p--;
  if (isWord(tokens[p], 'DISTINCT', 'ALL')) {
    p--;
    while (p >= 0 && !significant(tokens[p]!)) p--;
  }
  if (!isWord(tokens[p], 'SELECT')) return undefined;
  let n = nextSig(tokens, i + 1);
  let last = n;
  if (tokens[n]?.text === '(') {
    n = nextSig(tokens, n + 1);
    last = nextSig(tokens, n + 1);
    if (tokens[last]?.text !== ')') return 'hint';
  }
  if (tokens[n]?.kind !== 'number' || !/^\d+$/.test(tokens[n]!.text)) return 'hint';
  const after = nextSig(tokens, last + 1);
  if (isWord(tokens[after], 'PERCENT', 'WITH')) return 'hint';
  const d = depth[i]!;
  let stop = tokens.length;
  for (let j = last + 1; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (depth[j] !== d) continue;
    if ((t.kind === 'punct' && (t.text === ')' || t.text === ';'))) {
      stop = j;
      break;
    }
    if (isWord(t, 'UNION', 'INTERSECT', 'EXCEPT', 'LIMIT', 'OFFSET', 'FETCH')) return 'hint';
  }
  let at = stop;
  while (at > 0 && !significant(tokens[at - 1]!)) at--;
  const insertAt = at < tokens.length ? tokens[at]!.start : tokens[at - 1]!.start + tokens[at - 1]!.text.length;
  // TOP n and the space after it
  const removeTo = tokens[last + 1]?.kind === 'space' ? tokens[last + 1]!.start + tokens[last + 1]!.text.length : tokens[last]!.start + tokens[last]!.text.length;
  return [
    { start: tokens[i]!.start, end: removeTo, text: '' },
    { start: insertAt, end: insertAt, text: ` LIMIT ${tokens[n]!.text}` },
  ];
}

function apply(sql: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue; // overlapping: the first wins
    out += sql.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + sql.slice(pos);
}
