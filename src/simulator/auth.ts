/**
 * Resolves the Authorization header the ways Jira accepts it: Basic with
 * e-mail + API token (Cloud) or username + password (Data Center), and Bearer
 * with a personal access token (Data Center) or an OAuth 2.0 access token.
 * Only the documented default identities have credentials.
 */
import { SIM_IDENTITIES, type SimIdentity } from './identities.ts';
import type { SimUser } from './model.ts';
import type { Store } from './store.ts';

export type AuthScheme = 'basic-api-token' | 'basic-password' | 'bearer-pat' | 'bearer-oauth' | 'session-cookie' | 'oauth1';

export interface Authentication {
  user: SimUser;
  scheme: AuthScheme;
}

/** `missing` when no header was sent, `invalid` when it was sent but does not identify anyone. */
export type AuthResult = Authentication | 'missing' | 'invalid';

const IDENTITIES: SimIdentity[] = [SIM_IDENTITIES.agent, SIM_IDENTITIES.customer];

function match(header: string): { identity: SimIdentity; scheme: AuthScheme } | undefined {
  const [kind, ...rest] = header.trim().split(/\s+/);
  const credential = rest.join(' ');
  if (/^basic$/i.test(kind)) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const login = decoded.slice(0, colon).toLowerCase();
    const secret = decoded.slice(colon + 1);
    for (const identity of IDENTITIES) {
      if (login === identity.email && secret === identity.apiToken) return { identity, scheme: 'basic-api-token' };
      if (login === identity.username && secret === identity.password) return { identity, scheme: 'basic-password' };
    }
  } else if (/^bearer$/i.test(kind)) {
    for (const identity of IDENTITIES) {
      if (credential === identity.pat) return { identity, scheme: 'bearer-pat' };
      if (credential === identity.oauthToken) return { identity, scheme: 'bearer-oauth' };
    }
  }
  return undefined;
}

export function authenticate(store: Store, header: string | undefined): AuthResult {
  if (!header) return 'missing';
  const found = match(header);
  const user = found && store.user(found.identity.accountId);
  return found && user ? { user, scheme: found.scheme } : 'invalid';
}

/** What the call log may say about a caller: who, and how, but never the secret. */
export function describeIdentity(auth: AuthResult): { accountId: string; email: string; scheme: AuthScheme } | null {
  return typeof auth === 'string' ? null : { accountId: auth.user.accountId, email: auth.user.email, scheme: auth.scheme };
}
