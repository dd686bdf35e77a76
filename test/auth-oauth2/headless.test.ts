import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CLOUD_ID, type RunningSimulator } from '../../src/simulator/index.ts';
import { approve, CALLBACK, failure, oauthStack, startSim, type OAuthStack } from './stack.ts';

/**
 * InitiateOAuth=GETANDREFRESH with no stored token, completed through the headless procedures:
 * the gateway starts, a query says how to authorize (28000), GetOAuthAuthorizationURL gives the
 * URL (state + PKCE), the code comes back through GetOAuthAccessToken (WEB), and from then on the
 * sessions read Requests through the API gateway path of the site's cloudId, found by the gateway.
 */
let sim: RunningSimulator;
let stack: OAuthStack;

beforeAll(async () => {
  sim = await startSim();
  stack = await oauthStack(sim, 'InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://headless');
});
afterAll(async () => {
  await stack?.close();
  await sim?.close();
});

describe('GETANDREFRESH without a token: the headless flow', () => {
  it('a query before authorizing fails with 28000 saying how to authorize', async () => {
    const e = await failure(stack.query('SELECT RequestKey FROM Requests'));
    expect(e.code).toBe('28000');
    expect(e.message).toMatch(/no access token yet/);
    expect(e.hint).toMatch(/GetOAuthAuthorizationURL/);
  });

  it('GetOAuthAuthorizationURL, approve, GetOAuthAccessToken with the code, then Requests', async () => {
    const { rows: [auth] } = await stack.query<{ URL: string; AuthToken: string; AuthKey: string }>("CALL GetOAuthAuthorizationURL(State => 'my-state')");
    const url = new URL(auth!.URL);
    expect(url.origin + url.pathname).toBe(`${sim.url}/authorize`);
    expect(url.searchParams.get('state')).toBe('my-state');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('scope')).toContain('offline_access');
    expect(auth!.AuthToken).toBe('my-state');

    const back = await approve(auth!.URL);
    expect(back.searchParams.get('state')).toBe('my-state');
    const code = back.searchParams.get('code')!;
    const { rows: [tokens] } = await stack.query<Record<string, string | null>>(`CALL GetOAuthAccessToken(AuthMode => 'WEB', Verifier => '${code}')`);
    expect(tokens!.OAuthAccessToken).toMatch(/^at-/);
    expect(tokens!.OAuthRefreshToken).toMatch(/^rt-/);
    expect(tokens!.OAuthAccessTokenSecret).toBeNull();
    expect(tokens!.CloudId).toBe(SIM_CLOUD_ID);
    expect(Number(tokens!.ExpiresIn)).toBeGreaterThan(3500);

    const { rows } = await stack.query<{ requestkey: string }>('SELECT RequestKey FROM Requests');
    expect(rows.length).toBeGreaterThan(0);
    const gateway = sim.oauth.calls.filter((c) => c.kind === 'gateway');
    expect(gateway.length).toBeGreaterThan(0);
    expect(gateway.every((c) => c.path.startsWith(`/ex/jira/${SIM_CLOUD_ID}/rest/`))).toBe(true);
    expect(sim.oauth.calls.some((c) => c.kind === 'resources' && c.status === 200)).toBe(true);
    // the code is spent: a second exchange of it fails, naming the step
    const again = await failure(stack.query(`CALL GetOAuthAccessToken(AuthMode => 'WEB', Verifier => '${code}')`));
    expect(again.code).toBe('28000');
  });
});
