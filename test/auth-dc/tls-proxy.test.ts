/**
 * Issue 12 item 5: TLS towards JSM and proxies, against the simulator served over HTTPS with a
 * certificate from a test CA and a real HTTP CONNECT proxy written here with node:http. The
 * machine does not trust the test CA, so: no SSLServerCert is an untrusted certificate (HV00N);
 * the CA, the server's certificate (inline or a file), its public key or its SHA-1 thumbprint are
 * accepted; a stranger's certificate is not; '*' accepts anything and says so at WARN. Client
 * certificates from PEM or PKCS#12 (with password, chosen by subject) open a simulator that
 * requires one. ProxyServer/ProxyPort(/ProxyUser/ProxyPassword) and HTTPS_PROXY/NO_PROXY route
 * the calls. No password reaches the log or an error.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { startConnectProxy } from '../helpers/connect-proxy.ts';
import { makeDcPki, type DcPki } from './pki.ts';
import { connectFailure, requestKeys, startDcGateway } from './stack.ts';

const { agent } = SIM_IDENTITIES;
let pki: DcPki;
let sim: RunningSimulator;
let mtlsSim: RunningSimulator;
let agentKeys: string[];

const creds = `User=${agent.email};APIToken=${agent.apiToken}`;
const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Reads Requests through a gateway with these properties; the log lines are kept in `log`. */
async function keysWith(connection: string, log: string[] = []): Promise<string[]> {
  const dc = await startDcGateway(connection, log);
  try {
    return await requestKeys(dc.url);
  } finally {
    await dc.close();
  }
}

beforeAll(async () => {
  pki = makeDcPki();
  sim = await startSimulator({ port: 0, scale: 'small', seed: 1, tls: { key: pki.serverKey, cert: pki.serverCert } });
  mtlsSim = await startSimulator({
    port: 0,
    scale: 'small',
    seed: 1,
    tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true },
  });
  expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  agentKeys = await keysWith(`AuthScheme=APIToken;URL=${sim.url};${creds};SSLServerCert=${pki.path('ca.crt')}`);
  expect(agentKeys.length).toBeGreaterThan(0);
}, 60_000);
afterAll(async () => {
  await sim?.close();
  await mtlsSim?.close();
  pki?.cleanup();
});

describe('SSLServerCert', () => {
  it("refuses JSM's certificate when the machine does not trust it and nothing is pinned (HV00N, naming SSLServerCert)", async () => {
    const failure = await connectFailure(`AuthScheme=APIToken;URL=${sim.url};${creds}`);
    expect(failure).toMatchObject({ code: 'HV00N', message: expect.stringContaining('certificate is not trusted') });
    expect(failure.text).toContain('SSLServerCert');
    expect(failure.text).not.toContain(agent.apiToken);
  }, 30_000);

  it('accepts the CA, the certificate inline or in a file, its public key or its thumbprint', async () => {
    const cert = new X509Certificate(pki.serverCert);
    const publicKey = cert.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const pin of [
      pki.path('ca.crt'),
      quoted(pki.serverCert),
      pki.path('server.crt'),
      quoted(publicKey),
      cert.fingerprint, // SHA-1, colon separated
      cert.fingerprint.replace(/:/g, ' ').toLowerCase(),
    ]) {
      expect(await keysWith(`AuthScheme=APIToken;URL=${sim.url};${creds};SSLServerCert=${pin}`), pin).toEqual(agentKeys);
    }
  }, 60_000);

  it("refuses a server whose certificate is not the pinned one", async () => {
    const failure = await connectFailure(`AuthScheme=APIToken;URL=${sim.url};${creds};SSLServerCert=${pki.path('stranger.crt')}`);
    expect(failure).toMatchObject({ code: 'HV00N', message: expect.stringContaining('not trusted') });
  }, 30_000);

  it("'*' accepts any certificate and says so at WARN when the gateway starts", async () => {
    const log: string[] = [];
    expect(await keysWith(`AuthScheme=APIToken;URL=${sim.url};${creds};SSLServerCert=*`, log)).toEqual(agentKeys);
    const warnings = log.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40 && l.msg.includes('SSLServerCert=*'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]!.msg).toContain('NOT verified');
  }, 30_000);

  it('rejects an SSLServerCert that is none of the documented forms at start (22023)', async () => {
    const failure = await connectFailure(`AuthScheme=APIToken;URL=${sim.url};${creds};SSLServerCert=/no/such/file.pem`);
    expect(failure).toMatchObject({ code: '22023', message: expect.stringContaining('SSLServerCert') });
  });
});

describe('SSLClientCert', () => {
  const base = () => `AuthScheme=APIToken;URL=${mtlsSim.url};${creds};SSLServerCert=${pki.path('ca.crt')}`;

  it('is required by this simulator: without one the handshake fails with HV00N naming SSLClientCert', async () => {
    const failure = await connectFailure(base());
    expect(failure.code).toBe('HV00N');
    expect(failure.text).toContain('SSLClientCert');
  }, 30_000);

  it('opens it from a PEM file (key and certificate) and from PKCS#12 with its password, chosen by subject', async () => {
    const log: string[] = [];
    expect(await keysWith(`${base()};SSLClientCert=${pki.path('client.pem')};SSLClientCertType=PEMKEY_FILE`, log)).toEqual(agentKeys);
    expect(await keysWith(`${base()};SSLClientCert=${pki.path('client.pem')}`, log)).toEqual(agentKeys);
    expect(
      await keysWith(`${base()};SSLClientCert=${pki.path('client.p12')};SSLClientCertType=PFXFILE;SSLClientCertPassword=${pki.clientP12Password};SSLClientCertSubject=CN=gateway`, log),
    ).toEqual(agentKeys);
    const blob = Buffer.from(pki.read('client.pem')).toString('base64');
    expect(await keysWith(`${base()};SSLClientCert=${blob};SSLClientCertType=PEMKEY_BLOB`, log)).toEqual(agentKeys);
    expect(log.join('')).not.toContain(pki.clientP12Password);
  }, 60_000);

  it('SSLClientCertSubject presents the certificate it names (and its key) from a store holding several', async () => {
    // a stranger's key and certificate first: the store's first pair is not the one the server trusts
    const several = pki.path('client-and-stranger.pem');
    writeFileSync(several, pki.read('stranger.key') + pki.read('stranger.crt') + pki.read('client.key') + pki.read('client.crt'));
    expect(await keysWith(`${base()};SSLClientCert=${several};SSLClientCertSubject=CN=gateway, O=jsm-pg tests`)).toEqual(agentKeys);
    expect((await connectFailure(`${base()};SSLClientCert=${several}`)).code).toBe('HV00N');
  }, 30_000);

  it('a wrong password or an unmatched subject is 28000 at start, naming the property and not the password', async () => {
    const log: string[] = [];
    const wrong = await connectFailure(`${base()};SSLClientCert=${pki.path('client.p12')};SSLClientCertType=PFXFILE;SSLClientCertPassword=canary-client-pass-77`, log);
    expect(wrong).toMatchObject({ code: '28000', message: expect.stringContaining('SSLClientCertPassword') });
    expect(wrong.text + log.join('')).not.toContain('canary-client-pass-77');
    const subject = await connectFailure(`${base()};SSLClientCert=${pki.path('client.pem')};SSLClientCertSubject=CN=somebody else`);
    expect(subject).toMatchObject({ code: '28000', message: expect.stringContaining('SSLClientCertSubject') });
  }, 30_000);
});

describe('proxies', () => {
  const base = () => `AuthScheme=APIToken;URL=${sim.url};${creds};SSLServerCert=${pki.path('ca.crt')}`;
  const target = () => new URL(sim.url).host;

  it('ProxyServer and ProxyPort tunnel every call through the proxy', async () => {
    const proxy = await startConnectProxy();
    try {
      expect(await keysWith(`${base()};ProxyServer=127.0.0.1;ProxyPort=${proxy.port}`)).toEqual(agentKeys);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels)).toEqual(new Set([target()]));
      // the pin is checked on the tunnelled connection too
      const pinned = `AuthScheme=APIToken;URL=${sim.url};${creds};ProxyServer=127.0.0.1;ProxyPort=${proxy.port}`;
      expect(await keysWith(`${pinned};SSLServerCert=${new X509Certificate(pki.serverCert).fingerprint}`)).toEqual(agentKeys);
      expect(await connectFailure(`${pinned};SSLServerCert=${pki.path('stranger.crt')}`)).toMatchObject({ code: 'HV00N', message: expect.stringContaining('not trusted') });
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('ProxyUser and ProxyPassword authenticate to it; wrong ones are 28000 without the password', async () => {
    const proxy = await startConnectProxy({ user: 'gw', password: 'canary-proxy-pass-2718' });
    const log: string[] = [];
    try {
      expect(await keysWith(`${base()};ProxyServer=127.0.0.1;ProxyPort=${proxy.port};ProxyUser=gw;ProxyPassword=canary-proxy-pass-2718`, log)).toEqual(agentKeys);
      const wrong = await connectFailure(`${base()};ProxyServer=127.0.0.1;ProxyPort=${proxy.port};ProxyUser=gw;ProxyPassword=canary-wrong-proxy-9`, log);
      expect(wrong).toMatchObject({ code: '28000', message: expect.stringContaining('proxy') });
      expect(wrong.text).toContain('ProxyPassword');
      const none = await connectFailure(`${base()};ProxyServer=127.0.0.1;ProxyPort=${proxy.port}`);
      expect(none.code).toBe('28000');
      expect(wrong.text + log.join('')).not.toMatch(/canary-proxy-pass-2718|canary-wrong-proxy-9/);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('HTTPS_PROXY from the environment is used, and NO_PROXY bypasses it', async () => {
    const proxy = await startConnectProxy();
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    try {
      process.env.HTTPS_PROXY = `http://127.0.0.1:${proxy.port}`;
      delete process.env.NO_PROXY;
      expect(await keysWith(base())).toEqual(agentKeys);
      const tunnelled = proxy.tunnels.length;
      expect(tunnelled).toBeGreaterThan(0);
      process.env.NO_PROXY = '127.0.0.1';
      expect(await keysWith(base())).toEqual(agentKeys);
      expect(proxy.tunnels.length).toBe(tunnelled);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await proxy.close();
    }
  }, 60_000);
});
