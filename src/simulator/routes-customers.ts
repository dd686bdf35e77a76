/** Customers: a desk's customer list, adding/removing desk customers, and creating customers. */
import { agentDeskFor, requireAgent } from './access.ts';
import { ApiError, badRequest } from './errors.ts';
import type { SimUser } from './model.ts';
import { MAX_LIMIT } from './paging.ts';
import { createRng, deriveSeed } from './prng.ts';
import { API_PATH, userJson, userOf } from './render-user.ts';
import { boolParam, listReply, stringField, textMatcher, usersFromBody } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const adminDesk = (ctx: RouteContext) =>
  agentDeskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId, "manage this service desk's customers");

export function registerCustomerRoutes(router: Router): void {
  router.get(`${API_PATH}/servicedesk/{serviceDeskId}/customer`, (ctx) => {
    const desk = adminDesk(ctx);
    const v = ctx.view;
    const term = ctx.query.get('query');
    const matches = term ? textMatcher(term) : undefined;
    const customers = desk.customerIds.map((id) => userOf(v, id)).filter((u) => !matches || [u.displayName, u.username, u.email].some(matches));
    return listReply(ctx, customers, MAX_LIMIT.general, (u) => userJson(v, u));
  });

  router.post(`${API_PATH}/servicedesk/{serviceDeskId}/customer`, (ctx) => {
    const desk = adminDesk(ctx);
    const added = usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId);
    desk.customerIds.push(...added.filter((id) => !desk.customerIds.includes(id)));
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.delete(`${API_PATH}/servicedesk/{serviceDeskId}/customer`, (ctx) => {
    const desk = adminDesk(ctx);
    const gone = new Set(usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId));
    desk.customerIds = desk.customerIds.filter((id) => !gone.has(id));
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.post(`${API_PATH}/customer`, (ctx) => {
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
