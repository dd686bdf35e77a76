import { PgError, SqlState } from '../../errors/index.ts';
import type { JsmCredentials } from '../types.ts';
import { requireProperty, type AuthProvider, type SignedRequest, type ResolvedScheme } from './provider.ts';

/**
 * HTTP Basic with User plus a secret: the password (Data Center) or an API
 * token (Cloud, where JSM takes the token in place of the password).
 */
class BasicHeaderAuth implements AuthProvider {
  readonly principal: string;
  readonly checkProperties = 'User/APIToken/Password';
  readonly usedProperties: string;
  readonly #header: string;
  readonly #material: string;

  constructor(
    readonly scheme: ResolvedScheme,
    user: string,
    secret: string,
    secretProperty: string,
  ) {
    // RFC 7617: the user-id cannot contain a colon; JSM would see a different user.
    if (user.includes(':')) {
      throw new PgError(SqlState.InvalidAuthorizationSpecification, 'the User connection property must not contain ":"');
    }
    this.principal = user;
    this.usedProperties = `User and ${secretProperty}`;
    this.#header = `Basic ${Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')}`;
    this.#material = `${scheme}\n${user}\n${secret}`;
  }

  headers(_request?: SignedRequest): Record<string, string> {
    return { authorization: this.#header };
  }

  identityMaterial(): string {
    return this.#material;
  }
}

export function basicAuth(credentials: JsmCredentials): AuthProvider {
  const user = requireProperty('Basic', 'user', credentials.user);
  const password = requireProperty('Basic', 'password', credentials.password);
  return new BasicHeaderAuth('Basic', user, password, 'Password');
}

export function apiTokenAuth(credentials: JsmCredentials): AuthProvider {
  const user = requireProperty('APIToken', 'user', credentials.user);
  const token = requireProperty('APIToken', 'apiToken', credentials.apiToken);
  return new BasicHeaderAuth('APIToken', user, token, 'APIToken');
}
