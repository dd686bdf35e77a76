/**
 * Personal access tokens (Jira Data Center 8.14+): AuthScheme PersonalAccessToken sends the
 * APIToken property as `Authorization: Bearer <token>`. A PAT belongs to one user and needs no
 * User; User, when given, only names the principal in messages.
 */
import type { JsmCredentials } from '../types.ts';
import { requireProperty, type AuthProvider, type SignedRequest } from './provider.ts';

class PersonalAccessTokenAuth implements AuthProvider {
  readonly scheme = 'PersonalAccessToken' as const;
  readonly checkProperties = 'APIToken (the personal access token)';
  readonly usedProperties = 'APIToken as a bearer token';
  readonly principal: string;
  readonly #header: string;
  readonly #material: string;

  constructor(token: string, user: string | undefined) {
    this.principal = user ? user : 'the personal access token';
    this.#header = `Bearer ${token}`;
    this.#material = `PersonalAccessToken\n${token}`;
  }

  headers(_request?: SignedRequest): Record<string, string> {
    return { authorization: this.#header };
  }

  identityMaterial(): string {
    return this.#material;
  }
}

export function personalAccessTokenAuth(credentials: JsmCredentials): AuthProvider {
  const token = requireProperty('PersonalAccessToken', 'apiToken', credentials.apiToken);
  return new PersonalAccessTokenAuth(token, credentials.user || undefined);
}
