/**
 * The OAuth 2.0 (3LO) state of a connection, from its properties: built when AuthScheme=OAuth asks
 * for a flow (InitiateOAuth other than OFF) or names an app or a site (OAuthClientId, CloudId), so
 * that the OAuth procedures work; a bare OAuthAccessToken keeps the plain bearer provider.
 * The settings file's key comes from the environment (JSM_PG_OAUTH_KEY), never from a property:
 * properties show in sys_connection_props and in connection strings, the key must not.
 */
import type { Logger } from 'pino';
import type { ConnectionProperties } from '../config/index.ts';
import { OAuth2Session } from '../jsm/auth/oauth2/index.ts';

export const OAUTH_KEY_ENV = 'JSM_PG_OAUTH_KEY';

export function oauth2SessionFromConfig(conn: ConnectionProperties, logger: Logger, env: NodeJS.ProcessEnv = process.env): OAuth2Session | undefined {
  const set = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : String(value));
  // a signing key (OAuthJWTCert) means OAuth 1.0a, as the seed's application-link instructions set it up
  if (conn.AuthScheme !== 'OAuth' || String(conn.OAuthVersion) === '1.0' || set(conn.OAuthJWTCert)) return undefined;
  if (conn.InitiateOAuth === 'OFF' && !set(conn.OAuthClientId) && !set(conn.CloudId)) return undefined;
  return new OAuth2Session({
    initiate: conn.InitiateOAuth,
    siteUrl: conn.URL,
    clientId: set(conn.OAuthClientId),
    clientSecret: set(conn.OAuthClientSecret),
    scope: conn.Scope,
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
}
