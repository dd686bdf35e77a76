import { PgError, SqlState } from '../../errors/index.ts';
import type { JsmCredentials } from '../types.ts';
import { apiTokenAuth, basicAuth } from './basic.ts';
import { oauthAuth } from './oauth.ts';
import type { AuthProvider } from './provider.ts';

export type { AuthProvider, ResolvedScheme, SignedRequest } from './provider.ts';

const present = (value: string | undefined): boolean => value !== undefined && value !== '';

/** Auto picks the strongest credential that is set: access token, then API token, then password. */
export function createAuthProvider(credentials: JsmCredentials): AuthProvider {
  switch (credentials.authScheme) {
    case 'Basic':
      return basicAuth(credentials);
    case 'APIToken':
      return apiTokenAuth(credentials);
    case 'OAuth':
      return oauthAuth(credentials);
    case 'Auto':
      if (present(credentials.oauthAccessToken)) return oauthAuth(credentials);
      if (present(credentials.apiToken)) return apiTokenAuth(credentials);
      if (present(credentials.password)) return basicAuth(credentials);
      throw new PgError(
        SqlState.InvalidAuthorizationSpecification,
        'AuthScheme Auto requires one of the OAuthAccessToken, APIToken or Password connection properties',
      );
    default:
      throw new PgError(
        SqlState.InvalidAuthorizationSpecification,
        `AuthScheme ${JSON.stringify(String(credentials.authScheme))} is not supported by the JSM client`,
        { hint: 'Use Basic, APIToken, OAuth or Auto' },
      );
  }
}
