/** Organizations, their users, and their links to service desks. */
import { deskFor, isAgent, requireAgent } from './access.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import type { SimOrganization } from './model.ts';
import { MAX_LIMIT, pageJson, readPage } from './paging.ts';
import { createRng, deriveSeed } from './prng.ts';
import { organizationJson } from './render-catalog.ts';
import { userJson, userOf, type View } from './render-user.ts';
import { stringField, usersFromBody } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';

const API = '/rest/servicedeskapi';

function organizationOf(v: View, id: string): SimOrganization {
  const org = v.store.organization(id);
  if (!org) throw notFound(`The organization '${id}' does not exist.`, 'sd.api.organization.not.found', [id]);
  return org;
}

/** For the agent-only organization operations. */
function managedOrganization(ctx: RouteContext): SimOrganization {
  requireAgent(ctx.view.viewer, 'manage organizations');
  return organizationOf(ctx.view, ctx.params.organizationId);
}

/** Lists organizations, optionally only those a given account belongs to (agents only). */
function listOrganizations(ctx: RouteContext, orgs: SimOrganization[]) {
  const { view: v, query, url } = ctx;
  const accountId = query.get('accountId');
  if (accountId) {
    requireAgent(v.viewer, 'filter organizations by account');
    if (!v.store.user(accountId)) throw notFound(`The user '${accountId}' does not exist.`, 'sd.api.user.not.found', [accountId]);
    orgs = orgs.filter((o) => o.memberIds.includes(accountId));
  }
  return { status: 200, body: pageJson(v.origin, url.pathname, query, orgs, readPage(query, MAX_LIMIT.general), (o) => organizationJson(v, o)) };
}

function organizationIdFrom(ctx: RouteContext): SimOrganization {
  const raw = ctx.json().organizationId;
  if (raw === undefined || raw === null || !/^\d+$/.test(String(raw))) throw badRequest('organizationId (an integer) is required.', 'sd.api.field.required', ['organizationId']);
  return organizationOf(ctx.view, String(raw));
}

export function registerOrganizationRoutes(router: Router): void {
  router.get(`${API}/organization`, (ctx) => {
    const { viewer, store } = ctx.view;
    const all = store.state.organizations;
    return listOrganizations(ctx, isAgent(viewer) ? all : all.filter((o) => o.memberIds.includes(viewer.accountId)));
  });

  router.post(`${API}/organization`, (ctx) => {
    const v = ctx.view;
    requireAgent(v.viewer, 'create organizations');
    const name = stringField(ctx.json(), 'name', true).trim();
    if (v.store.state.organizations.some((o) => o.name.toLowerCase() === name.toLowerCase())) {
      throw badRequest(`An organization named '${name}' already exists.`, 'sd.api.organization.name.taken', [name]);
    }
    const id = String(v.store.state.counters.organization++);
    const org = { id, uuid: createRng(deriveSeed(v.store.seed, `organization-${id}`)).uuid(), name, created: v.store.tick(), memberIds: [] };
    v.store.state.organizations.push(org);
    return { status: 201, body: organizationJson(v, org) };
  });

  router.get(`${API}/organization/{organizationId}`, ({ view: v, params }) => {
    const org = organizationOf(v, params.organizationId);
    if (!isAgent(v.viewer) && !org.memberIds.includes(v.viewer.accountId)) throw forbidden('You are not a member of this organization.', 'sd.api.organization.permission.denied');
    return { status: 200, body: organizationJson(v, org) };
  });

  router.delete(`${API}/organization/{organizationId}`, (ctx) => {
    const org = managedOrganization(ctx);
    const state = ctx.view.store.state;
    state.organizations = state.organizations.filter((o) => o !== org);
    for (const desk of state.desks) desk.organizationIds = desk.organizationIds.filter((id) => id !== org.id);
    for (const req of state.requests) if (req.organizationIds.includes(org.id)) req.organizationIds = req.organizationIds.filter((id) => id !== org.id);
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.get(`${API}/organization/{organizationId}/user`, (ctx) => {
    const org = managedOrganization(ctx);
    const { view: v, query, url } = ctx;
    return { status: 200, body: pageJson(v.origin, url.pathname, query, org.memberIds, readPage(query, MAX_LIMIT.general), (id) => userJson(v, userOf(v, id))) };
  });

  router.post(`${API}/organization/{organizationId}/user`, (ctx) => {
    const org = managedOrganization(ctx);
    for (const user of usersFromBody(ctx.view.store, ctx.json())) if (!org.memberIds.includes(user.accountId)) org.memberIds.push(user.accountId);
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.delete(`${API}/organization/{organizationId}/user`, (ctx) => {
    const org = managedOrganization(ctx);
    const gone = new Set(usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId));
    org.memberIds = org.memberIds.filter((id) => !gone.has(id));
    ctx.view.store.tick();
    return { status: 204 };
  });

  const agentDesk = (ctx: RouteContext) => {
    const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
    requireAgent(ctx.view.viewer, "manage this service desk's organizations");
    return desk;
  };

  router.get(`${API}/servicedesk/{serviceDeskId}/organization`, (ctx) => {
    const desk = agentDesk(ctx);
    return listOrganizations(ctx, desk.organizationIds.map((id) => organizationOf(ctx.view, id)));
  });

  router.post(`${API}/servicedesk/{serviceDeskId}/organization`, (ctx) => {
    const desk = agentDesk(ctx);
    const org = organizationIdFrom(ctx);
    if (!desk.organizationIds.includes(org.id)) desk.organizationIds.push(org.id);
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.delete(`${API}/servicedesk/{serviceDeskId}/organization`, (ctx) => {
    const desk = agentDesk(ctx);
    const org = organizationIdFrom(ctx);
    desk.organizationIds = desk.organizationIds.filter((id) => id !== org.id);
    ctx.view.store.tick();
    return { status: 204 };
  });
}
