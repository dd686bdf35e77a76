/** Service desks, request type groups, request types and their fields. */
import { canUseDesk, deskFor, isAgent } from './access.ts';
import { notFound } from './errors.ts';
import { translate } from './i18n.ts';
import type { SimRequestType } from './model.ts';
import { MAX_LIMIT, parseIntParam } from './paging.ts';
import { deskJson, fieldJson, formFields, groupJson, requestTypeJson } from './render-catalog.ts';
import { parseExpand } from './render-request.ts';
import { API_PATH, type View } from './render-user.ts';
import { boolParam, intListParam, listReply, textMatcher } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';

/**
 * searchQuery matches name or description; like the real API it hides
 * portal-less request types from searches unless includeHiddenRequestTypesInSearch.
 */
function filterTypes(v: View, types: SimRequestType[], query: URLSearchParams): SimRequestType[] {
  const search = query.get('searchQuery');
  const includeHidden = boolParam(query, 'includeHiddenRequestTypesInSearch', false);
  // Every simulated request type is open, so asking for restricted ones finds none.
  if (query.get('restrictionStatus')?.toLowerCase() === 'restricted') return [];
  if (!search) return types;
  const matches = textMatcher(search);
  return types.filter((t) => (includeHidden || t.groupIds.length > 0) && [translate(v.lang, t.name), t.name, t.description].some(matches));
}

function requestTypeIn(ctx: RouteContext): SimRequestType {
  const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
  const type = ctx.view.store.requestType(ctx.params.requestTypeId);
  if (!type || type.deskId !== desk.id) {
    const id = ctx.params.requestTypeId;
    throw notFound(`The request type '${id}' does not exist in this service desk.`, 'sd.api.requesttype.not.found', [id]);
  }
  return type;
}

export function registerDeskRoutes(router: Router): void {
  const DESK = `${API_PATH}/servicedesk/{serviceDeskId}`;

  router.get(`${API_PATH}/servicedesk`, (ctx) => {
    const { store, viewer } = ctx.view;
    return listReply(ctx, store.state.desks.filter((d) => canUseDesk(viewer, d)), MAX_LIMIT.serviceDesks, (d) => deskJson(ctx.view, d));
  });

  router.get(DESK, ({ view: v, params }) => ({ status: 200, body: deskJson(v, deskFor(v.store, v.viewer, params.serviceDeskId)) }));

  router.get(`${DESK}/requesttypegroup`, (ctx) => {
    const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
    const groups = ctx.view.store.state.groups.filter((g) => g.deskId === desk.id);
    return listReply(ctx, groups, MAX_LIMIT.general, (g) => groupJson(ctx.view, g));
  });

  router.get(`${DESK}/requesttype`, (ctx) => {
    const v = ctx.view;
    const desk = deskFor(v.store, v.viewer, ctx.params.serviceDeskId);
    const groupId = parseIntParam(ctx.query, 'groupId');
    const types = v.store.state.requestTypes.filter((t) => t.deskId === desk.id && (groupId === undefined || t.groupIds.includes(String(groupId))));
    return listReply(ctx, filterTypes(v, types, ctx.query), MAX_LIMIT.requestTypes, (t) => requestTypeJson(v, t));
  });

  router.get(`${DESK}/requesttype/{requestTypeId}`, (ctx) => ({ status: 200, body: requestTypeJson(ctx.view, requestTypeIn(ctx)) }));

  router.get(`${DESK}/requesttype/{requestTypeId}/field`, (ctx) => {
    const v = ctx.view;
    const fields = formFields(v, requestTypeIn(ctx), parseExpand(ctx.query).has('hiddenFields'));
    const body = { canAddRequestParticipants: true, canRaiseOnBehalfOf: isAgent(v.viewer), requestTypeFields: fields.map((f) => fieldJson(v, f)) };
    return { status: 200, body };
  });

  router.get(`${API_PATH}/requesttype`, (ctx) => {
    const v = ctx.view;
    const deskIds = intListParam(ctx.query, 'serviceDeskId');
    const usable = new Set(v.store.state.desks.filter((d) => canUseDesk(v.viewer, d)).map((d) => d.id));
    const types = v.store.state.requestTypes.filter((t) => usable.has(t.deskId) && (deskIds.length === 0 || deskIds.includes(t.deskId)));
    return listReply(ctx, filterTypes(v, types, ctx.query), MAX_LIMIT.requestTypes, (t) => requestTypeJson(v, t));
  });
}
