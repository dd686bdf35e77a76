/** Customers: a desk's customer list, adding/removing desk customers, and creating customers. */
import { deskFor, requireAgent } from './access.ts';
import { ApiError, badRequest } from './errors.ts';
import type { SimUser } from './model.ts';
import { MAX_LIMIT, pageJson, readPage } from './paging.ts';
import { createRng, deriveSeed } from './prng.ts';
import { userJson, userOf } from './render-user.ts';
import { boolParam, stringField, textMatcher, usersFromBody } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';

const API = '/rest/servicedeskapi';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function adminDesk(ctx: RouteContext) {
  const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
  requireAgent(ctx.view.viewer, "manage this service desk's customers");
  return desk;
}

export function registerCustomerRoutes(router: Router): void {
  router.get(`${API}/servicedesk/{serviceDeskId}/customer`, (ctx) => {
    const desk = adminDesk(ctx);
    const { view: v, query, url } = ctx;
    const term = query.get('query');
    const matches = term ? textMatcher(term) : undefined;
    const customers = desk.customerIds.map((id) => userOf(v, id)).filter((u) => !matches || [u.displayName, u.username, u.email].some(matches));
    return { status: 200, body: pageJson(v.origin, url.pathname, query, customers, readPage(query, MAX_LIMIT.general), (u) => userJson(v, u)) };
  });

  router.post(`${API}/servicedesk/{serviceDeskId}/customer`, (ctx) => {
    const desk = adminDesk(ctx);
    for (const user of usersFromBody(ctx.view.store, ctx.json())) if (!desk.customerIds.includes(user.accountId)) desk.customerIds.push(user.accountId);
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.delete(`${API}/servicedesk/{serviceDeskId}/customer`, (ctx) => {
    const desk = adminDesk(ctx);
    const gone = new Set(usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId));
    desk.customerIds = desk.customerIds.filter((id) => !gone.has(id));
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.post(`${API}/customer`, (ctx) => {
    const { view: v, query } = ctx;
    requireAgent(v.viewer, 'create customers');
    const body = ctx.json();
    const email = stringField(body, 'email', true).trim();
    const displayName = stringField(body, 'displayName') ?? stringField(body, 'fullName') ?? email;
    if (!EMAIL.test(email)) throw badRequest(`'${email}' is not a valid e-mail address.`, 'sd.api.customer.email.invalid', [email]);
    if (v.store.userByLogin(email)) {
      const status = boolParam(query, 'strictConflictStatusCode', false) ? 409 : 400;
      throw new ApiError(status, `A user with the e-mail address '${email}' already exists.`, 'sd.api.customer.email.exists', [email]);
    }
    const n = v.store.state.counters.user++;
    const rng = createRng(deriveSeed(v.store.seed, `customer-${n}`));
    const local = email.split('@')[0].toLowerCase();
    const user: SimUser = {
      accountId: `qm:${rng.uuid()}:${rng.hex(24)}`,
      username: v.store.userByLogin(local) ? `${local}${n}` : local,
      email,
      displayName,
      timeZone: 'UTC',
      locale: 'en_US',
      active: true,
      kind: 'customer',
    };
    v.store.addUser(user);
    v.store.tick();
    return { status: 201, body: userJson(v, user) };
  });
}
