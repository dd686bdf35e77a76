/**
 * Walks SQL text outside quoted literals and identifiers, reporting each character with the
 * parenthesis depth before it. Stops early when `visit` returns true; returns that index or -1.
 */
export function scanSql(s: string, from: number, visit: (ch: string, i: number, depth: number) => boolean | void): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      continue;
    }
    if (visit(ch, i, depth)) return i;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  return -1;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
export function closingParen(s: string, open: number): number {
  return scanSql(s, open, (ch, _i, depth) => ch === ')' && depth === 1);
}
