/**
 * Reads the certificate stores the connector's properties name (OAuthJWTCert*, SSLClientCert*):
 * a PEM file or blob (private key, optionally with its certificate) or a PKCS#12 file or blob.
 * The Windows and Java store types of the seed cannot exist on this gateway and are refused.
 * Errors name the property and the step, never the password or the key.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { PgError, SqlState } from '../../errors/index.ts';
import { readPkcs12, Pkcs12Error } from '../auth/pkcs12.ts';

export type CertStore = { kind: 'pem'; pem: string } | { kind: 'pfx'; der: Buffer };

/** Names of the properties of one store, for messages (e.g. OAuthJWTCert, OAuthJWTCertType, OAuthJWTCertPassword). */
export interface StoreProperties {
  store: string;
  type: string;
  password: string;
  /** The property choosing a certificate (and its key) by subject, where there is one (CertificateSubject). */
  subject?: string;
}

const FILE_TYPES = new Set(['PEMKEY_FILE', 'PFXFILE']);
const SUPPORTED = ['PEMKEY_FILE', 'PEMKEY_BLOB', 'PFXFILE', 'PFXBLOB'];

const isPem = (text: string): boolean => text.includes('-----BEGIN ');

function sniff(bytes: Buffer): CertStore {
  const text = bytes.toString('latin1');
  return isPem(text) ? { kind: 'pem', pem: bytes.toString('utf8') } : { kind: 'pfx', der: bytes };
}

/**
 * USER and MACHINE (the seed's defaults) are Windows stores; a value given with them is read
 * by its content (a file or a blob, PEM or PKCS#12), so a plain path works without a type.
 */
export function readCertStore(value: string, type: string, names: StoreProperties): CertStore {
  const upper = type.toUpperCase();
  const inferred = upper === 'USER' || upper === 'MACHINE' || upper === '';
  if (!inferred && !SUPPORTED.includes(upper)) {
    throw new PgError(SqlState.FeatureNotSupported, `${names.type} ${type} is not supported by this gateway`, {
      hint: `Use ${SUPPORTED.join(', ')}`,
    });
  }
  const asFile = FILE_TYPES.has(upper) || (inferred && !isPem(value) && !/^[A-Za-z0-9+/=\s]+$/.test(value));
  if (asFile) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(value);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'unreadable';
      throw new PgError(SqlState.InvalidAuthorizationSpecification, `cannot read the ${names.store} file (${code})`, {
        hint: `${names.store} names a file for ${names.type} ${type || 'PEMKEY_FILE'}`,
      });
    }
    const store = sniff(bytes);
    if (upper === 'PFXFILE' && store.kind === 'pem') return { kind: 'pfx', der: bytes };
    return store;
  }
  if (isPem(value)) return { kind: 'pem', pem: value };
  // A blob is base64 (the seed's PEMKEY_BLOB and PFXBLOB); it may hold PEM text or PKCS#12 bytes.
  const decoded = sniff(Buffer.from(value.replace(/\s+/g, ''), 'base64'));
  if (upper === 'PFXBLOB' && decoded.kind === 'pem') {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `${names.store} is not a base64 PKCS#12 blob`);
  }
  return decoded;
}

function wrongPassword(names: StoreProperties, password: string, why: string): PgError {
  const step = password === '' ? `${names.store} is encrypted: set ${names.password}` : `${names.password} does not open ${names.store}`;
  return new PgError(SqlState.InvalidAuthorizationSpecification, step, { detail: why });
}

const PEM_KEY = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/g;

/** Every private key of a store, in its order; a wrong or missing password is a 28000 naming the property. */
function keysOf(store: CertStore, password: string, names: StoreProperties): KeyObject[] {
  if (store.kind === 'pfx') {
    const keys = pkcs12(store.der, password, names).keys;
    if (!keys.length) throw new PgError(SqlState.InvalidAuthorizationSpecification, `${names.store} (PKCS#12) holds no private key`);
    return keys;
  }
  const blocks = store.pem.match(PEM_KEY) ?? [];
  if (!blocks.length) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `${names.store} holds no private key`, {
      hint: 'Give the private key (PEM) too, not only a public key or certificate (for OAuth 1.0a: not the one registered in the application link)',
    });
  }
  return blocks.map((key) => {
    try {
      return createPrivateKey({ key, format: 'pem', passphrase: password });
    } catch {
      throw wrongPassword(names, password, 'the PEM private key could not be decrypted or parsed');
    }
  });
}

export const anySubject = (subject: string | undefined): boolean => subject === undefined || subject.trim() === '' || subject.trim() === '*';

/**
 * The private key of a store (for signing): the first one, or with a subject (the seed's
 * CertificateSubject) the key of the certificate it selects. A wrong or missing password, no key
 * or no matching certificate is a 28000 naming the property.
 */
export function privateKeyOf(store: CertStore, password: string, names: StoreProperties, subject?: string): KeyObject {
  return anySubject(subject) ? keysOf(store, password, names)[0]! : keyPairOf(store, password, names, subject!).key;
}

/**
 * The certificate a subject selects, its private key, and the store's certificates without a key
 * (its chain): what a TLS client presents, where Node given the whole store would take its first pair.
 */
export function keyPairOf(store: CertStore, password: string, names: StoreProperties, subject: string): { key: KeyObject; certificate: X509Certificate; chain: X509Certificate[] } {
  const keys = keysOf(store, password, names);
  const certificates = certificatesOf(store, password, names);
  const chosen = certificateBySubject(certificates, subject);
  const subjectProperty = names.subject ?? 'the subject';
  if (!chosen) {
    // certificates are public: listing their subjects says what to write
    const held = certificates.slice(0, 5).map((c) => c.subject.replace(/\n/g, ', '));
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `no certificate in ${names.store} matches ${subjectProperty}`, {
      hint: held.length
        ? `${names.store} holds ${held.map((h) => JSON.stringify(h)).join('; ')}; give one of these subjects (or a part of it), or * for the first`
        : `${names.store} holds no certificate to choose by subject: set ${subjectProperty} to *`,
    });
  }
  const key = keys.find((k) => chosen.checkPrivateKey(k));
  if (!key) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `${names.store} holds no private key for the certificate ${subjectProperty} selects`, {
      detail: `Selected: ${chosen.subject.replace(/\n/g, ', ')}`,
    });
  }
  const chain = certificates.filter((c) => c !== chosen && !keys.some((k) => c.checkPrivateKey(k)));
  return { key, certificate: chosen, chain };
}

function pkcs12(der: Buffer, password: string, names: StoreProperties): ReturnType<typeof readPkcs12> {
  try {
    return readPkcs12(der, password);
  } catch (err) {
    if (err instanceof Pkcs12Error && !/password/.test(err.message)) {
      throw new PgError(SqlState.InvalidAuthorizationSpecification, `${names.store} is not a usable PKCS#12 store: ${err.message}`);
    }
    throw wrongPassword(names, password, 'the PKCS#12 store could not be decrypted');
  }
}

/** The store's certificates, for choosing one by subject. */
export function certificatesOf(store: CertStore, password: string, names: StoreProperties): X509Certificate[] {
  if (store.kind === 'pfx') return pkcs12(store.der, password, names).certificates;
  const blocks = store.pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/** The seed's short field names (S, E) as OpenSSL and Node print them (ST, emailAddress). */
const FIELD_ALIASES: Record<string, string> = { S: 'ST', E: 'EMAILADDRESS', EMAIL: 'EMAILADDRESS' };

/** `FIELD=value` lower-cased, a quoted value unquoted; a part without '=' is kept as text to search for. */
function normalizeField(part: string): string {
  const eq = part.indexOf('=');
  if (eq < 0) return part.toLowerCase();
  const field = part.slice(0, eq).trim().toUpperCase();
  let value = part.slice(eq + 1).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return `${FIELD_ALIASES[field] ?? field}=${value}`.toLowerCase();
}

/**
 * A subject's fields: the seed writes them comma-separated with a value holding a comma quoted
 * (", OU=test, C=US,"); Node prints one per line with a comma escaped (CN=a\, b).
 */
export function subjectFields(subject: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < subject.length; i++) {
    const ch = subject[i]!;
    if (ch === '\\' && i + 1 < subject.length) current += subject[++i];
    else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if ((ch === ',' || ch === '\n') && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '').map(normalizeField);
}

/**
 * The seed's subject rule: '*' (or nothing) takes the first certificate; otherwise the one whose
 * subject has exactly the given fields (in any order), else the first whose subject contains the
 * value; none is undefined.
 */
export function certificateBySubject(certificates: X509Certificate[], subject: string): X509Certificate | undefined {
  if (anySubject(subject)) return certificates[0];
  const wanted = subjectFields(subject);
  const sameFields = (fields: string[]) => fields.length === wanted.length && [...fields].sort().join('\n') === [...wanted].sort().join('\n');
  const named = certificates.map((certificate) => ({ certificate, fields: subjectFields(certificate.subject) }));
  const text = wanted.join(',');
  return (named.find((n) => sameFields(n.fields)) ?? named.find((n) => n.fields.join(',').includes(text)))?.certificate;
}
