import { parseSync } from 'libpg-query';
import { scanSql } from '../planner/sql-text.ts';

type Node = Record<string, any>;

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * `COPY rel [(cols)] TO …` as `COPY (SELECT cols FROM rel) TO …`. COPY of a table reads only that
 * table's own rows, never its inheritance children, and a session's JSM rows live in a child table
 * of the JSM relation: without this, psql's `\copy requests to file` writes nothing.
 * Returns undefined for anything else (COPY FROM, COPY (query), text that does not parse).
 */
export function copyRelationAsQuery(sql: string): string | undefined {
  let stmt: Node | undefined;
  try {
    stmt = parseSync(sql).stmts?.[0]?.stmt;
  } catch {
    return undefined;
  }
  const copy = stmt?.CopyStmt as Node | undefined;
  const rel = copy?.relation as Node | undefined;
  if (!copy || copy.is_from || copy.query || !rel?.relname || typeof rel.location !== 'number') return undefined;
  const start = Buffer.from(sql, 'utf8').subarray(0, rel.location).toString('utf8').length; // location is in bytes
  const to = keywordAfter(sql, start, 'to');
  // the old `COPY BINARY rel` spelling has no query form: leave it as it is
  if (to < 0 || !/^\s*copy\s+$/i.test(sql.slice(0, start))) return undefined;
  const cols = (copy.attlist ?? []).map((a: Node) => quoteIdent(String(a.String?.sval ?? ''))).join(', ') || '*';
  const name = rel.schemaname ? `${quoteIdent(rel.schemaname)}.${quoteIdent(rel.relname)}` : quoteIdent(rel.relname);
  return `${sql.slice(0, start)}(SELECT ${cols} FROM ${name}) ${sql.slice(to)}`;
}

/** Index of a bare keyword at or after `from`, outside quoted identifiers, strings and parentheses; -1 if none. */
function keywordAfter(sql: string, from: number, keyword: string): number {
  const re = new RegExp(`^${keyword}\\b`, 'i');
  return scanSql(sql, from, (_ch, i, depth) => depth === 0 && /\s/.test(sql[i - 1] ?? ' ') && re.test(sql.slice(i)));
}

/**
 * psql 15 and 16 (Debian 12 ships 15) read catalog columns that PostgreSQL 17 renamed, so `\l`
 * and `\dO` fail against the engine (PostgreSQL 18) with "column d.daticulocale does not exist".
 * The renamed columns hold the same values; the old names are mapped onto them in catalog queries.
 */
const RENAMED: readonly [RegExp, string, RegExp][] = [
  [/\b(\w+\.)?daticulocale\b/g, '$1datlocale', /\bpg_database\b/i],
  [/\b(\w+\.)?colliculocale\b/g, '$1colllocale', /\bpg_collation\b/i],
];

export function legacyCatalogNames(sql: string): string {
  let out = sql;
  for (const [old, now, catalog] of RENAMED) if (catalog.test(out)) out = out.replace(old, now);
  return out;
}
