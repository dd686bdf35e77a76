/** Organizations, their users, and their links to service desks. */
import { agentDeskFor, isAgent, requireAgent } from './access.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import type { SimOrganization } from './model.ts';
import { MAX_LIMIT } from './paging.ts';
import { createRng, deriveSeed } from './prng.ts';
import { organizationJson } from './render-catalog.ts';
import { API_PATH, userJson, userOf, type View } from './render-user.ts';
import { listReply, stringField, usersFromBody } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';

const ORG = `${API_PATH}/organization/{organizationId}`;
const DESK_ORGS = `${API_PATH}/servicedesk/{serviceDeskId}/organization`;
/** OrganizationCreateDTO: "Must contain 1-200 characters". */
const MAX_NAME = 200;

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

/** Lists organizations, optionally only those a given account belongs to (an agent-only filter). */
function listOrganizations(ctx: RouteContext, orgs: SimOrganization[]) {
  const v = ctx.view;
  const accountId = ctx.query.get('accountId');
  if (accountId) {
    requireAgent(v.viewer, 'filter organizations by account');
    if (!v.store.user(accountId)) throw notFound(`The user '${accountId}' does not exist.`, 'sd.api.user.not.found', [accountId]);
    orgs = orgs.filter((o) => o.memberIds.includes(accountId));
  }
  return listReply(ctx, orgs, MAX_LIMIT.general, (o) => organizationJson(v, o));
}

function organizationInBody(ctx: RouteContext): SimOrganization {
  const raw = ctx.json().organizationId;
  if (raw === undefined || raw === null || !/^\d+$/.test(String(raw))) {
    throw badRequest('organizationId (an integer) is required.', 'sd.api.field.required', ['organizationId']);
  }
  return organizationOf(ctx.view, String(raw));
}

function registerOrganizationCrud(router: Router): void {
  router.get(`${API_PATH}/organization`, (ctx) => {
    const { viewer, store } = ctx.view;
    const all = store.state.organizations;
    return listOrganizations(ctx, isAgent(viewer) ? all : all.filter((o) => o.memberIds.includes(viewer.accountId)));
  });

  router.post(`${API_PATH}/organization`, (ctx) => {
    const v = ctx.view;
    requireAgent(v.viewer, 'create organizations');
    const name = stringField(ctx.json(), 'name', true).trim();
    if (name.length > MAX_NAME) throw badRequest(`The organization name must contain 1-${MAX_NAME} characters.`, 'sd.api.organization.name.invalid', [name]);
    // The reference: 201 "returns the created organization or the existing organization if name already exists".
    const existing = v.store.state.organizations.find((o) => o.name.toLowerCase() === name.toLowerCase());
    if (existing) return { status: 201, body: organizationJson(v, existing) };
    const id = String(v.store.state.counters.organization++);
    const uuid = createRng(deriveSeed(v.store.seed, `organization-${id}`)).uuid();
    const org: SimOrganization = { id, uuid, name, created: v.store.tick(), memberIds: [] };
    v.store.state.organizations.push(org);
    return { status: 201, body: organizationJson(v, org) };
  });

  router.get(ORG, ({ view: v, params }) => {
    const org = organizationOf(v, params.organizationId);
    if (!isAgent(v.viewer) && !org.memberIds.includes(v.viewer.accountId)) {
      throw forbidden('You are not a member of this organization.', 'sd.api.organization.permission.denied');
    }
    return { status: 200, body: organizationJson(v, org) };
  });

  router.delete(ORG, (ctx) => {
    const org = managedOrganization(ctx);
    const state = ctx.view.store.state;
    state.organizations = state.organizations.filter((o) => o !== org);
    const unlink = (ids: string[]) => ids.filter((id) => id !== org.id);
    state.desks.forEach((d) => (d.organizationIds = unlink(d.organizationIds)));
    state.requests.forEach((r) => (r.organizationIds = unlink(r.organizationIds)));
    ctx.view.store.tick();
    return { status: 204 };
  });
}

function registerMembershipRoutes(router: Router): void {
  router.get(`${ORG}/user`, (ctx) => {
    const v = ctx.view;
    return listReply(ctx, managedOrganization(ctx).memberIds, MAX_LIMIT.general, (id) => userJson(v, userOf(v, id)));
  });

  router.post(`${ORG}/user`, (ctx) => {
    const org = managedOrganization(ctx);
    const added = usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId);
    org.memberIds.push(...added.filter((id) => !org.memberIds.includes(id)));
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.delete(`${ORG}/user`, (ctx) => {
    const org = managedOrganization(ctx);
    const gone = new Set(usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId));
    org.memberIds = org.memberIds.filter((id) => !gone.has(id));
    ctx.view.store.tick();
    return { status: 204 };
  });
}

function registerDeskLinkRoutes(router: Router): void {
  const agentDesk = (ctx: RouteContext) =>
    agentDeskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId, "manage this service desk's organizations");

  router.get(DESK_ORGS, (ctx) => listOrganizations(ctx, agentDesk(ctx).organizationIds.map((id) => organizationOf(ctx.view, id))));

  router.post(DESK_ORGS, (ctx) => {
    const desk = agentDesk(ctx);
    const org = organizationInBody(ctx);
    if (!desk.organizationIds.includes(org.id)) desk.organizationIds.push(org.id);
    ctx.view.store.tick();
    return { status: 204 };
  });

  router.delete(DESK_ORGS, (ctx) => {
    const desk = agentDesk(ctx);
    const org = organizationInBody(ctx);
    desk.organizationIds = desk.organizationIds.filter((id) => id !== org.id);
    ctx.view.store.tick();
    return { status: 204 };
  });
}

export function registerOrganizationRoutes(router: Router): void {
  registerOrganizationCrud(router);
  registerMembershipRoutes(router);
  registerDeskLinkRoutes(router);
}
