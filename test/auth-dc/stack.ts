/**
 * The real gateway in front of the real simulator, configured with a whole connection string (no
 * default credentials), its log captured as JSON lines at trace level through the gateway's own
 * logger (with its redaction), so tests can search it for secrets.
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import { UserStore } from '../../src/auth/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { PgError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startGateway, type RunningGateway } from '../../src/server/gateway.ts';

export interface DcGateway {
  gateway: RunningGateway;
  url: string;
  log: string[];
  close(): Promise<void>;
}

export async function startDcGateway(connection: string, log: string[] = [], argv: string[] = []): Promise<DcGateway> {
  // CacheTTL=0: the scan cache is per identity and process-wide, and a test must see each call reach JSM
  const config = loadConfig({ argv: ['--port', '0', '--pool-size', '1', '--connection', `${connection};CacheTTL=0`, ...argv], env: {} });
  const sink = new Writable({
    write(chunk, _enc, done) {
      log.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', format: 'json', destination: sink });
  const gateway = await startGateway({ config, users: await UserStore.inMemory({ demo: 'demo' }), logger });
  return { gateway, url: `postgresql://demo:demo@127.0.0.1:${gateway.port}/jsm`, log, close: () => gateway.close() };
}

/** Request keys the connection's identity can see, in order. */
export async function requestKeys(url: string): Promise<string[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    const r = await c.query('SELECT RequestKey FROM Requests ORDER BY RequestKey');
    return r.rows.map((row: { requestkey: string }) => row.requestkey);
  } finally {
    await c.end();
  }
}

/** What `who` sees with Basic: the reference the other schemes' reads are compared with. */
export async function basicKeys(simUrl: string, who: { username: string; password: string }): Promise<string[]> {
  const basic = await startDcGateway(`AuthScheme=Basic;URL=${simUrl};User=${who.username};Password=${who.password}`);
  try {
    return await requestKeys(basic.url);
  } finally {
    await basic.close();
  }
}

/** The error a query or a start gives: code and message (and hint/detail, to check for secrets). */
export interface Failure {
  code: string;
  message: string;
  text: string;
}

export async function failureOf(run: () => Promise<unknown>): Promise<Failure> {
  try {
    await run();
  } catch (err) {
    const e = err as { code?: string; message?: string; hint?: string; detail?: string; fields?: { hint?: string; detail?: string } };
    const hint = e.hint ?? (err instanceof PgError ? e.fields?.hint : undefined) ?? '';
    const detail = e.detail ?? (err instanceof PgError ? e.fields?.detail : undefined) ?? '';
    return { code: String(e.code), message: String(e.message), text: `${e.message}\n${hint}\n${detail}` };
  }
  throw new Error('expected a failure');
}

/** Starts a gateway (if it starts) and reads Requests: the failure of whichever step fails. */
export async function connectFailure(connection: string, log: string[] = []): Promise<Failure> {
  let dc: DcGateway | undefined;
  try {
    return await failureOf(async () => {
      dc = await startDcGateway(connection, log);
      await requestKeys(dc.url);
    });
  } finally {
    await dc?.close();
  }
}
