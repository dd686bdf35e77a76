import { PgError, SqlState } from '../../errors/index.ts';
import type { JsmCredentials } from '../types.ts';
import { apiTokenAuth, basicAuth } from './basic.ts';
import { oauthAuth } from './oauth.ts';
import { oauth1Auth, wantsOAuth1 } from './oauth1.ts';
import { personalAccessTokenAuth } from './pat.ts';
import { oauth2Auth } from './oauth2/index.ts';
import { ssoAuth } from './sso.ts';
import type { AuthContext, AuthProvider } from './provider.ts';

export type { AuthContext, AuthProvider, ResolvedScheme, SignedRequest } from './provider.ts';

const present = (value: string | undefined): boolean => value !== undefined && value !== '';

/**
 * Auto picks by which properties are set, in this order: an OAuth 1.0a signing key (OAuthJWTCert or
 * the private application's CertificateStore, or OAuthVersion 1.0) → OAuth 1.0a; OAuthAccessToken → OAuth bearer; APIToken with User → APIToken
 * (Basic, Cloud); APIToken without User → PersonalAccessToken (Bearer, Data Center); Password → Basic.
 * Never Crowd or OKTA: the seed tells to set AuthScheme to them, and gives Auto no rule that tells
 * them apart from Basic (both take User and Password).
 */
export function createAuthProvider(credentials: JsmCredentials, context?: AuthContext): AuthProvider {
  switch (credentials.authScheme) {
    case 'Basic':
      return basicAuth(credentials);
    case 'APIToken':
      return apiTokenAuth(credentials);
    case 'PersonalAccessToken':
      return personalAccessTokenAuth(credentials);
    case 'OAuth':
      if (wantsOAuth1(credentials)) return oauth1Auth(credentials, context);
      return credentials.oauth2 ? oauth2Auth({ ...credentials, oauth2: credentials.oauth2 }) : oauthAuth(credentials);
    case 'Crowd':
    case 'OKTA':
      return ssoAuth(credentials, context);
    case 'Auto':
      if (wantsOAuth1(credentials)) return oauth1Auth(credentials, context);
      if (present(credentials.oauthAccessToken)) return oauthAuth(credentials);
      if (present(credentials.apiToken)) return present(credentials.user) ? apiTokenAuth(credentials) : personalAccessTokenAuth(credentials);
      if (present(credentials.password)) return basicAuth(credentials);
      throw new PgError(
        SqlState.InvalidAuthorizationSpecification,
        'AuthScheme Auto requires one of the OAuthAccessToken, APIToken or Password connection properties',
      );
    default:
      throw new PgError(
        SqlState.InvalidAuthorizationSpecification,
        `AuthScheme ${JSON.stringify(String(credentials.authScheme))} is not supported by the JSM client`,
        { hint: 'Use Basic, APIToken, PersonalAccessToken, OAuth, Crowd, OKTA or Auto' },
      );
  }
}
