import type { Logger } from 'pino';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { OAuth1Credentials } from './auth/oauth1.ts';
import type { TransportSecurity } from './tls/transport-security.ts';
import type { OAuth2Session } from './auth/oauth2/session.ts';
import type { SsoProperties } from './auth/sso-settings.ts';

export type AuthSchemeName = 'Basic' | 'APIToken' | 'PersonalAccessToken' | 'OAuth' | 'Crowd' | 'OKTA' | 'Auto';

export interface JsmCredentials {
  authScheme: AuthSchemeName;
  user?: string;
  password?: string;
  apiToken?: string;
  oauthAccessToken?: string;
  /** OAuth 1.0a (application links): consumer key, signing key, token secret, verifier exchange. */
  oauth1?: OAuth1Credentials;
  /** AuthScheme OAuth with the 3LO flow (InitiateOAuth, OAuthClientId, …): the identity's OAuth 2.0 state. */
  oauth2?: OAuth2Session;
  /** AuthScheme Crowd or OKTA: SSOLoginURL, SSOExchangeUrl, SSOAppName, SSOAppPassword, SSOProperties. */
  sso?: SsoProperties;
}

export interface JsmClientOptions {
  /** e.g. https://x.atlassian.net, or a Data Center URL with a context path such as http://host:8080/jira. */
  baseUrl: string;
  credentials: JsmCredentials;
  /** TLS trust, client certificate and proxy towards JSM (SSLServerCert, SSLClientCert*, Proxy*). */
  transport?: TransportSecurity;
  /** Per HTTP request; default 60_000; 0 = none. */
  timeoutMs?: number;
  /** In-flight requests per JSM site, shared by every client of the same origin; default 8. */
  maxConcurrency?: number;
  /** Default 5. */
  maxRetries?: number;
  /** Exponential backoff base; default 250. */
  retryBaseMs?: number;
  /** Sent as Accept-Language (the RequestLanguage connection property). */
  language?: string;
  logger?: Logger;
  /** Where API calls, retries and bytes fetched are counted (the gateway's, with --metrics-port). */
  metrics?: GatewayMetrics;
}

export type QueryValue = string | number | boolean | (string | number)[] | undefined;
export type QueryInput = Record<string, QueryValue>;

export interface RequestOpts {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface GetOpts extends RequestOpts {
  /** Resolve 404 to null instead of throwing UndefinedObject. */
  notFoundAsNull?: boolean;
}

export type PageStyleName = 'servicedesk' | 'platform';

export interface PageProgress {
  pages: number;
  rows: number;
}

export interface PageOpts extends RequestOpts {
  /** The `limit` / `maxResults` sent; default 50 (JSM's page size). */
  pageSize?: number;
  /** Stop after this many rows (LIMIT pushdown); pages beyond it are never requested. */
  maxRows?: number;
  /** Pages fetched at once at most; default maxConcurrency; 1 = sequential. */
  parallel?: number;
  /** The listing's row to read from (default: the query's start parameter, else 0). */
  start?: number;
  /** Rows the listing held from its start offset when last read to the end (see paginatePages). */
  expectedRows?: number;
  onPage?: (info: PageProgress) => void;
  /** Default: 'platform' for /rest/api/... paths, otherwise 'servicedesk'. */
  style?: PageStyleName;
}

export interface JsmClientStats {
  requests: number;
  retries: number;
}
