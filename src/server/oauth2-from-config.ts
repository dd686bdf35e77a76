/**
 * The OAuth 2.0 (3LO) state of a connection, from its properties: built when AuthScheme=OAuth asks
 * for a flow (InitiateOAuth other than OFF) or names an app or a site (OAuthClientId, CloudId), so
 * that the OAuth procedures work; a bare OAuthAccessToken keeps the plain bearer provider.
 * The settings file's key comes from the environment (JSM_PG_OAUTH_KEY), never from a property:
 * properties show in sys_connection_props and in connection strings, the key must not.
 */
import type { Logger } from 'pino';
import type { ConnectionProperties } from '../config/index.ts';
import { DEFAULT_OAUTH_SCOPE } from '../config/properties-oauth.ts';
import { endpointsFor } from '../jsm/auth/oauth2/endpoints.ts';
import { fetchVia } from '../jsm/auth/oauth2/http.ts';
import { OAuth2Session } from '../jsm/auth/oauth2/index.ts';
import { siteFor } from '../jsm/site-registry.ts';
import type { TransportSecurity } from '../jsm/tls/transport-security.ts';

export const OAUTH_KEY_ENV = 'JSM_PG_OAUTH_KEY';
/** The origin of a stand-in for auth.atlassian.com and api.atlassian.com (the simulator, a recording proxy). */
export const ATLASSIAN_ORIGIN_ENV = 'JSM_PG_ATLASSIAN_ORIGIN';
/** Jira Data Center's scopes are READ, WRITE, ADMIN, SYSTEM_ADMIN: the Cloud default list means WRITE there (reads and requests). */
const DATA_CENTER_DEFAULT_SCOPE = 'WRITE';

/**
 * `transport`: the site's TLS and proxy settings; the token and accessible-resources calls go through
 * the same dispatchers as the JSM calls (siteFor), so SSLServerCert, SSLClientCert* and Proxy* apply.
 */
export function oauth2SessionFromConfig(
  conn: ConnectionProperties,
  logger: Logger,
  transport?: TransportSecurity,
  env: NodeJS.ProcessEnv = process.env,
): OAuth2Session | undefined {
  const set = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : String(value));
  // a signing key (OAuthJWTCert, or the private application's CertificateStore) means OAuth 1.0a, as the seed's application-link instructions set it up
  if (conn.AuthScheme !== 'OAuth' || String(conn.OAuthVersion) === '1.0' || set(conn.OAuthJWTCert) || set(conn.CertificateStore)) return undefined;
  if (conn.InitiateOAuth === 'OFF' && !set(conn.OAuthClientId) && !set(conn.CloudId)) return undefined;
  const atlassianOrigin = set(env[ATLASSIAN_ORIGIN_ENV]);
  const flavor = endpointsFor(conn.URL, atlassianOrigin).flavor;
  const session = new OAuth2Session({
    initiate: conn.InitiateOAuth,
    siteUrl: conn.URL,
    atlassianOrigin,
    // the client's own limit, so sharing the site's pool does not change it
    fetch: fetchVia((origin) => siteFor(origin, Math.max(1, Math.floor(conn.MaxConcurrency || 8)), transport).pool),
    clientId: set(conn.OAuthClientId),
    clientSecret: set(conn.OAuthClientSecret),
    scope: flavor === 'datacenter' && conn.Scope === DEFAULT_OAUTH_SCOPE ? DATA_CENTER_DEFAULT_SCOPE : conn.Scope,
    callbackUrl: set(conn.CallbackURL),
    settingsLocation: conn.OAuthSettingsLocation,
    settingsKey: set(env[OAUTH_KEY_ENV]),
    verifier: set(conn.OAuthVerifier),
    accessToken: set(conn.OAuthAccessToken),
    refreshToken: set(conn.OAuthRefreshToken),
    expiresIn: set(conn.OAuthExpiresIn),
    tokenTimestamp: set(conn.OAuthTokenTimestamp),
    cloudId: set(conn.CloudId),
    logger: logger.child({ component: 'oauth2' }),
  });
  // GETANDREFRESH without a token: the authorization URL goes to the log at start, not at the first query
  void session.prepare();
  return session;
}
