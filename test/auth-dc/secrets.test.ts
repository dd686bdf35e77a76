/**
 * Everything at once, as a locked-down Data Center would have it: JSM over HTTPS from a private
 * CA that also requires a client certificate (PKCS#12 with a password), reached only through a
 * proxy that wants credentials, with OAuth 1.0a (an encrypted PEM key given inline). The token
 * steps run by CALL through that same path, then a second gateway reads Requests with the token,
 * and a third with the key in the private application's store (CertificateStore, a PFX blob).
 * Canary values of every secret property never appear in the log (trace level), an error text,
 * sys_connection_props, pg_settings or /metrics.
 */
import pg from 'pg';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { startConnectProxy, type TestProxy } from '../helpers/connect-proxy.ts';
import { makeDcPki, type DcPki } from './pki.ts';
import { requestKeys, startDcGateway } from './stack.ts';

const { agent } = SIM_IDENTITIES;
const CONSUMER = 'locked-down-consumer';
const PROXY_PASSWORD = 'canary-proxy-secret-5150';
const TOKEN_SECRET = 'canary-token-secret-1984';
const STORE_PASSWORD = 'canary-store-secret-2001';
let pki: DcPki;
let sim: RunningSimulator;
let proxy: TestProxy;
let proxyPort: number;

beforeAll(async () => {
  pki = makeDcPki();
  sim = await startSimulator({
    port: 0,
    scale: 'small',
    seed: 1,
    tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true },
    oauth1: { consumers: [{ consumerKey: CONSUMER, publicKey: pki.consumerPublicKey }] },
  });
  proxy = await startConnectProxy({ user: 'gw', password: PROXY_PASSWORD });
  proxyPort = proxy.port;
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await sim?.close();
  pki?.cleanup();
});

describe('OAuth 1.0a over mutual TLS through an authenticating proxy', () => {
  it('gets a token by CALL, reads Requests with it, and leaks no secret anywhere', async () => {
    const encryptedKey = pki.read('jira_privatekey.enc.pem');
    const way =
      `SSLServerCert=${pki.path('ca.crt')};` +
      `SSLClientCert=${pki.path('client.p12')};SSLClientCertType=PFXFILE;SSLClientCertPassword=${pki.clientP12Password};` +
      `ProxyServer=127.0.0.1;ProxyPort=${proxyPort};ProxyUser=gw;ProxyPassword=${PROXY_PASSWORD}`;
    const base =
      `AuthScheme=OAuth;URL=${sim.url};OAuthClientId=${CONSUMER};OAuthJWTCert='${encryptedKey}';OAuthJWTCertType=PEMKEY_BLOB;` +
      `OAuthJWTCertPassword=${pki.consumerKeyPassword};${way}`;
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', 'jira_privatekey.pem', '-in', 'jira_publickey.cer', '-out', 'store.p12', '-passout', `pass:${STORE_PASSWORD}`], { cwd: pki.dir, stdio: 'ignore' });
    const storeBlob = readFileSync(pki.path('store.p12')).toString('base64');
    const privateApp =
      `AuthScheme=OAuth;URL=${sim.url};OAuthClientId=${CONSUMER};CertificateStoreType=PFXBlob;CertificateStore=${storeBlob};` +
      `CertificateStorePassword=${STORE_PASSWORD};${way}`;
    const log: string[] = [];
    const texts: string[] = [];

    // the token steps through the gateway: the request token goes through the proxy with the client certificate
    const first = await startDcGateway(base, log);
    let token: { OAuthAccessToken: string; OAuthAccessTokenSecret: string };
    try {
      const c = new pg.Client(first.url);
      await c.connect();
      try {
        const { rows: [auth] } = await c.query<{ URL: string; AuthToken: string; AuthKey: string }>('CALL GetOAuthAuthorizationURL()');
        // the user approves in a browser, which reaches Jira directly with the client certificate
        const res = await request(auth!.URL, {
          headers: { authorization: `Basic ${Buffer.from(`${agent.username}:${agent.password}`).toString('base64')}` },
          dispatcher: new Agent({ connect: { ca: pki.caCert, pfx: readFileSync(pki.path('client.p12')), passphrase: pki.clientP12Password } }),
        });
        const verifier = new URLSearchParams(await res.body.text()).get('oauth_verifier')!;
        const { rows: [t] } = await c.query(`CALL GetOAuthAccessToken('WEB', '${verifier}', NULL, NULL, '${auth!.AuthToken}', '${auth!.AuthKey}')`);
        token = t as typeof token;
        const err = await c.query('SELECT RequestKey FROM Requests').catch((e: Error & { hint?: string; detail?: string }) => e);
        expect(err).toMatchObject({ code: '28000' });
        texts.push(`${(err as Error).message} ${(err as { hint?: string }).hint ?? ''}`);
      } finally {
        await c.end();
      }
    } finally {
      await first.close();
    }

    // the configured gateways read Requests with the token, everything on the same path
    const tunnelsBefore = proxy.tunnels.length;
    await readsWithToken(`${base};OAuthAccessToken=${token!.OAuthAccessToken};OAuthAccessTokenSecret=${TOKEN_SECRET}`, log, texts);
    expect(proxy.tunnels.length).toBeGreaterThan(tunnelsBefore);
    const props = await readsWithToken(`${privateApp};OAuthAccessToken=${token!.OAuthAccessToken}`, log, texts);
    expect(props).toContain('CertificateStorePassword');
    // the same TLS and proxy settings: the same site, its tunnel kept alive
    expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(sim.url).host]));

    const everything = texts.join('\n') + log.join('');
    for (const secret of [
      PROXY_PASSWORD,
      TOKEN_SECRET,
      pki.consumerKeyPassword,
      pki.clientP12Password,
      token!.OAuthAccessToken,
      token!.OAuthAccessTokenSecret,
      encryptedKey.split('\n')[1]!, // a line of the key blob
      STORE_PASSWORD,
      storeBlob.slice(200, 260), // a piece of the PFX blob
    ]) {
      expect(everything, secret).not.toContain(secret);
    }
  }, 120_000);
});

/** Reads Requests through a gateway with `connection`; what a client and /metrics can see goes to `texts`. Answers sys_connection_props. */
async function readsWithToken(connection: string, log: string[], texts: string[]): Promise<string> {
  const second = await startDcGateway(connection, log, ['--metrics-port', '0']);
  let shown = '';
  try {
    const keys = await requestKeys(second.url);
    expect(keys.length).toBeGreaterThan(0);
    const c = new pg.Client(second.url);
    await c.connect();
    try {
      const props = await c.query('SELECT * FROM sys_connection_props');
      shown = JSON.stringify(props.rows);
      texts.push(shown);
      expect(shown).toContain('ProxyPassword');
      const settings = await c.query('SELECT name, setting FROM pg_settings');
      texts.push(JSON.stringify(settings.rows));
      const bad = await c.query('SELECT * FROM Requests WHERE RequestKey = 1/0').catch((e: Error) => e);
      texts.push(String((bad as Error).message));
    } finally {
      await c.end();
    }
    const metrics = await (await fetch(`http://127.0.0.1:${second.gateway.metricsPort}/metrics`)).text();
    expect(metrics).toContain('jsm');
    texts.push(metrics);
  } finally {
    await second.close();
  }
  return shown;
}
