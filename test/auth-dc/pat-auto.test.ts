/**
 * Issue 12 item 4: Data Center personal access tokens are their own scheme (AuthScheme
 * PersonalAccessToken, the token in APIToken, sent as a bearer token), and Auto chooses by which
 * properties are set: a signing key → OAuth 1.0a; OAuthAccessToken → OAuth; APIToken with User →
 * APIToken; APIToken alone → PersonalAccessToken; Password → Basic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthProvider } from '../../src/jsm/auth/index.ts';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { makeDcPki, type DcPki } from './pki.ts';
import { connectFailure, requestKeys, startDcGateway } from './stack.ts';

const { agent, customer } = SIM_IDENTITIES;
let sim: RunningSimulator;
let pki: DcPki;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 'small', seed: 1 });
  pki = makeDcPki();
});
afterAll(async () => {
  await sim?.close();
  pki?.cleanup();
});

const req = { method: 'GET', url: 'https://jira.example/rest/servicedeskapi/request' };

describe('Auto', () => {
  it('chooses the scheme by the properties that are set, in the documented order', () => {
    const key = pki.path('jira_privatekey.pem');
    const pick = (c: Record<string, string>) => createAuthProvider({ authScheme: 'Auto', ...c, oauth1: { consumerKey: c.key, cert: c.cert } });
    expect(pick({ key: 'k', cert: key, oauthAccessToken: 'at', apiToken: 't', user: 'u', password: 'p' }).scheme).toBe('OAuth1');
    expect(pick({ oauthAccessToken: 'at', apiToken: 't', user: 'u', password: 'p' }).scheme).toBe('OAuth');
    expect(pick({ apiToken: 't', user: 'u', password: 'p' }).scheme).toBe('APIToken');
    expect(pick({ apiToken: 't', password: 'p' }).scheme).toBe('PersonalAccessToken');
    expect(pick({ user: 'u', password: 'p' }).scheme).toBe('Basic');
    expect(() => pick({ user: 'u' })).toThrow(expect.objectContaining({ code: '28000' }));
  });

  it('PersonalAccessToken sends APIToken as a bearer token and needs no User', () => {
    const p = createAuthProvider({ authScheme: 'PersonalAccessToken', apiToken: 'pat-123' });
    expect(p.headers(req)).toEqual({ authorization: 'Bearer pat-123' });
    expect(p.principal).toBe('the personal access token');
    expect(() => createAuthProvider({ authScheme: 'PersonalAccessToken', user: 'u' })).toThrow(
      expect.objectContaining({ code: '28000', message: expect.stringContaining('APIToken') }),
    );
  });
});

describe('personal access tokens through the gateway', () => {
  it('reads Requests as the token owner, with AuthScheme PersonalAccessToken and with Auto', async () => {
    const expected = new Map<string, string[]>();
    for (const who of [agent, customer]) {
      const basic = await startDcGateway(`AuthScheme=Basic;URL=${sim.url};User=${who.username};Password=${who.password}`);
      expected.set(who.pat, await requestKeys(basic.url));
      await basic.close();
    }
    expect(expected.get(agent.pat)).not.toEqual(expected.get(customer.pat));
    for (const who of [agent, customer]) {
      for (const scheme of ['PersonalAccessToken', 'Auto']) {
        const log: string[] = [];
        const dc = await startDcGateway(`AuthScheme=${scheme};URL=${sim.url};APIToken=${who.pat}`, log);
        try {
          expect(await requestKeys(dc.url)).toEqual(expected.get(who.pat));
        } finally {
          await dc.close();
        }
        expect(log.join('')).not.toContain(who.pat);
      }
    }
  }, 60_000);

  it('a wrong token is 28000 naming the property, without the token', async () => {
    const log: string[] = [];
    const failure = await connectFailure(`AuthScheme=PersonalAccessToken;URL=${sim.url};APIToken=canary-pat-31337`, log);
    expect(failure).toMatchObject({ code: '28000', message: expect.stringContaining('APIToken') });
    expect(failure.text + log.join('')).not.toContain('canary-pat-31337');
  }, 30_000);
});
