/**
 * The OAuth 1.0a credentials (its key from OAuthJWTCert* or the seed's private-application
 * CertificateStore*) and the way to JSM (TLS trust, client certificate, proxy) of a
 * connection, from its properties. SSLServerCert=* turns certificate checking off: said at WARN
 * each time a client is built with it, so it cannot go unnoticed in the start-up log.
 */
import type { Logger } from 'pino';
import type { ConnectionProperties } from '../config/index.ts';
import { bindOAuth1Consumer } from '../jsm/auth/oauth1-binding.ts';
import { oauth1KeyFrom, wantsOAuth1, type OAuth1Credentials } from '../jsm/auth/oauth1.ts';
import { privateAppKey } from '../jsm/auth/private-app-key.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { JsmClient } from '../jsm/index.ts';
import { siteFor } from '../jsm/site-registry.ts';
import type { TransportSecurity } from '../jsm/tls/transport-security.ts';
import { parseBaseUrl } from '../jsm/url.ts';

const set = (value: string | number | undefined): string | undefined => (value === undefined || value === '' ? undefined : String(value));

export function oauth1FromConfig(conn: ConnectionProperties): OAuth1Credentials {
  const privateApp = privateAppKeyFromConfig(conn);
  return {
    version: String(conn.OAuthVersion),
    consumerKey: set(conn.OAuthClientId),
    ...(privateApp ?? { cert: set(conn.OAuthJWTCert), certType: conn.OAuthJWTCertType, certPassword: set(conn.OAuthJWTCertPassword) }),
    accessTokenSecret: set(conn.OAuthAccessTokenSecret),
    verifier: set(conn.OAuthVerifier),
    requestToken: set(conn.AuthToken),
    requestTokenSecret: set(conn.AuthKey),
  };
}

const misplaced = (message: string, hint: string) => new PgError(SqlState.InvalidParameterValue, message, { hint });

/**
 * CertificateStore (with CertificateStoreType, CertificateStorePassword, CertificateSubject): the
 * private application's key, which OAuth 1.0a signs with, as OAuthJWTCert would give it. Two keys
 * (OAuthJWTCert too), a key for a scheme that signs nothing, or the companion properties without a
 * store are refused at start rather than one of them ignored.
 */
function privateAppKeyFromConfig(conn: ConnectionProperties): Partial<OAuth1Credentials> | undefined {
  const store = set(conn.CertificateStore);
  if (!store) {
    const companions = [
      set(conn.CertificateStorePassword) && 'CertificateStorePassword',
      conn.CertificateStoreType.toUpperCase() !== 'USER' && 'CertificateStoreType',
      conn.CertificateSubject.trim() !== '*' && 'CertificateSubject',
    ].filter(Boolean);
    if (companions.length) {
      throw misplaced(`${companions.join(', ')} ${companions.length > 1 ? 'are' : 'is'} set but CertificateStore is not`, 'Set CertificateStore to the private application key store, or remove them');
    }
    return undefined;
  }
  if (set(conn.OAuthJWTCert)) {
    throw misplaced('OAuthJWTCert and CertificateStore both give the OAuth 1.0a signing key', 'Set one of them: CertificateStore (with CertificateStoreType) or OAuthJWTCert (with OAuthJWTCertType)');
  }
  if (conn.AuthScheme !== 'OAuth' && conn.AuthScheme !== 'Auto') {
    throw misplaced(`CertificateStore is the private application key OAuth 1.0a signs with; AuthScheme ${conn.AuthScheme} does not use it`, 'Set AuthScheme=OAuth (or Auto), or remove CertificateStore');
  }
  return privateAppKey({ store, type: conn.CertificateStoreType, password: conn.CertificateStorePassword, subject: conn.CertificateSubject });
}

export function transportFromConfig(conn: ConnectionProperties, logger: Logger): TransportSecurity {
  if (conn.SSLServerCert.trim() === '*') {
    logger.warn(
      { property: 'SSLServerCert', origin: safeOrigin(conn.URL) },
      "SSLServerCert=* : JSM's TLS certificate is NOT verified; anyone between the gateway and JSM can read and change the traffic, credentials included",
    );
  }
  return {
    ...(set(conn.SSLServerCert) ? { serverCert: conn.SSLServerCert } : {}),
    ...(set(conn.SSLClientCert)
      ? { clientCert: { store: conn.SSLClientCert, type: conn.SSLClientCertType, password: conn.SSLClientCertPassword, subject: conn.SSLClientCertSubject } }
      : {}),
    ...(set(conn.ProxyServer)
      ? { proxy: { server: conn.ProxyServer, port: conn.ProxyPort, ...(set(conn.ProxyUser) ? { user: conn.ProxyUser, password: conn.ProxyPassword } : {}) } }
      : {}),
  };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * With OAuth 1.0a, the client's consumer is kept for the OAuth procedures: same key, same base
 * URL, and the same site (so the token steps take the connection's TLS settings and proxy).
 */
export function bindOAuth1FromConfig(client: JsmClient, conn: ConnectionProperties, transport: TransportSecurity): void {
  const credentials = { authScheme: conn.AuthScheme as never, oauth1: oauth1FromConfig(conn) };
  if ((conn.AuthScheme !== 'OAuth' && conn.AuthScheme !== 'Auto') || !wantsOAuth1(credentials)) return;
  const o = credentials.oauth1;
  if (!o.consumerKey) return;
  const address = parseBaseUrl(conn.URL);
  bindOAuth1Consumer(client, {
    baseUrl: `${address.origin}${address.basePath}`,
    consumerKey: o.consumerKey,
    privateKey: oauth1KeyFrom(o),
    dispatcher: siteFor(address.origin, conn.MaxConcurrency, transport).pool,
  });
}
