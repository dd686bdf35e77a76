import type { JsmCredentials } from '../types.ts';
import { requireProperty, type AuthProvider, type SignedRequest } from './provider.ts';

/** OAuth 2.0 (3LO) or a Data Center personal access token: both are sent as a bearer token. */
class BearerAuth implements AuthProvider {
  readonly scheme = 'OAuth' as const;
  readonly checkProperties = 'OAuthAccessToken';
  readonly usedProperties = 'OAuthAccessToken';
  readonly principal: string;
  readonly #header: string;
  readonly #material: string;

  constructor(token: string, user: string | undefined) {
    this.principal = user ? user : 'the OAuth access token';
    this.#header = `Bearer ${token}`;
    this.#material = `OAuth\n${user ?? ''}\n${token}`;
  }

  headers(_request?: SignedRequest): Record<string, string> {
    return { authorization: this.#header };
  }

  identityMaterial(): string {
    return this.#material;
  }
}

export function oauthAuth(credentials: JsmCredentials): AuthProvider {
  const token = requireProperty('OAuth', 'oauthAccessToken', credentials.oauthAccessToken);
  return new BearerAuth(token, credentials.user || undefined);
}
