/** Service desks, request type groups, request types and their fields. */
import { canUseDesk, deskFor } from './access.ts';
import { notFound } from './errors.ts';
import { translate } from './i18n.ts';
import type { SimRequestType } from './model.ts';
import { MAX_LIMIT, pageJson, parseIntParam, readPage } from './paging.ts';
import { deskJson, fieldJson, formFields, groupJson, requestTypeJson } from './render-catalog.ts';
import { parseExpand } from './render-request.ts';
import type { View } from './render-user.ts';
import { boolParam, intListParam, textMatcher } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';

const API = '/rest/servicedeskapi';

/**
 * searchQuery matches name or description; like the real API it hides
 * portal-less request types from searches unless includeHiddenRequestTypesInSearch.
 */
function filterTypes(v: View, types: SimRequestType[], query: URLSearchParams): SimRequestType[] {
  const search = query.get('searchQuery');
  const includeHidden = boolParam(query, 'includeHiddenRequestTypesInSearch', false);
  const restriction = query.get('restrictionStatus')?.toLowerCase();
  let out = restriction === 'restricted' ? [] : types;
  if (search) {
    const matches = textMatcher(search);
    out = out.filter((t) => (includeHidden || t.groupIds.length > 0) && [translate(v.lang, t.name), t.name, t.description].some(matches));
  }
  return out;
}

function requestTypeIn(ctx: RouteContext): SimRequestType {
  const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
  const type = ctx.view.store.requestType(ctx.params.requestTypeId);
  if (!type || type.deskId !== desk.id) {
    throw notFound(`The request type '${ctx.params.requestTypeId}' does not exist in this service desk.`, 'sd.api.requesttype.not.found', [ctx.params.requestTypeId]);
  }
  return type;
}

export function registerDeskRoutes(router: Router): void {
  router.get(`${API}/servicedesk`, ({ view: v, query, url }) => {
    const desks = v.store.state.desks.filter((d) => canUseDesk(v.viewer, d));
    return { status: 200, body: pageJson(v.origin, url.pathname, query, desks, readPage(query, MAX_LIMIT.serviceDesks), (d) => deskJson(v, d)) };
  });

  router.get(`${API}/servicedesk/{serviceDeskId}`, ({ view: v, params }) => ({ status: 200, body: deskJson(v, deskFor(v.store, v.viewer, params.serviceDeskId)) }));

  router.get(`${API}/servicedesk/{serviceDeskId}/requesttypegroup`, ({ view: v, params, query, url }) => {
    const desk = deskFor(v.store, v.viewer, params.serviceDeskId);
    const groups = v.store.state.groups.filter((g) => g.deskId === desk.id);
    return { status: 200, body: pageJson(v.origin, url.pathname, query, groups, readPage(query, MAX_LIMIT.general), (g) => groupJson(v, g)) };
  });

  router.get(`${API}/servicedesk/{serviceDeskId}/requesttype`, ({ view: v, params, query, url }) => {
    const desk = deskFor(v.store, v.viewer, params.serviceDeskId);
    const groupId = parseIntParam(query, 'groupId');
    const types = v.store.state.requestTypes.filter((t) => t.deskId === desk.id && (groupId === undefined || t.groupIds.includes(String(groupId))));
    const page = readPage(query, MAX_LIMIT.requestTypes);
    return { status: 200, body: pageJson(v.origin, url.pathname, query, filterTypes(v, types, query), page, (t) => requestTypeJson(v, t)) };
  });

  router.get(`${API}/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}`, (ctx) => ({ status: 200, body: requestTypeJson(ctx.view, requestTypeIn(ctx)) }));

  router.get(`${API}/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/field`, (ctx) => {
    const v = ctx.view;
    const type = requestTypeIn(ctx);
    const fields = formFields(v, type, parseExpand(ctx.query).has('hiddenFields'));
    const agent = v.viewer.kind === 'agent';
    return { status: 200, body: { canAddRequestParticipants: true, canRaiseOnBehalfOf: agent, requestTypeFields: fields.map((f) => fieldJson(v, f)) } };
  });

  router.get(`${API}/requesttype`, ({ view: v, query, url }) => {
    const deskIds = intListParam(query, 'serviceDeskId');
    const usable = new Set(v.store.state.desks.filter((d) => canUseDesk(v.viewer, d)).map((d) => d.id));
    const types = v.store.state.requestTypes.filter((t) => usable.has(t.deskId) && (deskIds.length === 0 || deskIds.includes(t.deskId)));
    const page = readPage(query, MAX_LIMIT.requestTypes);
    return { status: 200, body: pageJson(v.origin, url.pathname, query, filterTypes(v, types, query), page, (t) => requestTypeJson(v, t)) };
  });
}
