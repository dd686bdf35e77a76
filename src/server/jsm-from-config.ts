import type { Logger } from 'pino';
import type { ConnectionProperties } from '../config/index.ts';
import { JsmClient, type AuthSchemeName } from '../jsm/index.ts';
import { bindOAuth2Session } from '../jsm/auth/oauth2/index.ts';
import { oauth2SessionFromConfig } from './oauth2-from-config.ts';
import { bindOAuth1FromConfig, oauth1FromConfig, transportFromConfig } from './jsm-transport-from-config.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';

/** The gateway's one JSM client: every session of this gateway speaks to JSM as the configured identity. */
export function jsmClientFromConfig(conn: ConnectionProperties, logger: Logger, metrics?: GatewayMetrics): JsmClient {
  // An empty property is an unset one (the registry's default for credentials is '').
  const set = (value: string): string | undefined => (value === '' ? undefined : value);
  const transport = transportFromConfig(conn, logger);
  const oauth2 = oauth2SessionFromConfig(conn, logger, transport);
  const client = new JsmClient({
    baseUrl: conn.URL,
    credentials: {
      authScheme: clientScheme(conn.AuthScheme),
      user: set(conn.User),
      password: set(conn.Password),
      apiToken: set(conn.APIToken),
      oauthAccessToken: set(conn.OAuthAccessToken),
      oauth1: oauth1FromConfig(conn),
      ...(oauth2 ? { oauth2 } : {}),
      sso: {
        loginUrl: set(conn.SSOLoginURL),
        exchangeUrl: set(conn.SSOExchangeUrl),
        appName: set(conn.SSOAppName),
        appPassword: set(conn.SSOAppPassword),
        properties: set(conn.SSOProperties),
      },
    },
    transport,
    // The per-request timeout; the statement-level Timeout property is enforced by the session.
    timeoutMs: 60_000,
    maxConcurrency: conn.MaxConcurrency,
    language: set(conn.RequestLanguage),
    logger,
    metrics,
  });
  if (oauth2) bindOAuth2Session(client, oauth2);
  bindOAuth1FromConfig(client, conn, transport);
  return client;
}

/** Every scheme of the seed has a JSM client provider (Crowd and OKTA sign in through the IdP: jsm/auth/sso.ts). */
function clientScheme(scheme: ConnectionProperties['AuthScheme']): AuthSchemeName {
  return scheme;
}
