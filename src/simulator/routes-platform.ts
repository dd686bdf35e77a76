/**
 * GET /rest/servicedeskapi/info plus the Jira platform endpoints a client uses
 * around the servicedeskapi: myself, serverInfo, and user search (Cloud
 * /users/search, Data Center /user/search), paged with startAt/maxResults.
 */
import { isAgent } from './access.ts';
import { dateJson } from './dates.ts';
import { PlatformError } from './errors.ts';
import type { SimUser } from './model.ts';
import { myselfJson, platformUserJson, serverInfoJson, type UserFlavor } from './render-platform.ts';
import { API_PATH, apiUrl } from './render-user.ts';
import type { RouteContext, Router } from './router.ts';

/** Jira's platform user search returns at most this many users per call. */
const MAX_RESULTS = 1000;

function platformInt(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new PlatformError(400, `The '${name}' parameter must be a non-negative integer.`);
  return Number(raw);
}

function platformBool(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  return raw === null ? fallback : raw.toLowerCase() === 'true';
}

function userSearch(ctx: RouteContext, users: SimUser[], flavor: UserFlavor) {
  if (!isAgent(ctx.view.viewer)) throw new PlatformError(403, 'You do not have the permission to browse users.');
  const startAt = platformInt(ctx.query, 'startAt', 0);
  const maxResults = Math.min(platformInt(ctx.query, 'maxResults', 50), MAX_RESULTS);
  return { status: 200, body: users.slice(startAt, startAt + maxResults).map((u) => platformUserJson(ctx.view, u, flavor)) };
}

export function registerPlatformRoutes(router: Router): void {
  router.get(
    `${API_PATH}/info`,
    ({ view: v }) => ({
      status: 200,
      body: {
        version: '10.4.0',
        platformVersion: '1001.0.0-SNAPSHOT',
        buildDate: dateJson(Date.UTC(2025, 0, 10)),
        buildChangeSet: 'c6679417c550918e7c94a9eaaada133f15dc8ff0',
        isLicensedForUse: true,
        _links: { self: apiUrl(v, '/info') },
      },
    }),
    { anonymous: true },
  );

  for (const version of ['2', '3']) {
    const flavor: UserFlavor = version === '3' ? 'cloud' : 'server';
    router.get(`/rest/api/${version}/myself`, ({ view: v }) => ({ status: 200, body: myselfJson(v, flavor) }));
    router.get(`/rest/api/${version}/serverInfo`, ({ view: v }) => ({ status: 200, body: serverInfoJson(v) }), { anonymous: true });
    // Cloud serves /users/search in both versions; it lists every account, customers included.
    router.get(`/rest/api/${version}/users/search`, (ctx) => userSearch(ctx, ctx.view.store.state.users, 'cloud'));
  }

  router.get('/rest/api/2/user/search', (ctx) => {
    const term = (ctx.query.get('username') ?? ctx.query.get('query') ?? '').toLowerCase();
    const everyone = term === '' || term === '.' || term === '%' || term === '*';
    const includeActive = platformBool(ctx.query, 'includeActive', true);
    const includeInactive = platformBool(ctx.query, 'includeInactive', false);
    const users = ctx.view.store.state.users.filter(
      (u) =>
        (u.active ? includeActive : includeInactive) &&
        (everyone || [u.username, u.email, u.displayName].some((s) => s.toLowerCase().includes(term))),
    );
    return userSearch(ctx, users, 'server');
  });
}
