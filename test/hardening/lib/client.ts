/**
 * Statements sent with a bounded wait over a real `pg` client, each outcome classified: rows, an
 * error with its SQLSTATE, an error without one (the connection broke), or no answer in time.
 */
import pg from 'pg';

export type Outcome =
  | { kind: 'rows'; rows: unknown[][]; rowCount: number; ms: number }
  | { kind: 'error'; code: string; message: string; ms: number }
  /** An error that carries no SQLSTATE: the socket closed, the protocol broke. */
  | { kind: 'broken'; message: string; ms: number }
  | { kind: 'timeout'; ms: number };

export interface Session {
  client: pg.Client;
  /** Errors the client emitted outside a query (an idle connection dropped). */
  idleErrors: string[];
  /** Set once the connection ended or an answer did not come in time: the session cannot be trusted. */
  dead: boolean;
}

/** A SQLSTATE is five characters of digits and upper-case letters. */
export const SQLSTATE = /^[0-9A-Z]{5}$/;

export type ConnectOutcome = { ok: true; session: Session; ms: number } | { ok: false; ms: number; timeout: boolean; code?: string; message: string };

export async function connect(url: string, timeoutMs: number, extra: Partial<pg.ClientConfig> = {}): Promise<ConnectOutcome> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, ...extra });
  const session: Session = { client, idleErrors: [], dead: false };
  client.on('error', (err) => {
    session.idleErrors.push(err.message);
    session.dead = true;
  });
  client.on('end', () => {
    session.dead = true;
  });
  const t0 = performance.now();
  try {
    await client.connect();
    return { ok: true, session, ms: performance.now() - t0 };
  } catch (err) {
    const e = err as pg.DatabaseError;
    const ms = performance.now() - t0;
    client.end().catch(() => {});
    return { ok: false, ms, timeout: /timeout/i.test(e.message ?? ''), code: typeof e.code === 'string' && SQLSTATE.test(e.code) ? e.code : undefined, message: e.message ?? String(err) };
  }
}

/**
 * Runs one statement and waits at most `timeoutMs`. After a timeout the session is marked dead and
 * its socket destroyed: a late answer would otherwise be read as the next statement's.
 */
export async function run(session: Session, sql: string, opts: { timeoutMs: number; values?: unknown[]; extended?: boolean }): Promise<Outcome> {
  const t0 = performance.now();
  if (session.dead) return { kind: 'broken', message: 'session already closed', ms: 0 };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  const config: pg.QueryConfig = { text: sql, values: opts.values, rowMode: 'array' } as pg.QueryConfig;
  if (opts.extended) (config as { queryMode?: string }).queryMode = 'extended';
  const answer = session.client.query(config).then(
    (res: pg.QueryResult | pg.QueryResult[]) => ({ res }),
    (err: unknown) => ({ err }),
  );
  const first = await Promise.race([answer, timedOut]);
  clearTimeout(timer);
  const ms = performance.now() - t0;
  if (first === 'timeout') {
    session.dead = true;
    destroy(session);
    return { kind: 'timeout', ms };
  }
  if ('err' in first) {
    const e = first.err as pg.DatabaseError;
    if (typeof e?.code === 'string' && SQLSTATE.test(e.code) && !session.dead) return { kind: 'error', code: e.code, message: e.message, ms };
    session.dead = true;
    return { kind: 'broken', message: e?.message ?? String(first.err), ms };
  }
  // A multi-statement string gives one result per statement; the last one is what a client shows.
  const results = Array.isArray(first.res) ? first.res : [first.res];
  const last = results[results.length - 1]!;
  return { kind: 'rows', rows: (last.rows ?? []) as unknown[][], rowCount: last.rowCount ?? last.rows?.length ?? 0, ms };
}

/** `SELECT 1` answered with 1 in time: the session is alive. */
export async function alive(session: Session, timeoutMs: number): Promise<boolean> {
  const out = await run(session, 'SELECT 1', { timeoutMs });
  return out.kind === 'rows' && out.rows.length === 1 && String(out.rows[0]![0]) === '1';
}

export function destroy(session: Session): void {
  session.dead = true;
  // pg has no public abort; destroying the stream ends the connection without waiting for the server.
  const stream = (session.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  stream?.destroy();
  session.client.end().catch(() => {});
}

export async function close(session: Session, timeoutMs = 5000): Promise<void> {
  if (session.dead) return destroy(session);
  const ended = session.client.end().then(() => true, () => true);
  const t = new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref());
  if (!(await Promise.race([ended, t]))) destroy(session);
  session.dead = true;
}

/** A key for counting errors: the SQLSTATE, or what the client saw instead. */
export function outcomeKey(o: Outcome): string {
  if (o.kind === 'error') return o.code;
  if (o.kind === 'broken') return `no SQLSTATE (${o.message.slice(0, 60)})`;
  if (o.kind === 'timeout') return 'no answer in time';
  return 'ok';
}
