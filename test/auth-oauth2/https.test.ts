import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CLOUD_ID, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { makeDcPki, type DcPki } from '../auth-dc/pki.ts';
import { startConnectProxy } from '../helpers/connect-proxy.ts';
import { failure, oauthStack, type OAuthStack } from './stack.ts';

/**
 * The OAuth calls (code exchange, refresh, accessible-resources) go through the site's own undici
 * dispatcher, so SSLServerCert applies to them as to the JSM calls: the simulator over HTTPS with a
 * certificate from a test CA the machine does not trust is reached with the CA pinned (the global
 * fetch could not), and refused with a stranger's certificate pinned.
 */
let pki: DcPki;
let sim: RunningSimulator;
let browser: Agent;
const stacks: OAuthStack[] = [];

/** The browser trusts the test CA (the person's machine would have it installed). */
async function approve(url: string): Promise<URL> {
  const res = await request(url, { dispatcher: browser });
  await res.body.dump();
  const location = res.headers.location;
  if (res.statusCode !== 302 || typeof location !== 'string') throw new Error(`authorize answered ${res.statusCode}`);
  return new URL(location);
}

async function stack(connection: string): Promise<OAuthStack> {
  const s = await oauthStack(sim, connection);
  stacks.push(s);
  return s;
}

beforeAll(async () => {
  pki = makeDcPki();
  sim = await startSimulator({ port: 0, scale: 'small', seed: 1, tls: { key: pki.serverKey, cert: pki.serverCert } });
  browser = new Agent({ connect: { ca: pki.caCert } });
}, 60_000);
afterAll(async () => {
  for (const s of stacks) await s.close().catch(() => undefined);
  await browser?.close();
  await sim?.close();
  pki?.cleanup();
});

describe('OAuth 2.0 over HTTPS with a pinned SSLServerCert', () => {
  it('exchanges the code, finds the cloudId, refreshes and reads Requests through the pinned connection', async () => {
    expect(sim.url).toMatch(/^https:/);
    const s = await stack(`InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://https;SSLServerCert=${pki.path('ca.crt')}`);
    const { rows: [auth] } = await s.query<{ URL: string }>('CALL GetOAuthAuthorizationURL()');
    const back = await approve(auth!.URL);
    const { rows: [t] } = await s.query<Record<string, string>>(`CALL GetOAuthAccessToken('WEB', '${back.searchParams.get('code')}')`);
    expect(t!.CloudId).toBe(SIM_CLOUD_ID);
    expect((await s.query('SELECT RequestKey FROM Requests')).rows.length).toBeGreaterThan(0);
    sim.oauth.expireAccessTokens();
    expect((await s.query('SELECT RequestKey FROM Requests')).rows.length).toBeGreaterThan(0);
    const tokenCalls = sim.oauth.calls.filter((c) => c.kind === 'token');
    expect(tokenCalls.map((c) => `${c.grant}:${c.status}`)).toEqual(['authorization_code:200', 'refresh_token:200']);
    expect(sim.oauth.calls.some((c) => c.kind === 'resources' && c.status === 200)).toBe(true);
  }, 60_000);

  it("a stranger's certificate pinned: the code exchange is refused (28000 naming the step), nothing reaches the token endpoint", async () => {
    const s = await stack(`InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://https-stranger;SSLServerCert=${pki.path('stranger.crt')}`);
    const { rows: [auth] } = await s.query<{ URL: string }>('CALL GetOAuthAuthorizationURL()');
    const back = await approve(auth!.URL);
    const before = sim.oauth.calls.filter((c) => c.kind === 'token').length;
    const e = await failure(s.query(`CALL GetOAuthAccessToken('WEB', '${back.searchParams.get('code')}')`));
    expect(e.code).toBe('28000');
    expect(e.message).toMatch(/authorization code exchange failed at https:\/\/127\.0\.0\.1:\d+\/oauth\/token: .*not trusted/);
    expect(sim.oauth.calls.filter((c) => c.kind === 'token').length).toBe(before);
  }, 60_000);

  it('ProxyServer/ProxyPort carry the OAuth calls too (the token endpoint is reached through the tunnel)', async () => {
    const proxy = await startConnectProxy();
    try {
      const s = await stack(`InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://https-proxy;SSLServerCert=${pki.path('ca.crt')};ProxyServer=127.0.0.1;ProxyPort=${proxy.port}`);
      const { rows: [auth] } = await s.query<{ URL: string }>('CALL GetOAuthAuthorizationURL()');
      const back = await approve(auth!.URL);
      const tunnelsBefore = proxy.tunnels.length;
      const { rows: [t] } = await s.query<Record<string, string>>(`CALL GetOAuthAccessToken('WEB', '${back.searchParams.get('code')}')`);
      expect(t!.CloudId).toBe(SIM_CLOUD_ID);
      expect(proxy.tunnels.length).toBeGreaterThan(tunnelsBefore);
      expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(sim.url).host]));
      expect((await s.query('SELECT RequestKey FROM Requests')).rows.length).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
