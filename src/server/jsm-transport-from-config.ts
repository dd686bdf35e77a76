/**
 * The OAuth 1.0a credentials and the way to JSM (TLS trust, client certificate, proxy) of a
 * connection, from its properties. SSLServerCert=* turns certificate checking off: said at WARN
 * each time a client is built with it, so it cannot go unnoticed in the start-up log.
 */
import type { Logger } from 'pino';
import type { ConnectionProperties } from '../config/index.ts';
import type { OAuth1Credentials } from '../jsm/auth/oauth1.ts';
import type { TransportSecurity } from '../jsm/tls/transport-security.ts';

const set = (value: string | number | undefined): string | undefined => (value === undefined || value === '' ? undefined : String(value));

export function oauth1FromConfig(conn: ConnectionProperties): OAuth1Credentials {
  return {
    version: String(conn.OAuthVersion),
    consumerKey: set(conn.OAuthClientId),
    cert: set(conn.OAuthJWTCert),
    certType: conn.OAuthJWTCertType,
    certPassword: set(conn.OAuthJWTCertPassword),
    accessTokenSecret: set(conn.OAuthAccessTokenSecret),
    verifier: set(conn.OAuthVerifier),
    requestToken: set(conn.AuthToken),
    requestTokenSecret: set(conn.AuthKey),
  };
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
