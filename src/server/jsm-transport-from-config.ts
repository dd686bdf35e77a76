/**
 * The OAuth 1.0a credentials and the way to JSM (TLS trust, client certificate, proxy) of a
 * connection, from its properties. SSLServerCert=* turns certificate checking off: said at WARN
 * each time a client is built with it, so it cannot go unnoticed in the start-up log.
 */
import type { Logger } from 'pino';
import type { ConnectionProperties } from '../config/index.ts';
import { bindOAuth1Consumer } from '../jsm/auth/oauth1-binding.ts';
import { oauth1KeyFrom, wantsOAuth1, type OAuth1Credentials } from '../jsm/auth/oauth1.ts';
import type { JsmClient } from '../jsm/index.ts';
import { siteFor } from '../jsm/site-registry.ts';
import type { TransportSecurity } from '../jsm/tls/transport-security.ts';
import { parseBaseUrl } from '../jsm/url.ts';

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
