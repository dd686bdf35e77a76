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

/** The private key of a store (for signing); a wrong or missing password is a 28000 naming the property. */
export function privateKeyOf(store: CertStore, password: string, names: StoreProperties): KeyObject {
  if (store.kind === 'pem') {
    if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(store.pem)) {
      throw new PgError(SqlState.InvalidAuthorizationSpecification, `${names.store} holds no private key`, {
        hint: 'Give the private key (PEM), not the public key or certificate registered in the application link',
      });
    }
    try {
      return createPrivateKey({ key: store.pem, format: 'pem', passphrase: password });
    } catch {
      throw wrongPassword(names, password, 'the PEM private key could not be decrypted or parsed');
    }
  }
  const contents = pkcs12(store.der, password, names);
  const key = contents.keys[0];
  if (!key) throw new PgError(SqlState.InvalidAuthorizationSpecification, `${names.store} (PKCS#12) holds no private key`);
  return key;
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

/**
 * The seed's subject rule: '*' takes the first certificate; otherwise an exact match of the
 * distinguished name, else the first whose subject contains the value.
 */
export function subjectMatches(certificates: X509Certificate[], subject: string): boolean {
  if (subject === '' || subject === '*') return true;
  const normalize = (s: string) => s.replace(/\s*[,\n]\s*/g, ',').replace(/^,|,$/g, '').toLowerCase();
  const wanted = normalize(subject);
  const subjects = certificates.map((c) => normalize(c.subject));
  return subjects.includes(wanted) || subjects.some((s) => s.includes(wanted));
}
