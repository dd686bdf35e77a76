import type { Dispatcher } from 'undici';
import { PgError, SqlState } from '../../errors/index.ts';
import type { SiteAddress } from '../url.ts';

export type ResolvedScheme = 'Basic' | 'APIToken' | 'OAuth' | 'OAuth1' | 'PersonalAccessToken' | 'Crowd' | 'OKTA';

/** The dispatcher for an origin with the connection's TLS and proxy settings (site-registry's siteFor). */
export type DispatcherFor = (origin: string) => Dispatcher;

/** What a provider may need besides the credentials: where JSM is and how to reach it (TLS, proxy). */
export interface AuthContext {
  /** The JSM base URL (origin and context path), without a trailing slash. */
  readonly baseUrl: string;
  /** The site's dispatcher, for a scheme's own calls (OAuth 1.0a token exchange). */
  readonly dispatcher?: Dispatcher;
  /**
   * For a scheme's calls to other origins (an identity provider): the same TLS trust, client
   * certificate and proxy as the calls to JSM, as OAuth 2.0's token calls have them.
   */
  readonly dispatcherFor?: DispatcherFor;
}

/** What a scheme may sign: the method and the absolute URL with its query string. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
}

/**
 * Produces the Authorization header for one set of credentials. Implementations
 * keep secrets in #private fields so that logging or inspecting a provider (or
 * the client holding it) cannot print them.
 */
export interface AuthProvider {
  readonly scheme: ResolvedScheme;
  /** Who the credentials belong to, safe to show in errors: the user name, or a description for tokens. */
  readonly principal: string;
  /** Which connection properties to check when JSM rejects the credentials. */
  readonly checkProperties: string;
  /** Which properties this scheme actually sent, for the hint on a rejection. */
  readonly usedProperties: string;
  /**
   * The credential headers of one request (Authorization, or a session Cookie). The request is
   * given because some schemes sign it (OAuth 1.0a signs method + URL + query parameters).
   */
  headers(request: SignedRequest): Record<string, string>;
  /**
   * Makes the credential usable before a request (an OAuth token refreshed when it has expired,
   * an SSO session logged into); schemes with a fixed credential have nothing to do.
   */
  ready?(signal: AbortSignal): Promise<void>;
  /**
   * JSM answered 401: gets a fresh credential (refresh token, new SSO session) and says whether
   * the request is worth sending once more. A scheme that cannot renew has none.
   */
  renew?(signal: AbortSignal): Promise<boolean>;
  /**
   * Where requests go instead of the URL, once ready() ran: an OAuth 2.0 (3LO) token is accepted
   * only by Atlassian's API gateway for the site (/ex/jira/{cloudId}), which needs the token to find.
   */
  route?(): SiteAddress | undefined;
  /** The client is closed: release what the scheme holds open (the OAuth 2.0 browser flow's callback listener). */
  close?(): void;
  /** Input for the identity hash; contains the secret and must never be logged. */
  identityMaterial(): string;
}

/** Connection-property names as users type them, so error messages point at the right setting. */
export const PropertyName = {
  user: 'User',
  password: 'Password',
  apiToken: 'APIToken',
  oauthAccessToken: 'OAuthAccessToken',
} as const;

export function requireProperty(
  scheme: ResolvedScheme,
  property: keyof typeof PropertyName,
  value: string | undefined,
): string {
  if (value === undefined || value === '') {
    throw new PgError(
      SqlState.InvalidAuthorizationSpecification,
      `AuthScheme ${scheme} requires the ${PropertyName[property]} connection property`,
    );
  }
  return value;
}
