import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unseal } from '../../src/jsm/auth/oauth2/sealed-file.ts';
import { SIM_CLOUD_ID, SIM_OAUTH_APP, type RunningSimulator } from '../../src/simulator/index.ts';
import { approve, failure, KEY, oauthStack, startSim, type OAuthStack } from './stack.ts';

/**
 * The token's life through the real gateway and the simulator's authorization server: kept in an
 * encrypted file across a restart, refreshed when it expires (before a request, and after a 401),
 * rotated (the old refresh token is refused), a failed refresh as 28000 naming the step, REFRESH
 * from given tokens, OFF with a given token, RefreshOAuthAccessToken; and no secret in the log,
 * sys_connection_props or error texts.
 */
let sim: RunningSimulator;
let dir: string;
const seen = new Set<string>([SIM_OAUTH_APP.clientSecret, KEY]);
const stacks: OAuthStack[] = [];

async function stack(connection: string): Promise<OAuthStack> {
  const s = await oauthStack(sim, connection);
  stacks.push(s);
  return s;
}

/** The headless flow on `s`: the tokens GetOAuthAccessToken answered (noted as secrets for the canary check). */
async function authorize(s: OAuthStack, asUrl = false): Promise<{ access: string; refresh: string }> {
  const { rows: [auth] } = await s.query<{ URL: string }>('CALL GetOAuthAuthorizationURL()');
  const back = await approve(auth!.URL);
  const verifier = asUrl ? back.href : back.searchParams.get('code')!;
  const { rows: [t] } = await s.query<{ OAuthAccessToken: string; OAuthRefreshToken: string }>(`CALL GetOAuthAccessToken('WEB', '${verifier}')`);
  seen.add(t!.OAuthAccessToken).add(t!.OAuthRefreshToken);
  return { access: t!.OAuthAccessToken, refresh: t!.OAuthRefreshToken };
}

const requests = async (s: OAuthStack) => (await s.query<{ requestkey: string }>('SELECT RequestKey FROM Requests')).rows.length;
const grants = (grant: string) => sim.oauth.calls.filter((c) => c.kind === 'token' && c.grant === grant);
/** The simulator's token endpoint asked directly: a spent refresh token is refused there. */
async function refreshDirectly(refreshToken: string): Promise<number> {
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: SIM_OAUTH_APP.clientId, client_secret: SIM_OAUTH_APP.clientSecret }),
  });
  return res.status;
}

beforeAll(async () => {
  sim = await startSim();
  dir = await mkdtemp(join(tmpdir(), 'jsm-pg-oauth2-'));
  process.env.JSM_PG_OAUTH_KEY = KEY;
});
afterAll(async () => {
  for (const s of stacks) await s.close().catch(() => undefined);
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('OAuthSettingsLocation as an encrypted file', () => {
  it('tokens survive a restart; the file is 0600, holds no token in clear and opens only with the key', async () => {
    const file = join(dir, 'settings', 'OAuthSettings.txt');
    const first = await stack(`InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=${file}`);
    // the whole callback address pasted as the Verifier works as well as the bare code
    const tokens = await authorize(first, true);
    expect(await requests(first)).toBeGreaterThan(0);
    await first.close();

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(file, 'utf8');
    for (const secret of [tokens.access, tokens.refresh, SIM_OAUTH_APP.clientSecret, KEY]) expect(bytes).not.toContain(secret);
    expect(() => unseal(bytes, 'another-key-of-enough-length', file)).toThrow(/cannot be read/);
    expect(JSON.parse(unseal(bytes, KEY, file))).toMatchObject({ accessToken: tokens.access, refreshToken: tokens.refresh, cloudId: SIM_CLOUD_ID });

    const exchanges = grants('authorization_code').length;
    const second = await stack(`InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=${file}`);
    expect(await requests(second)).toBeGreaterThan(0);
    expect(grants('authorization_code').length).toBe(exchanges);
    expect(sim.oauth.calls.filter((c) => c.kind === 'authorize').length).toBe(1);
  }, 180_000); // two gateway starts (the first may build the engine snapshot)

  it('a file location without JSM_PG_OAUTH_KEY refuses to start (28000), tokens are never written in clear', async () => {
    delete process.env.JSM_PG_OAUTH_KEY;
    try {
      const e = await failure(stack(`InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=${join(dir, 'nokey.txt')}`));
      expect(e.code).toBe('28000');
      expect(e.message).toMatch(/key that encrypts it/);
    } finally {
      process.env.JSM_PG_OAUTH_KEY = KEY;
    }
  });
});

describe('expiry, refresh and rotation', () => {
  let s: OAuthStack;
  let tokens: { access: string; refresh: string };

  beforeAll(async () => {
    s = await stack('InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://rotation');
    sim.oauth.setAccessTokenLifetime(2);
    tokens = await authorize(s);
    sim.oauth.setAccessTokenLifetime(3600);
  });

  it('an expired token is refreshed before the request; the old refresh token is then refused', async () => {
    await new Promise((r) => setTimeout(r, 2100));
    const before = grants('refresh_token').length;
    expect(await requests(s)).toBeGreaterThan(0);
    expect(grants('refresh_token').filter((c) => c.status === 200).length).toBe(before + 1);
    expect(await refreshDirectly(tokens.refresh)).toBe(403);
  });

  it('a 401 during a statement refreshes once and the request is sent again', async () => {
    sim.oauth.expireAccessTokens();
    const before = grants('refresh_token').length;
    const gatewayCalls = sim.oauth.calls.length;
    expect(await requests(s)).toBeGreaterThan(0);
    expect(grants('refresh_token').length).toBe(before + 1);
    const after = sim.oauth.calls.slice(gatewayCalls).filter((c) => c.kind === 'gateway');
    expect(after.some((c) => c.status === 401)).toBe(true);
    expect(after.at(-1)!.status).toBe(200);
  });

  it('sessions at once share one refresh', async () => {
    sim.oauth.expireAccessTokens();
    const before = grants('refresh_token').length;
    // three different reads (identical ones would be coalesced into one call anyway)
    await Promise.all(['Requests', 'ServiceDesks', 'Organizations'].map((t) => s.query(`SELECT * FROM ${t}`)));
    expect(grants('refresh_token').length).toBe(before + 1);
  });

  it('RefreshOAuthAccessToken refreshes the identity\'s token and answers the new pair', async () => {
    const { rows: [t0] } = await s.query<Record<string, string>>("CALL GetOAuthAccessToken()");
    const { rows: [t] } = await s.query<Record<string, string>>(`CALL RefreshOAuthAccessToken('${t0!.OAuthRefreshToken}')`);
    seen.add(t0!.OAuthAccessToken).add(t0!.OAuthRefreshToken).add(t!.OAuthAccessToken).add(t!.OAuthRefreshToken);
    expect(t!.OAuthAccessToken).not.toBe(t0!.OAuthAccessToken);
    expect(t!.OAuthRefreshToken).not.toBe(t0!.OAuthRefreshToken);
    expect(Number(t!.ExpiresIn)).toBeGreaterThan(3500);
    expect(await refreshDirectly(t0!.OAuthRefreshToken)).toBe(403);
    // the gateway goes on with the new pair
    expect(await requests(s)).toBeGreaterThan(0);
    const { rows: [t2] } = await s.query<Record<string, string>>("CALL GetOAuthAccessToken()");
    expect(t2!.OAuthRefreshToken).toBe(t!.OAuthRefreshToken);
  });

  it('a refresh that fails is a 28000 naming the step and the endpoint', async () => {
    sim.oauth.revokeRefreshTokens();
    sim.oauth.expireAccessTokens();
    const e = await failure(s.query('SELECT RequestKey FROM Requests'));
    expect(e.code).toBe('28000');
    expect(e.message).toContain(`OAuth 2.0 refresh failed at ${sim.url}/oauth/token: 403 invalid_grant`);
    expect(e.hint).toMatch(/authorize again/);
    for (const secret of seen) expect(JSON.stringify(e)).not.toContain(secret);
  });
});

describe('InitiateOAuth REFRESH and OFF', () => {
  it('REFRESH starts from the given tokens, refreshes the expired one and keeps the rotated pair', async () => {
    const donor = await stack('InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://donor');
    const t = await authorize(donor);
    // counted before the start: the gateway reads the site's queues while starting, which refreshes already
    const before = grants('refresh_token').length;
    const s = await stack(`InitiateOAuth=REFRESH;OAuthSettingsLocation=memory://refresh-only;OAuthAccessToken=${t.access};OAuthRefreshToken=${t.refresh};OAuthExpiresIn=3600;OAuthTokenTimestamp=${Date.now() - 7_200_000}`);
    expect(await requests(s)).toBeGreaterThan(0);
    expect(grants('refresh_token').length).toBe(before + 1);
    expect(await refreshDirectly(t.refresh)).toBe(403);
    const { rows: [now] } = await s.query<Record<string, string>>('CALL GetOAuthAccessToken()');
    seen.add(now!.OAuthAccessToken).add(now!.OAuthRefreshToken);
    expect(now!.OAuthRefreshToken).not.toBe(t.refresh);
    expect(now!.CloudId).toBe(SIM_CLOUD_ID);
  });

  it('REFRESH without any token says what to give (28000)', async () => {
    const s = await stack('InitiateOAuth=REFRESH;OAuthSettingsLocation=memory://empty');
    const e = await failure(s.query('SELECT RequestKey FROM Requests'));
    expect(e.code).toBe('28000');
    expect(e.message).toMatch(/REFRESH only refreshes/);
  });

  it('OFF uses the access token as given, at the URL itself', async () => {
    const s = await stack('InitiateOAuth=OFF;OAuthAccessToken=agent-oauth-token');
    const gatewayCalls = sim.oauth.calls.filter((c) => c.kind === 'gateway').length;
    expect(await requests(s)).toBeGreaterThan(0);
    expect(sim.oauth.calls.filter((c) => c.kind === 'gateway').length).toBe(gatewayCalls);
  });

  it('OFF with a 3LO token and CloudId goes through the API gateway; an expired one is not refreshed (28000 from JSM)', async () => {
    const donor = await stack('InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://donor2');
    const t = await authorize(donor);
    const s = await stack(`InitiateOAuth=OFF;OAuthAccessToken=${t.access};CloudId=${SIM_CLOUD_ID}`);
    const gatewayCalls = sim.oauth.calls.filter((c) => c.kind === 'gateway').length;
    expect(await requests(s)).toBeGreaterThan(0);
    expect(sim.oauth.calls.filter((c) => c.kind === 'gateway').length).toBeGreaterThan(gatewayCalls);
    const refreshes = grants('refresh_token').length;
    sim.oauth.expireAccessTokens();
    const e = await failure(s.query('SELECT RequestKey FROM Requests'));
    expect(e.code).toBe('28000');
    expect(grants('refresh_token').length).toBe(refreshes);
  });
});

describe('secrets', () => {
  it('no token, client secret or key in the log at trace level, in sys_connection_props or in error texts', async () => {
    const s = stacks.at(-1)!;
    const { rows } = await s.query('SELECT * FROM sys_connection_props');
    const texts = [JSON.stringify(rows), ...stacks.flatMap((x) => x.logs)].join('\n');
    expect(seen.size).toBeGreaterThan(6);
    for (const secret of seen) expect(texts).not.toContain(secret);
  });
});
