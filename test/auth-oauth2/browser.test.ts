import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CLOUD_ID, type RunningSimulator } from '../../src/simulator/index.ts';
import { approve, failure, oauthStack, startSim, type OAuthStack } from './stack.ts';
import { freePort } from '../helpers/free-port.ts';

/**
 * InitiateOAuth=GETANDREFRESH with no stored token, completed in a browser: at start the gateway
 * logs the authorization URL (WARN, one line) and listens on CallbackURL (a loopback http URL);
 * queries fail with 28000 giving the URL; a redirect with a forged or missing state is refused
 * (400) and logged; the real redirect is exchanged (state and PKCE checked), the tokens stored, the
 * browser told it may close the window, and the gateway stops listening; then queries work.
 */
let sim: RunningSimulator;
const stacks: OAuthStack[] = [];


interface LogLine { level: number; msg: string }
const lines = (s: OAuthStack): LogLine[] => s.logs.flatMap((l) => l.split('\n').filter(Boolean).map((x) => JSON.parse(x) as LogLine));

async function loggedUrl(s: OAuthStack): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = lines(s).find((l) => l.level === 40 && /open \S+ in a browser/.test(l.msg));
    if (line) return /open (\S+) in a browser/.exec(line.msg)![1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no authorization URL was logged');
}

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  for (const s of stacks) await s.close().catch(() => undefined);
  await sim?.close();
});

describe('GETANDREFRESH without a token: the browser flow', () => {
  let s: OAuthStack;
  let callback: string;
  let url: string;

  beforeAll(async () => {
    callback = `http://127.0.0.1:${await freePort()}/oauth/callback`;
    s = await oauthStack(sim, 'InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://browser', { callback });
    stacks.push(s);
    url = await loggedUrl(s);
  });

  it('logs the authorization URL at start (state, PKCE S256, the callback) on one line', () => {
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe(`${sim.url}/authorize`);
    expect(u.searchParams.get('redirect_uri')).toBe(callback);
    expect(u.searchParams.get('state')).toBeTruthy();
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    const line = lines(s).find((l) => l.msg.includes(url))!;
    expect(line.level).toBe(40);
    expect(line.msg).not.toContain('\n');
  });

  it('a query before the browser comes back fails with 28000 giving the URL', async () => {
    const e = await failure(s.query('SELECT RequestKey FROM Requests'));
    expect(e.code).toBe('28000');
    expect(e.message).toMatch(/waiting for the authorization in a browser/);
    expect(e.hint).toContain(url);
  });

  it('a forged or missing state is refused with a 400 page and logged; nothing is exchanged', async () => {
    const exchanges = sim.oauth.calls.filter((c) => c.kind === 'token').length;
    const forged = await fetch(`${callback}?code=code-forged&state=forged-state`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/not started by this gateway/);
    const missing = await fetch(`${callback}?code=code-forged`);
    expect(missing.status).toBe(400);
    expect(sim.oauth.calls.filter((c) => c.kind === 'token').length).toBe(exchanges);
    expect(lines(s).filter((l) => l.level === 40 && /callback refused/.test(l.msg)).length).toBe(2);
    // the real state at another path of the port is not the callback either
    const state = new URL(url).searchParams.get('state')!;
    expect((await fetch(`${new URL(callback).origin}/elsewhere?code=x&state=${state}`)).status).toBe(400);
  });

  it('the browser approves, the redirect is exchanged and stored, the page says to close it, and the gateway stops listening', async () => {
    const back = await approve(url);
    expect(back.origin + back.pathname).toBe(callback);
    const page = await fetch(back);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/close this window/);
    const exchange = sim.oauth.calls.filter((c) => c.kind === 'token' && c.grant === 'authorization_code');
    expect(exchange.map((c) => c.status)).toEqual([200]); // PKCE checked by the simulator

    const { rows } = await s.query<{ requestkey: string }>('SELECT RequestKey FROM Requests');
    expect(rows.length).toBeGreaterThan(0);
    const { rows: [t] } = await s.query<Record<string, string>>('CALL GetOAuthAccessToken()');
    expect(t!.CloudId).toBe(SIM_CLOUD_ID);
    await expect(fetch(back)).rejects.toThrow();
    // no token, and not the code, in the log
    const log = s.logs.join('');
    for (const secret of [t!.OAuthAccessToken!, t!.OAuthRefreshToken!, back.searchParams.get('code')!]) expect(log).not.toContain(secret);
  });
});

describe('a CallbackURL the gateway cannot listen on', () => {
  it('leaves the headless flow, said at WARN and in the 28000 hint', async () => {
    const s = await oauthStack(sim, 'InitiateOAuth=GETANDREFRESH;OAuthSettingsLocation=memory://remote-callback', { callback: 'https://gateway.example.com/oauth/callback' });
    stacks.push(s);
    const e = await failure(s.query('SELECT RequestKey FROM Requests'));
    expect(e.code).toBe('28000');
    expect(e.message).toMatch(/no access token yet/);
    expect(e.hint).toMatch(/GetOAuthAuthorizationURL/);
    expect(lines(s).some((l) => l.level === 40 && /not a loopback http/.test(l.msg))).toBe(true);
  });
});
