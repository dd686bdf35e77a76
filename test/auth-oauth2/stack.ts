/**
 * The gateway connected to the simulator with AuthScheme=OAuth (3LO), logging at trace into memory
 * so tests can check that no secret reaches the log; and a "browser" that approves an authorization
 * URL at the simulator's /authorize and brings back the callback address.
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { UserStore } from '../../src/auth/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startGateway, type RunningGateway } from '../../src/server/gateway.ts';
import { ATLASSIAN_ORIGIN_ENV } from '../../src/server/oauth2-from-config.ts';
import { SIM_OAUTH_APP, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';

export const CALLBACK = 'http://127.0.0.1:9/oauth/callback';
/** The operator's key for encrypted settings files (the gateway reads JSM_PG_OAUTH_KEY). */
export const KEY = 'test-key-0123456789-abcdef';

export interface OAuthStack {
  gateway: RunningGateway;
  logs: string[];
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string): Promise<pg.QueryResult<T>>;
  close(): Promise<void>;
}

export const startSim = (): Promise<RunningSimulator> => startSimulator({ port: 0, scale: 'small', seed: 1 });

/**
 * `connection` is added after the app's properties (so it can override them); no cache, so every query calls JSM.
 * `cloud` (the default): the simulator stands in for auth.atlassian.com and api.atlassian.com
 * (JSM_PG_ATLASSIAN_ORIGIN); otherwise its URL is a Data Center site with its own OAuth 2.0 provider.
 */
export async function oauthStack(sim: RunningSimulator, connection: string, opts: { cloud?: boolean; callback?: string } = {}): Promise<OAuthStack> {
  if (opts.cloud ?? true) process.env[ATLASSIAN_ORIGIN_ENV] = sim.url;
  else delete process.env[ATLASSIAN_ORIGIN_ENV];
  const props = `AuthScheme=OAuth;URL=${sim.url};OAuthClientId=${SIM_OAUTH_APP.clientId};OAuthClientSecret=${SIM_OAUTH_APP.clientSecret};CallbackURL=${opts.callback ?? CALLBACK};CacheTTL=0;${connection}`;
  const config = loadConfig({ argv: ['--port', '0', '--pool-size', '1', '--connection', props], env: {} });
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const gateway = await startGateway({ config, users: await UserStore.inMemory({ demo: 'demo' }), logger: pino({ level: 'trace' }, sink) });
  const url = `postgresql://demo:demo@127.0.0.1:${gateway.port}/jsm`;
  return {
    gateway,
    logs,
    async query(sql) {
      const c = new pg.Client(url);
      await c.connect();
      try {
        return await c.query(sql);
      } finally {
        await c.end();
      }
    },
    close: () => gateway.close(),
  };
}

/** What a person does with the URL: opens it, approves, and lands on the callback address. */
export async function approve(authorizationUrl: string): Promise<URL> {
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  return new URL(location);
}

/** The error a statement fails with (SQLSTATE and texts). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string; detail?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: string; message: string; hint?: string; detail?: string };
    return { code: e.code, message: e.message, hint: e.hint, detail: e.detail };
  }
  throw new Error('the statement succeeded');
}
