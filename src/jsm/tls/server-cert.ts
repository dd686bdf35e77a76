/**
 * SSLServerCert: which certificate the gateway accepts from JSM besides those the machine
 * trusts (seed 003): a PEM certificate, a file holding one, a public key, an MD5 or SHA-1
 * thumbprint (SHA-256 too), or '*' for any certificate at all.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import { PgError, SqlState } from '../../errors/index.ts';

export type ServerCertPolicy =
  | { kind: 'any' }
  | { kind: 'pinned'; certificates: X509Certificate[]; publicKeys: KeyObject[]; thumbprints: string[] };

const HEX_THUMBPRINT = /^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

function fromText(text: string): ServerCertPolicy | undefined {
  const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certs.length) return { kind: 'pinned', certificates: certs.map((c) => new X509Certificate(c)), publicKeys: [], thumbprints: [] };
  if (/-----BEGIN (?:RSA )?PUBLIC KEY-----/.test(text)) {
    return { kind: 'pinned', certificates: [], publicKeys: [createPublicKey(text)], thumbprints: [] };
  }
  const hex = text.replace(/[\s:]/g, '').toLowerCase();
  if (HEX_THUMBPRINT.test(hex)) return { kind: 'pinned', certificates: [], publicKeys: [], thumbprints: [hex] };
  return undefined;
}

export function parseServerCert(value: string): ServerCertPolicy | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '*') return { kind: 'any' };
  try {
    const inline = fromText(trimmed);
    if (inline) return inline;
    if (existsSync(trimmed)) {
      const bytes = readFileSync(trimmed);
      const fromFile = fromText(bytes.toString('utf8'));
      if (fromFile) return fromFile;
      // a DER certificate (.cer/.crt as Windows exports them)
      return { kind: 'pinned', certificates: [new X509Certificate(bytes)], publicKeys: [], thumbprints: [] };
    }
  } catch {
    // reported below as unrecognised
  }
  throw new PgError(SqlState.InvalidParameterValue, 'SSLServerCert is not a certificate, public key, thumbprint, readable file or *', {
    hint: 'Give the PEM certificate (or a file holding it), its public key, its SHA-1 thumbprint, or * to accept any certificate',
  });
}

/** The peer's chain, leaf first; Node links issuers into a cycle at the root. */
function chain(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): PeerCertificate[] {
  const out: PeerCertificate[] = [];
  for (let c: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = leaf; c && c.raw && !out.includes(c); c = c.issuerCertificate) {
    out.push(c);
  }
  return out;
}

/** Whether any certificate the server presented is the pinned one (by DER, public key or thumbprint). */
export function matchesPin(policy: ServerCertPolicy, peer: PeerCertificate): boolean {
  if (policy.kind === 'any') return true;
  for (const cert of chain(peer)) {
    if (policy.certificates.some((pinned) => pinned.raw.equals(cert.raw))) return true;
    if (policy.thumbprints.length) {
      const prints = ['md5', 'sha1', 'sha256'].map((alg) => createHash(alg).update(cert.raw).digest('hex'));
      if (policy.thumbprints.some((t) => prints.includes(t))) return true;
    }
    if (policy.publicKeys.length) {
      const spki = new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' });
      if (policy.publicKeys.some((k) => k.export({ type: 'spki', format: 'der' }).equals(spki))) return true;
    }
  }
  return false;
}
