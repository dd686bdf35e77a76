/**
 * Issue 12 item 2: OAuth 1.0a for Jira Data Center application links. The signer matches RFC
 * 5849's worked example; the consumer key is read from PEM (plain and encrypted) and PKCS#12; the
 * seed's token steps (request token → authorization URL approved by a logged-in user → access
 * token with the verifier) run against the simulator's provider, which verifies every signature
 * with the public key pasted into the application link; the gateway then reads Requests with the
 * access token, or exchanges AuthToken + OAuthVerifier itself. Wrong keys, passwords and verifiers
 * are 28000 naming the step, and no secret reaches the log or the error.
 */
import { createPublicKey, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauth1AccessToken, oauth1RequestToken, type OAuth1Consumer } from '../../src/jsm/auth/oauth1-flow.ts';
import { oauth1Authorization, signatureBaseString } from '../../src/jsm/auth/oauth1-signature.ts';
import { oauth1KeyFrom } from '../../src/jsm/auth/oauth1.ts';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { makeDcPki, type DcPki } from './pki.ts';
import { basicKeys, connectFailure, requestKeys, startDcGateway } from './stack.ts';

const { agent, customer } = SIM_IDENTITIES;
const CONSUMER = 'jsm-pg-consumer';
let pki: DcPki;
let sim: RunningSimulator;
let agentKeys: string[];

/** The user's part: logged in to Jira, they approve the request token and read the verifier. */
async function approve(authorizationUrl: string, who = agent): Promise<string> {
  const res = await request(authorizationUrl, {
    headers: { authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}` },
  });
  const body = new URLSearchParams(await res.body.text());
  expect(res.statusCode).toBe(200);
  return body.get('oauth_verifier')!;
}

async function requestKeysWith(connection: string): Promise<string[]> {
  const dc = await startDcGateway(connection);
  try {
    return await requestKeys(dc.url);
  } finally {
    await dc.close();
  }
}

const consumer = (privateKeyPem = pki.consumerKeyPem): OAuth1Consumer => ({
  baseUrl: sim.url,
  consumerKey: CONSUMER,
  privateKey: oauth1KeyFrom({ cert: privateKeyPem, certType: 'PEMKEY_BLOB' }),
});

beforeAll(async () => {
  pki = makeDcPki();
  sim = await startSimulator({ port: 0, scale: 'small', seed: 1, oauth1: { consumers: [{ consumerKey: CONSUMER, publicKey: pki.consumerPublicKey }] } });
  agentKeys = await basicKeys(sim.url, agent);
  expect(agentKeys.length).toBeGreaterThan(0);
}, 60_000);
afterAll(async () => {
  await sim?.close();
  pki?.cleanup();
});

describe('the RSA-SHA1 signer', () => {
  it('builds the signature base string of RFC 5849 §3.4.1.1', () => {
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const base = signatureBaseString('POST', url, {
      oauth_consumer_key: '9djdj82h48djs9d2',
      oauth_token: 'kkk9d7dh3k39sjv7',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131201',
      oauth_nonce: '7d8f3e4a',
      c2: '',
      a3: '2 q',
    });
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('signs with the key from PEM, encrypted PEM and PKCS#12 alike, verifiable with the public key', () => {
    const keys = [
      oauth1KeyFrom({ cert: pki.path('jira_privatekey.pem'), certType: 'PEMKEY_FILE' }),
      oauth1KeyFrom({ cert: pki.path('jira_privatekey.pcks8') }),
      oauth1KeyFrom({ cert: pki.path('jira_privatekey.enc.pem'), certType: 'PEMKEY_FILE', certPassword: pki.consumerKeyPassword }),
      oauth1KeyFrom({ cert: pki.path('jira_consumer.p12'), certType: 'PFXFILE', certPassword: pki.consumerKeyPassword }),
      oauth1KeyFrom({ cert: pki.path('jira_consumer.3des.p12'), certType: 'PFXFILE', certPassword: pki.consumerKeyPassword }),
      oauth1KeyFrom({ cert: pki.path('jira_consumer.legacy.p12'), certType: 'PFXFILE', certPassword: pki.consumerKeyPassword }),
      oauth1KeyFrom({ cert: readFileSync(pki.path('jira_consumer.p12')).toString('base64'), certType: 'PFXBLOB', certPassword: pki.consumerKeyPassword }),
      oauth1KeyFrom({ cert: Buffer.from(pki.read('jira_privatekey.pem')).toString('base64'), certType: 'PEMKEY_BLOB' }),
    ];
    const publicKey = createPublicKey(pki.consumerPublicKey);
    for (const privateKey of keys) {
      const header = oauth1Authorization({ method: 'GET', url: 'https://jira.example/rest/api/2/myself?x=1', consumerKey: 'c', privateKey, token: 't', now: () => 1_700_000_000_000, nonce: () => 'n' });
      const signature = decodeURIComponent(/oauth_signature="([^"]+)"/.exec(header)![1]!);
      const base = signatureBaseString('GET', new URL('https://jira.example/rest/api/2/myself?x=1'), {
        oauth_consumer_key: 'c', oauth_nonce: 'n', oauth_signature_method: 'RSA-SHA1', oauth_timestamp: '1700000000', oauth_version: '1.0', oauth_token: 't',
      });
      expect(createVerify('RSA-SHA1').update(base).verify(publicKey, signature, 'base64')).toBe(true);
    }
  });

  it('refuses an unsupported store type (0A000) and an unreadable file (28000) naming the property', () => {
    expect(() => oauth1KeyFrom({ cert: pki.path('jira_consumer.p12'), certType: 'JKSFILE' })).toThrow(expect.objectContaining({ code: '0A000', message: expect.stringContaining('OAuthJWTCertType') }));
    expect(() => oauth1KeyFrom({ cert: '/no/such/key.pem', certType: 'PEMKEY_FILE' })).toThrow(expect.objectContaining({ code: '28000', message: expect.stringContaining('OAuthJWTCert') }));
    expect(() => oauth1KeyFrom({ cert: pki.path('jira_publickey.pem'), certType: 'PEMKEY_FILE' })).toThrow(expect.objectContaining({ code: '28000', message: expect.stringContaining('no private key') }));
  });

  it('refuses a wrong or missing key password with 28000 naming the property, never the password', () => {
    for (const certPassword of ['not-the-password', undefined]) {
      for (const cert of [pki.path('jira_privatekey.enc.pem'), pki.path('jira_consumer.p12'), pki.path('jira_consumer.3des.p12')]) {
        let caught: unknown;
        try {
          oauth1KeyFrom({ cert, certPassword });
        } catch (err) {
          caught = err;
        }
        expect(caught).toMatchObject({ code: '28000', message: expect.stringContaining('OAuthJWTCert') });
        expect(String((caught as Error).message)).not.toContain('not-the-password');
      }
    }
  });
});

describe('OAuth 1.0a against the simulated application link', () => {
  it('runs the token steps and reads Requests as the approving user', async () => {
    const c = consumer();
    const requestToken = await oauth1RequestToken(c);
    expect(requestToken.authorizationUrl).toBe(`${sim.url}/plugins/servlet/oauth/authorize?oauth_token=${requestToken.token}`);
    const verifier = await approve(requestToken.authorizationUrl);
    const access = await oauth1AccessToken(c, requestToken.token, verifier);
    // a verifier is exchanged once
    await expect(oauth1AccessToken(c, requestToken.token, verifier)).rejects.toMatchObject({ code: '28000', message: expect.stringContaining('access token') });

    const log: string[] = [];
    const dc = await startDcGateway(
      `AuthScheme=OAuth;OAuthVersion=1.0;URL=${sim.url};OAuthClientId=${CONSUMER};OAuthClientSecret=testClientSecret;` +
        `OAuthJWTCert=${pki.path('jira_privatekey.pem')};OAuthJWTCertType=PEMKEY_FILE;OAuthAccessToken=${access.token};OAuthAccessTokenSecret=${access.secret}`,
      log,
    );
    try {
      expect(await requestKeys(dc.url)).toEqual(agentKeys);
    } finally {
      await dc.close();
    }
    const text = log.join('');
    expect(text).not.toContain(access.token);
    expect(text).not.toContain(access.secret);
  }, 60_000);

  it("follows the seed's setup (AuthScheme OAuth with OAuthJWTCert, no OAuthVersion; Auto too) with a PKCS#12 key", async () => {
    const c = consumer();
    const requestToken = await oauth1RequestToken(c);
    const access = await oauth1AccessToken(c, requestToken.token, await approve(requestToken.authorizationUrl, customer));
    const log: string[] = [];
    for (const scheme of ['OAuth', 'Auto']) {
      const dc = await startDcGateway(
        `AuthScheme=${scheme};URL=${sim.url};OAuthClientId=${CONSUMER};InitiateOAuth=GETANDREFRESH;OAuthJWTCert=${pki.path('jira_consumer.p12')};` +
          `OAuthJWTCertType=PFXFILE;OAuthJWTCertPassword=${pki.consumerKeyPassword};OAuthAccessToken=${access.token}`,
        log,
      );
      try {
        const keys = await requestKeys(dc.url);
        // the customer sees their own requests only: fewer than the agent
        expect(keys.length).toBeGreaterThan(0);
        expect(keys.length).toBeLessThan(agentKeys.length);
      } finally {
        await dc.close();
      }
    }
    expect(log.join('')).not.toContain(pki.consumerKeyPassword);
  }, 60_000);

  it('exchanges AuthToken and OAuthVerifier itself (the headless step) before the first request', async () => {
    const requestToken = await oauth1RequestToken(consumer());
    const verifier = await approve(requestToken.authorizationUrl);
    const issued = sim.oauth1!.issued();
    const log: string[] = [];
    const dc = await startDcGateway(
      `AuthScheme=OAuth;OAuthVersion=1.0;URL=${sim.url};OAuthClientId=${CONSUMER};OAuthJWTCert=${pki.path('jira_privatekey.pem')};` +
        `AuthToken=${requestToken.token};AuthKey=${requestToken.secret};OAuthVerifier=${verifier}`,
      log,
    );
    try {
      expect(await requestKeys(dc.url)).toEqual(agentKeys);
      expect(await requestKeys(dc.url)).toEqual(agentKeys);
    } finally {
      await dc.close();
    }
    expect(sim.oauth1!.issued()).toBe(issued + 1);
    const text = log.join('');
    for (const secret of [requestToken.token, requestToken.secret, verifier]) expect(text).not.toContain(secret);
  }, 60_000);

  it("runs the seed's headless steps through CALL: GetOAuthAuthorizationURL, then GetOAuthAccessToken with AuthToken and Verifier", async () => {
    const log: string[] = [];
    const connection = `AuthScheme=OAuth;OAuthVersion=1.0;URL=${sim.url};OAuthClientId=${CONSUMER};OAuthJWTCert=${pki.path('jira_privatekey.pem')}`;
    const dc = await startDcGateway(connection, log);
    let access: { OAuthAccessToken: string; OAuthAccessTokenSecret: string; ExpiresIn: string };
    try {
      const c = new pg.Client(dc.url);
      await c.connect();
      try {
        const { rows: [auth] } = await c.query<{ URL: string; AuthToken: string; AuthKey: string }>('CALL GetOAuthAuthorizationURL()');
        expect(auth!.URL).toBe(`${sim.url}/plugins/servlet/oauth/authorize?oauth_token=${auth!.AuthToken}`);
        const verifier = await approve(auth!.URL);
        const { rows: [t] } = await c.query(`CALL GetOAuthAccessToken('WEB', '${verifier}', NULL, NULL, '${auth!.AuthToken}', '${auth!.AuthKey}')`);
        access = t as typeof access;
        expect(access.OAuthAccessToken).toMatch(/^[0-9a-f]{32}$/);
        expect(access.OAuthAccessTokenSecret).toMatch(/^[0-9a-f]{32}$/);
        expect(Number(access.ExpiresIn)).toBeGreaterThan(0);
        // without a token the connection reads nothing, and says how to get one
        await expect(c.query('SELECT RequestKey FROM Requests')).rejects.toMatchObject({ code: '28000', message: expect.stringContaining('no access token') });
      } finally {
        await c.end();
      }
    } finally {
      await dc.close();
    }
    expect(await requestKeysWith(`${connection};OAuthAccessToken=${access!.OAuthAccessToken};OAuthAccessTokenSecret=${access!.OAuthAccessTokenSecret}`)).toEqual(agentKeys);
    expect(log.join('')).not.toContain(access!.OAuthAccessTokenSecret);
  }, 60_000);

  it('gives 28000 naming the step for a wrong key, a wrong verifier, an unknown consumer or no token', async () => {
    const base = `AuthScheme=OAuth;OAuthVersion=1.0;URL=${sim.url};OAuthJWTCert=${pki.path('jira_privatekey.pem')}`;
    const c = consumer();
    const rt = await oauth1RequestToken(c);
    const access = await oauth1AccessToken(c, rt.token, await approve(rt.authorizationUrl));

    // signed with a key the application link does not have
    const wrongKey = await connectFailure(`AuthScheme=OAuth;OAuthVersion=1.0;URL=${sim.url};OAuthClientId=${CONSUMER};OAuthJWTCert=${pki.path('wrong.pem')};OAuthAccessToken=${access.token}`);
    expect(wrongKey).toMatchObject({ code: '28000', message: expect.stringContaining('JSM rejected the credentials') });
    expect(wrongKey.text).toContain('signature_invalid');
    expect(wrongKey.text).not.toContain(access.token);
    expect(sim.oauth1!.problems()).toContain('signature_invalid');

    // a verifier that is not the one Jira showed
    const rt2 = await oauth1RequestToken(c);
    await approve(rt2.authorizationUrl);
    const badVerifier = await connectFailure(`${base};OAuthClientId=${CONSUMER};AuthToken=${rt2.token};OAuthVerifier=canary-verifier-1234`);
    expect(badVerifier).toMatchObject({ code: '28000', message: expect.stringContaining('access token (exchanging OAuthVerifier)') });
    expect(badVerifier.text).toContain('permission_denied');
    expect(badVerifier.text).not.toContain('canary-verifier-1234');
    expect(badVerifier.text).not.toContain(rt2.token);

    const unknown = await connectFailure(`${base};OAuthClientId=somebody-else;OAuthAccessToken=${access.token}`);
    expect(unknown).toMatchObject({ code: '28000' });
    expect(unknown.text).toContain('consumer_key_unknown');

    const noToken = await connectFailure(`${base};OAuthClientId=${CONSUMER}`);
    expect(noToken).toMatchObject({ code: '28000', message: expect.stringContaining('no access token') });
    expect(noToken.text).toContain('GetOAuthAuthorizationURL');

    const log: string[] = [];
    const badPassword = await connectFailure(`${base};OAuthClientId=${CONSUMER};OAuthJWTCert=${pki.path('jira_consumer.p12')};OAuthJWTCertPassword=canary-wrong-pass-99;OAuthAccessToken=${access.token}`, log);
    expect(badPassword).toMatchObject({ code: '28000', message: expect.stringContaining('OAuthJWTCertPassword') });
    expect(badPassword.text + log.join('')).not.toContain('canary-wrong-pass-99');
  }, 90_000);
});
