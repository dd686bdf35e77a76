import pg from 'pg';

/** One statement run through the gateway and against the reference database. */
export interface CorrectnessQuery {
  readonly sql: string;
  /** Bind parameters: the statement goes through the extended protocol (Parse/Bind/Execute). */
  readonly params?: readonly (string | null)[];
  /** A named prepared statement: parsed once per session, bound again on each later use of the name. */
  readonly prepared?: string;
  /** What the reference runs instead, when it differs: a pseudo column holds only its default there. */
  readonly reference?: string;
  /** The ORDER BY fully determines the row order: compare in order. */
  readonly ordered?: boolean;
  /**
   * The statement without its LIMIT: the LIMIT leaves open which rows come back, so the gateway
   * must return as many rows as the reference, each one a row of this statement.
   */
  readonly unlimited?: string;
  /** Run first in both sessions (CREATE VIEW ...); their results are not compared. */
  readonly setup?: readonly string[];
  /** Where the query came from, for the report. */
  readonly origin: string;
}

export interface QueryResult {
  readonly columns: string[];
  /** Every value in its PostgreSQL text form, NULL as null. */
  readonly rows: (string | null)[][];
}

export interface QueryError {
  readonly code: string;
  readonly message: string;
}

export type Outcome = QueryResult | QueryError;

export const isError = (o: Outcome): o is QueryError => 'code' in o;

/** Every value as the text PostgreSQL sent: nothing is parsed, so both sides compare the same way. */
export const TEXT_TYPES = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

export async function textClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, types: TEXT_TYPES });
  await c.connect();
  return c;
}

export async function run(client: pg.Client, sql: string, params?: readonly (string | null)[], prepared?: string): Promise<Outcome> {
  try {
    const r = await client.query<(string | null)[]>({ text: sql, rowMode: 'array', ...(params ? { values: [...params] } : {}), ...(prepared ? { name: prepared } : {}) });
    const last = Array.isArray(r) ? (r as pg.QueryResult[]).at(-1)! : r;
    return { columns: last.fields.map((f) => f.name), rows: last.rows as (string | null)[][] };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { code: e.code ?? 'client', message: e.message ?? String(err) };
  }
}

const key = (row: (string | null)[]) => JSON.stringify(row);

/** Rows of `a` not matched one for one by rows of `b`. */
function minus(a: (string | null)[][], b: (string | null)[][]): (string | null)[][] {
  const left = new Map<string, number>();
  for (const r of b) left.set(key(r), (left.get(key(r)) ?? 0) + 1);
  return a.filter((r) => {
    const n = left.get(key(r)) ?? 0;
    if (n === 0) return true;
    left.set(key(r), n - 1);
    return false;
  });
}

const SHOW = 5;
const fmt = (rows: (string | null)[][]) => rows.slice(0, SHOW).map((r) => `      ${key(r)}`).join('\n') + (rows.length > SHOW ? `\n      … ${rows.length - SHOW} more` : '');

/** undefined when both sides agree; otherwise a readable account of the difference. */
export function difference(q: CorrectnessQuery, gateway: Outcome, reference: Outcome): string | undefined {
  const head = `[${q.origin}] ${q.sql}${q.params ? `  -- params ${key(q.params as (string | null)[])}` : ''}${q.reference ? `\n    reference: ${q.reference}` : ''}`;
  if (isError(gateway) || isError(reference)) {
    if (isError(gateway) && isError(reference)) return `${head}\n    both failed: gateway ${gateway.code} ${gateway.message} | reference ${reference.code} ${reference.message}`;
    if (isError(gateway)) return `${head}\n    gateway failed: ${gateway.code} ${gateway.message}`;
    return `${head}\n    reference failed: ${(reference as QueryError).code} ${(reference as QueryError).message}`;
  }
  if (key(gateway.columns) !== key(reference.columns)) return `${head}\n    columns differ: gateway ${key(gateway.columns)} | reference ${key(reference.columns)}`;
  if (q.ordered) {
    const at = gateway.rows.findIndex((r, i) => key(r) !== key(reference.rows[i] ?? []));
    if (at === -1 && gateway.rows.length === reference.rows.length) return undefined;
    if (at !== -1 && gateway.rows.length === reference.rows.length && minus(gateway.rows, reference.rows).length === 0)
      return `${head}\n    same rows, different order from row ${at}:\n      gateway   ${key(gateway.rows[at]!)}\n      reference ${key(reference.rows[at]!)}`;
  }
  const extra = minus(gateway.rows, reference.rows);
  const missing = minus(reference.rows, gateway.rows);
  if (extra.length === 0 && missing.length === 0) return undefined;
  return [
    `${head}\n    gateway ${gateway.rows.length} rows, reference ${reference.rows.length} rows (columns ${key(gateway.columns)})`,
    missing.length ? `    missing from the gateway (${missing.length}):\n${fmt(missing)}` : '',
    extra.length ? `    only from the gateway (${extra.length}):\n${fmt(extra)}` : '',
  ].filter(Boolean).join('\n');
}

/** Runs one query on both sides (setup first) and returns the difference, if any. */
export async function compareQuery(gateway: pg.Client, reference: pg.Client, q: CorrectnessQuery): Promise<{ diff?: string; gateway: Outcome; reference: Outcome }> {
  for (const s of q.setup ?? []) {
    for (const [side, c] of [['gateway', gateway], ['reference', reference]] as const) {
      const r = await run(c, s);
      if (isError(r)) return { diff: `[${q.origin}] setup failed on the ${side}: ${s}\n    ${r.code} ${r.message}`, gateway: r, reference: r };
    }
  }
  const g = await run(gateway, q.sql, q.params, q.prepared);
  const r = await run(reference, q.reference ?? q.sql, q.params, q.prepared);
  if (!q.unlimited || isError(g) || isError(r)) return { diff: difference(q, g, r), gateway: g, reference: r };
  const all = await run(reference, q.unlimited, q.params);
  if (isError(all)) return { diff: difference(q, g, all), gateway: g, reference: all };
  const foreign = minus(g.rows, all.rows);
  const diff = g.rows.length !== r.rows.length || foreign.length
    ? `[${q.origin}] ${q.sql}\n    gateway ${g.rows.length} rows, reference ${r.rows.length}${foreign.length ? `; not rows of ${q.unlimited} (${foreign.length}):\n${fmt(foreign)}` : ''}`
    : undefined;
  return { diff, gateway: g, reference: r };
}
