/**
 * The seed's private-application properties (CertificateStoreType, CertificateStore,
 * CertificateStorePassword, CertificateSubject) as the key OAuth 1.0a signs with: the same loader
 * as OAuthJWTCert (tls/cert-store.ts), with the seed's store-type names and a subject choosing
 * the certificate, and its key, in a store holding several. The store types the seed lists that
 * cannot hold a usable private key on this gateway (Windows and Java stores, public keys and
 * certificates only, PuTTY keys) are refused, naming the property and what to use instead.
 */
import { PgError, SqlState } from '../../errors/index.ts';
import type { StoreProperties } from '../tls/cert-store.ts';
import type { OAuth1Credentials } from './oauth1.ts';

export const PRIVATE_APP_KEY_PROPERTIES: StoreProperties = {
  store: 'CertificateStore',
  type: 'CertificateStoreType',
  password: 'CertificateStorePassword',
  subject: 'CertificateSubject',
};

/** The seed's CertificateStoreType values the key loader reads, as its own type names. */
const READABLE: Record<string, string> = { PFXFILE: 'PFXFILE', PFXBLOB: 'PFXBLOB', PEMKEYFILE: 'PEMKEY_FILE' };

/** Why each other type of the seed cannot give the key here. */
const REFUSED: Record<string, string> = {
  USER: "a Windows user certificate store (the seed's default), which does not exist on this gateway",
  MACHINE: 'a Windows machine certificate store, which does not exist on this gateway',
  JKSFILE: "a Java key store, which only the connector's Java edition reads",
  JKSBLOB: "a Java key store, which only the connector's Java edition reads",
  PUBLICKEYFILE: 'a public key or certificate, which cannot sign',
  PUBLICKEYBLOB: 'a public key or certificate, which cannot sign',
  SSHPUBLICKEYFILE: 'an SSH public key, which cannot sign',
  SSHPUBLICKEYBLOB: 'an SSH public key, which cannot sign',
  P10BFILE: 'a PKCS#10 file (certificates, no private key), which cannot sign',
  XMLFILE: 'a certificate in XML, which cannot sign',
  XMLBLOB: 'a certificate in XML, which cannot sign',
  PPKFILE: 'a PuTTY private key, which this gateway does not read',
};

export interface PrivateAppStore {
  store: string;
  type: string;
  password: string;
  subject: string;
}

/**
 * The OAuth 1.0a key fields for a private-application store. A type that cannot give a key here
 * is 0A000 naming CertificateStoreType and the types that work.
 */
export function privateAppKey(p: PrivateAppStore): Pick<OAuth1Credentials, 'cert' | 'certType' | 'certPassword' | 'certSubject' | 'keyProperties'> {
  const upper = p.type.toUpperCase();
  const certType = READABLE[upper];
  if (!certType) {
    const why = REFUSED[upper] ?? 'not a store type of the seed';
    throw new PgError(SqlState.FeatureNotSupported, `CertificateStoreType ${p.type} is ${why}`, {
      hint:
        'Set CertificateStoreType to PFXFile (CertificateStore names a PKCS#12 file), PFXBlob (CertificateStore is the file base64-encoded) ' +
        'or PEMKeyFile (a PEM file with the private key), with CertificateStorePassword if it is encrypted',
    });
  }
  return { cert: p.store, certType, certPassword: p.password, certSubject: p.subject, keyProperties: PRIVATE_APP_KEY_PROPERTIES };
}
