/**
 * Rendering context and user shapes. A View says who is looking, in which
 * language and at which address, because links and visibility depend on it.
 */
import type { Lang } from './i18n.ts';
import type { SimUser } from './model.ts';
import type { Store } from './store.ts';

export interface View {
  /** scheme://host:port every link is built on. */
  origin: string;
  lang: Lang;
  viewer: SimUser;
  store: Store;
  /** Largest inline page of an expanded collection (Requests' expand=comment, …); default: the endpoint's own maximum. */
  inlinePageSize?: number;
}

/** Root of the servicedeskapi; route templates and links are built on it. */
export const API_PATH = '/rest/servicedeskapi';

export const apiUrl = (v: Pick<View, 'origin'>, path: string): string => `${v.origin}${API_PATH}${path}`;

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function avatarUrls(origin: string, user: SimUser): Record<string, string> {
  const owner = encodeURIComponent(user.accountId);
  const sizes: Array<[string, string]> = [['48x48', 'large'], ['24x24', 'small'], ['16x16', 'xsmall'], ['32x32', 'medium']];
  return Object.fromEntries(sizes.map(([dim, size]) => [dim, `${origin}/secure/useravatar?size=${size}&ownerId=${owner}`]));
}

export const platformUserUrl = (origin: string, user: SimUser): string =>
  `${origin}/rest/api/2/user?accountId=${encodeURIComponent(user.accountId)}`;

/**
 * UserDTO. `name` and `key` carry the username: Cloud dropped them for
 * privacy, Data Center still returns them, and the connector's *Key/*Name
 * columns read them.
 */
export function userJson(v: Pick<View, 'origin'>, user: SimUser) {
  const self = platformUserUrl(v.origin, user);
  return {
    accountId: user.accountId,
    name: user.username,
    key: user.username,
    emailAddress: user.email,
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    _links: { jiraRest: self, avatarUrls: avatarUrls(v.origin, user), self },
  };
}

/** Resolves an account id that the generator or a write guaranteed to exist. */
export function userOf(v: Pick<View, 'store'>, accountId: string): SimUser {
  const user = v.store.user(accountId);
  if (!user) throw new Error(`Unknown account ${accountId}`);
  return user;
}
