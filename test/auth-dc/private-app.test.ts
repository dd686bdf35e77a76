/**
 * The seed's private-application properties (CertificateStoreType, CertificateStore,
 * CertificateStorePassword, CertificateSubject) give OAuth 1.0a its signing key, read by the same
 * loader as OAuthJWTCert: a PKCS#12 file or blob, a PEM key file; in a store holding several keys
 * (made with keytool, as a Java or Windows export would be) CertificateSubject chooses one by the
 * seed's rule (exact fields, else a part of the subject; '*' the first). Store types that cannot
 * exist here, two keys at once, a key for a scheme that signs nothing, a store's companions without
 * a store and a wrong password stop the gateway at start with the property named and no secret.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauth1AccessToken, oauth1RequestToken } from '../../src/jsm/auth/oauth1-flow.ts';
import { oauth1KeyFrom } from '../../src/jsm/auth/oauth1.ts';
import { SIM_IDENTITIES, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { runBin } from '../cli/run-bin.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { makeDcPki, type DcPki } from './pki.ts';
import { basicKeys, connectFailure, requestKeys, startDcGateway } from './stack.ts';

const { agent } = SIM_IDENTITIES;
const CONSUMER = 'private-app-consumer';
const STORE_PASSWORD = 'canary-store-pass-3141';
let pki: DcPki;
let sim: RunningSimulator;
let agentKeys: string[];
let token: string;

const keytool = requireTool('keytool').path;

beforeAll(async () => {
  pki = makeDcPki();
  sim = await startSimulator({ port: 0, scale: 'small', seed: 1, oauth1: { consumers: [{ consumerKey: CONSUMER, publicKey: pki.consumerPublicKey }] } });
  agentKeys = await basicKeys(sim.url, agent);
  // the agent approves a request token once; its access token serves every gateway below
  const consumer = { baseUrl: sim.url, consumerKey: CONSUMER, privateKey: oauth1KeyFrom({ cert: pki.consumerKeyPem, certType: 'PEMKEY_BLOB' }) };
  const rt = await oauth1RequestToken(consumer);
  const res = await request(rt.authorizationUrl, { headers: { authorization: `Basic ${Buffer.from(`${agent.username}:${agent.password}`).toString('base64')}` } });
  const verifier = new URLSearchParams(await res.body.text()).get('oauth_verifier')!;
  token = (await oauth1AccessToken(consumer, rt.token, verifier)).token;
}, 60_000);
afterAll(async () => {
  await sim?.close();
  pki?.cleanup();
});

const signed = (scheme: string, store: string) => `AuthScheme=${scheme};URL=${sim.url};OAuthClientId=${CONSUMER};OAuthAccessToken=${token};${store}`;

async function keysWith(connection: string, log: string[]): Promise<string[]> {
  const dc = await startDcGateway(connection, log);
  try {
    return await requestKeys(dc.url);
  } finally {
    await dc.close();
  }
}

describe('CertificateStore gives OAuth 1.0a its key', () => {
  it('from a PFXFile, a PFXBlob and a PEMKeyFile, with AuthScheme OAuth and Auto alike', async () => {
    const p12 = pki.path('jira_consumer.p12');
    const blob = readFileSync(p12).toString('base64');
    const log: string[] = [];
    for (const [scheme, store] of [
      ['OAuth', `CertificateStoreType=PFXFile;CertificateStore=${p12};CertificateStorePassword=${pki.consumerKeyPassword}`],
      ['Auto', `CertificateStoreType=PFXBlob;CertificateStore=${blob};CertificateStorePassword=${pki.consumerKeyPassword}`],
      ['OAuth', `CertificateStoreType=PEMKeyFile;CertificateStore=${pki.path('jira_privatekey.enc.pem')};CertificateStorePassword=${pki.consumerKeyPassword}`],
      ['Auto', `CertificateStoreType=pemkeyfile;CertificateStore=${pki.path('jira_privatekey.pem')};CertificateSubject=*`],
    ] as const) {
      expect(await keysWith(signed(scheme, store), log), store).toEqual(agentKeys);
    }
    const text = log.join('');
    for (const secret of [pki.consumerKeyPassword, blob.slice(100, 160), token]) expect(text).not.toContain(secret);
  }, 90_000);

  it('a wrong CertificateStorePassword is 28000 at start naming it, never the password', async () => {
    const log: string[] = [];
    const failure = await connectFailure(signed('OAuth', `CertificateStoreType=PFXFile;CertificateStore=${pki.path('jira_consumer.p12')};CertificateStorePassword=canary-wrong-store-27`), log);
    expect(failure).toMatchObject({ code: '28000', message: expect.stringContaining('CertificateStorePassword does not open CertificateStore') });
    expect(failure.text + log.join('')).not.toContain('canary-wrong-store-27');
  }, 30_000);
});

describe('CertificateSubject in a PEM key file of several keys', () => {
  it('signs with the key of the certificate it names; without a subject, the first key', async () => {
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run('req', '-x509', '-key', 'wrong.pem', '-out', 'pem-decoy.crt', '-days', '2', '-subj', '/CN=pem decoy/emailAddress=decoy@example.com');
    const both = pki.path('two-keys.pem');
    writeFileSync(both, pki.read('wrong.pem') + pki.read('pem-decoy.crt') + pki.read('jira_privatekey.pem') + pki.read('jira_publickey.cer'));
    const log: string[] = [];
    const store = `CertificateStoreType=PEMKeyFile;CertificateStore=${both}`;
    expect(await keysWith(signed('OAuth', `${store};CertificateSubject=CN=jsm-pg consumer`), log)).toEqual(agentKeys);
    const first = await connectFailure(signed('OAuth', store), log);
    expect(first.text).toContain('signature_invalid');
    // the seed's E is the certificate's emailAddress
    const decoy = await connectFailure(signed('OAuth', `${store};CertificateSubject='E=decoy@example.com, CN=pem decoy'`), log);
    expect(decoy.text).toContain('signature_invalid');
  }, 60_000);
});

describe.skipIf(!keytool)('CertificateSubject in a store of several keys', () => {
  let multi: string;

  beforeAll(() => {
    // a decoy first (a key the application link does not have), then the consumer's key: as keytool keeps entries
    const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { cwd: pki.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run('openssl', 'req', '-x509', '-key', 'wrong.pem', '-out', 'decoy.crt', '-days', '2', '-subj', '/CN=decoy/O=Example, Inc./ST=Bavaria');
    run('openssl', 'pkcs12', '-export', '-inkey', 'wrong.pem', '-in', 'decoy.crt', '-name', 'decoy', '-out', 'decoy.p12', '-passout', `pass:${STORE_PASSWORD}`);
    run('openssl', 'pkcs12', '-export', '-inkey', 'jira_privatekey.pem', '-in', 'jira_publickey.cer', '-name', 'consumer', '-out', 'consumer.p12', '-passout', `pass:${STORE_PASSWORD}`);
    for (const source of ['decoy.p12', 'consumer.p12']) {
      run(keytool!, '-importkeystore', '-noprompt', '-srckeystore', source, '-srcstoretype', 'PKCS12', '-srcstorepass', STORE_PASSWORD,
        '-destkeystore', 'multi.p12', '-deststoretype', 'PKCS12', '-deststorepass', STORE_PASSWORD);
    }
    multi = `CertificateStoreType=PFXFile;CertificateStore=${pki.path('multi.p12')};CertificateStorePassword=${STORE_PASSWORD}`;
  });

  it("chooses the key by the subject's fields or a part of it; '*' takes the first (the decoy, refused by Jira)", async () => {
    const log: string[] = [];
    for (const subject of ['CN=jsm-pg consumer', 'cn = JSM-PG Consumer', 'consumer']) {
      expect(await keysWith(signed('OAuth', `${multi};CertificateSubject=${subject}`), log), subject).toEqual(agentKeys);
    }
    // the seed's syntax: a value holding a comma quoted, S for the state
    for (const subject of ['*', `'CN=decoy, O="Example, Inc.", S=Bavaria'`]) {
      const decoy = await connectFailure(signed('OAuth', `${multi};CertificateSubject=${subject}`), log);
      expect(decoy, subject).toMatchObject({ code: '28000', message: expect.stringContaining('JSM rejected the credentials') });
      expect(decoy.text).toContain('signature_invalid');
    }
    expect(log.join('')).not.toContain(STORE_PASSWORD);
  }, 90_000);

  it('a subject no certificate has is 28000 at start naming CertificateSubject and listing the subjects held', async () => {
    const failure = await connectFailure(signed('OAuth', `${multi};CertificateSubject=CN=nobody`));
    expect(failure).toMatchObject({ code: '28000', message: 'no certificate in CertificateStore matches CertificateSubject' });
    expect(failure.text).toContain('CN=jsm-pg consumer');
    expect(failure.text).toContain('CN=decoy');
    expect(failure.text).not.toContain(STORE_PASSWORD);
  }, 30_000);
});

describe('what CertificateStore* cannot do is refused at start', () => {
  it("refuses the Windows and Java store types and keyless ones with 0A000 naming CertificateStoreType and what works", async () => {
    for (const [type, why] of [
      ['User', 'Windows user certificate store'],
      ['Machine', 'Windows machine certificate store'],
      ['JKSFile', 'Java key store'],
      ['JKSBlob', 'Java key store'],
      ['PublicKeyFile', 'cannot sign'],
      ['PPKFile', 'PuTTY'],
    ]) {
      const failure = await connectFailure(signed('OAuth', `CertificateStoreType=${type};CertificateStore=${pki.path('jira_consumer.p12')};CertificateStorePassword=${STORE_PASSWORD}`));
      expect(failure, type).toMatchObject({ code: '0A000', message: expect.stringContaining(`CertificateStoreType ${type} is a`) });
      expect(failure.message).toContain(why);
      expect(failure.text).toMatch(/PFXFile.*PFXBlob.*PEMKeyFile/);
      expect(failure.text).not.toContain(STORE_PASSWORD);
    }
    // the seed's default type is a Windows store: a store given without a type says so
    const untyped = await connectFailure(signed('OAuth', `CertificateStore=${pki.path('jira_consumer.p12')}`));
    expect(untyped).toMatchObject({ code: '0A000', message: expect.stringContaining('CertificateStoreType User') });
  }, 30_000);

  it('refuses two keys, a key no scheme signs with, and the companions without a store (22023)', async () => {
    const store = `CertificateStoreType=PFXFile;CertificateStore=${pki.path('jira_consumer.p12')};CertificateStorePassword=${STORE_PASSWORD}`;
    const both = await connectFailure(signed('OAuth', `${store};OAuthJWTCert=${pki.path('jira_privatekey.pem')}`));
    expect(both).toMatchObject({ code: '22023', message: 'OAuthJWTCert and CertificateStore both give the OAuth 1.0a signing key' });
    const basic = await connectFailure(`AuthScheme=Basic;URL=${sim.url};User=${agent.username};Password=${agent.password};${store}`);
    expect(basic).toMatchObject({ code: '22023', message: expect.stringContaining('AuthScheme Basic does not use it') });
    const alone = await connectFailure(signed('OAuth', `OAuthJWTCert=${pki.path('jira_privatekey.pem')};CertificateStorePassword=${STORE_PASSWORD};CertificateSubject=CN=x`));
    expect(alone).toMatchObject({ code: '22023', message: 'CertificateStorePassword, CertificateSubject are set but CertificateStore is not' });
    for (const f of [both, basic, alone]) expect(f.text).not.toContain(STORE_PASSWORD);
  }, 30_000);

  it('jsm-pg serve exits 1 with the message and the hint', async () => {
    const users = join(pki.dir, 'users.json');
    expect((await runBin(['user', 'add', 'demo', '--users-file', users], { stdin: 'demo\n' })).code).toBe(0);
    const { code, stderr } = await runBin([
      'serve', '--port', '0', '--users-file', users,
      '--connection', signed('OAuth', `CertificateStoreType=JKSFile;CertificateStore=${pki.path('jira_consumer.p12')};CertificateStorePassword=${STORE_PASSWORD}`),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("jsm-pg: CertificateStoreType JKSFile is a Java key store, which only the connector's Java edition reads");
    expect(stderr).toContain('hint: Set CertificateStoreType to PFXFile');
    expect(stderr).not.toContain(STORE_PASSWORD);
  }, 60_000);
});
