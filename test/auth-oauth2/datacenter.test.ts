import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_OAUTH_APP, type RunningSimulator } from '../../src/simulator/index.ts';
import { approve, failure, oauthStack, startSim, type OAuthStack } from './stack.ts';

/**
 * OAuth 2.0 on Jira Data Center (an incoming application link, Jira 8.22+): a URL that is not an
 * Atlassian Cloud host authorizes at {URL}/rest/oauth2/latest/authorize and …/token, with no
 * audience, no cloudId and no accessible-resources call, and the bearer token goes to the URL
 * itself. The token expires and is refreshed (rotating) at the Data Center token endpoint.
 */
let sim: RunningSimulator;
let s: OAuthStack;
let refresh: string;

beforeAll(async () => {
  sim = await startSim();
  s = await oauthStack(sim, 'InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://dc', { cloud: false });
});
afterAll(async () => {
  await s?.close();
  await sim?.close();
});

const siteCalls = () => sim.oauth.calls.filter((c) => c.kind === 'site');
const dcToken = (grant: string) => sim.oauth.calls.filter((c) => c.kind === 'token' && c.grant === grant && c.path === '/rest/oauth2/latest/token');

describe('OAuth 2.0 on Data Center', () => {
  it('authorizes at the site (WRITE scope by default, no audience), and calls the site with the bearer token', async () => {
    const { rows: [auth] } = await s.query<{ URL: string }>('CALL GetOAuthAuthorizationURL()');
    const url = new URL(auth!.URL);
    expect(url.origin + url.pathname).toBe(`${sim.url}/rest/oauth2/latest/authorize`);
    expect(url.searchParams.get('scope')).toBe('WRITE');
    expect(url.searchParams.has('audience')).toBe(false);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await approve(auth!.URL);
    const { rows: [t] } = await s.query<Record<string, string | null>>(`CALL GetOAuthAccessToken('WEB', '${back.searchParams.get('code')}')`);
    expect(t!.OAuthAccessToken).toMatch(/^at-/);
    expect(t!.CloudId).toBeNull();
    refresh = t!.OAuthRefreshToken!;
    expect(refresh).toMatch(/^rt-/);
    expect(dcToken('authorization_code').map((c) => c.status)).toEqual([200]);

    const { rows } = await s.query<{ requestkey: string }>('SELECT RequestKey FROM Requests');
    expect(rows.length).toBeGreaterThan(0);
    expect(siteCalls().length).toBeGreaterThan(0);
    expect(siteCalls().every((c) => c.status === 200 && c.path.startsWith('/rest/'))).toBe(true);
    expect(sim.oauth.calls.some((c) => c.kind === 'gateway' || c.kind === 'resources')).toBe(false);
  });

  it('an expired token is refreshed at the Data Center token endpoint; the old refresh token is then refused', async () => {
    sim.oauth.expireAccessTokens();
    const before = dcToken('refresh_token').length;
    const { rows } = await s.query<{ requestkey: string }>('SELECT RequestKey FROM Requests');
    expect(rows.length).toBeGreaterThan(0);
    expect(dcToken('refresh_token').slice(before).map((c) => c.status)).toEqual([200]);
    expect(siteCalls().some((c) => c.status === 401)).toBe(true);
    const res = await fetch(`${sim.url}/rest/oauth2/latest/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id: SIM_OAUTH_APP.clientId, client_secret: SIM_OAUTH_APP.clientSecret }),
    });
    expect(res.status).toBe(403);
  });

  it('a refresh that fails names the Data Center token endpoint (28000)', async () => {
    sim.oauth.revokeRefreshTokens();
    sim.oauth.expireAccessTokens();
    const e = await failure(s.query('SELECT RequestKey FROM Requests'));
    expect(e.code).toBe('28000');
    expect(e.message).toContain(`OAuth 2.0 refresh failed at ${sim.url}/rest/oauth2/latest/token: 403 invalid_grant`);
  });
});
