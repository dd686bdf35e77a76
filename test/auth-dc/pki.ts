/**
 * Keys and certificates for the Data Center authentication tests, made with openssl in a
 * temporary folder: a CA, a server certificate for 127.0.0.1 signed by it, a client certificate
 * (PEM and password-protected PKCS#12), a stranger's self-signed certificate, and the RSA keys of
 * an OAuth 1.0a consumer (plain PEM, encrypted PEM, PKCS#12) with the public key for Jira.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DcPki {
  dir: string;
  path(name: string): string;
  read(name: string): string;
  caCert: string;
  serverKey: string;
  serverCert: string;
  /** A certificate nobody uses, for a pin that must not match. */
  strangerCert: string;
  clientPem: string;
  clientP12Password: string;
  consumerKeyPem: string;
  consumerPublicKey: string;
  consumerKeyPassword: string;
  /** A second key pair: signatures made with it must be refused. */
  wrongKeyPem: string;
  cleanup(): void;
}

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

export function makeDcPki(): DcPki {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-auth-dc-'));
  const path = (name: string) => join(dir, name);
  const read = (name: string) => readFileSync(path(name), 'utf8');
  const clientP12Password = 'canary-p12-pass-4711';
  const consumerKeyPassword = 'canary-jwt-pass-0815';
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=jsm-pg test CA');
  writeFileSync(path('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
  writeFileSync(path('client.ext'), 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=gateway/O=jsm-pg tests');
  openssl(dir, 'x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2', '-extfile', 'client.ext');
  writeFileSync(path('client.pem'), read('client.key') + read('client.crt'));
  openssl(dir, 'pkcs12', '-export', '-inkey', 'client.key', '-in', 'client.crt', '-out', 'client.p12', '-passout', `pass:${clientP12Password}`);
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'stranger.key', '-out', 'stranger.crt', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
  // the seed's application-link recipe: genrsa, a certificate, pkcs8, the public key for Jira
  openssl(dir, 'genrsa', '-out', 'jira_privatekey.pem', '2048');
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-x509', '-key', 'jira_privatekey.pem', '-out', 'jira_publickey.cer', '-days', '2', '-subj', '/CN=jsm-pg consumer');
  openssl(dir, 'pkcs8', '-topk8', '-nocrypt', '-in', 'jira_privatekey.pem', '-out', 'jira_privatekey.pcks8');
  openssl(dir, 'x509', '-pubkey', '-noout', '-in', 'jira_publickey.cer', '-out', 'jira_publickey.pem');
  openssl(dir, 'pkcs8', '-topk8', '-in', 'jira_privatekey.pem', '-out', 'jira_privatekey.enc.pem', '-passout', `pass:${consumerKeyPassword}`);
  openssl(dir, 'pkcs12', '-export', '-inkey', 'jira_privatekey.pem', '-in', 'jira_publickey.cer', '-out', 'jira_consumer.p12', '-passout', `pass:${consumerKeyPassword}`);
  // older exports: 3DES throughout, and openssl's -legacy (RC2 for the certificates)
  openssl(dir, 'pkcs12', '-export', '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-inkey', 'jira_privatekey.pem', '-in', 'jira_publickey.cer', '-out', 'jira_consumer.3des.p12', '-passout', `pass:${consumerKeyPassword}`);
  openssl(dir, 'pkcs12', '-export', '-legacy', '-inkey', 'jira_privatekey.pem', '-in', 'jira_publickey.cer', '-out', 'jira_consumer.legacy.p12', '-passout', `pass:${consumerKeyPassword}`);
  openssl(dir, 'genrsa', '-out', 'wrong.pem', '2048');
  return {
    dir,
    path,
    read,
    caCert: read('ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    strangerCert: read('stranger.crt'),
    clientPem: read('client.pem'),
    clientP12Password,
    consumerKeyPem: read('jira_privatekey.pcks8'),
    consumerPublicKey: read('jira_publickey.pem'),
    consumerKeyPassword,
    wrongKeyPem: read('wrong.pem'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
