/** Customer requests: list with the documented filters, get by id or key, create. */
import { canSeeRequest, canUseDesk, requestFor } from './access.ts';
import { badRequest, notFound } from './errors.ts';
import type { SimApproval, SimRequest } from './model.ts';
import { MAX_LIMIT, parseIntParam } from './paging.ts';
import { parseExpand, requestJson } from './render-request.ts';
import { API_PATH, type View } from './render-user.ts';
import { listReply, textMatcher } from './route-helpers.ts';
import type { Router } from './router.ts';
import { createRequest } from './write-request.ts';
import { isDone } from './workflow.ts';

const OWNERSHIP = ['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS', 'ORGANIZATION', 'ALL_ORGANIZATIONS', 'APPROVER', 'ALL_REQUESTS'];
const DEFAULT_OWNERSHIP = ['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS', 'ALL_ORGANIZATIONS'];
const STATUS_FILTERS = ['ALL_REQUESTS', 'OPEN_REQUESTS', 'CLOSED_REQUESTS'];
const APPROVAL_FILTERS = ['MY_PENDING_APPROVAL', 'MY_HISTORY_APPROVAL'];

function oneOf(query: URLSearchParams, name: string, allowed: string[]): string[] {
  const values = query.getAll(name).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const wrong = values.find((s) => !allowed.includes(s));
  if (wrong) throw badRequest(`'${wrong}' is not a valid value of ${name}. Valid values: ${allowed.join(', ')}.`, 'sd.api.parameter.invalid.enum', [name]);
  return values;
}

/** Builds the predicate for GET /request; throws 400/404 for the combinations the API rejects. */
function requestFilter(v: View, query: URLSearchParams): (r: SimRequest) => boolean {
  const me = v.viewer.accountId;
  const ownership = oneOf(query, 'requestOwnership', OWNERSHIP);
  const owned = ownership.length > 0 ? ownership : DEFAULT_OWNERSHIP;
  const [status = 'ALL_REQUESTS'] = oneOf(query, 'requestStatus', STATUS_FILTERS);
  const [approval] = oneOf(query, 'approvalStatus', APPROVAL_FILTERS);
  if (approval && !owned.includes('APPROVER')) {
    throw badRequest('approvalStatus is only valid with requestOwnership=APPROVER.', 'sd.api.request.approval.status.invalid');
  }
  const organizationId = parseIntParam(query, 'organizationId');
  if (owned.includes('ORGANIZATION') && organizationId === undefined) {
    throw badRequest('requestOwnership=ORGANIZATION needs an organizationId.', 'sd.api.request.organization.missing');
  }
  const deskId = parseIntParam(query, 'serviceDeskId');
  const desk = deskId === undefined ? undefined : v.store.desk(String(deskId));
  // The API answers 404 both for a missing desk and for one the caller cannot use.
  if (deskId !== undefined && (!desk || !canUseDesk(v.viewer, desk))) {
    throw notFound(`The service desk '${deskId}' does not exist or you cannot access it.`, 'sd.api.servicedesk.not.found', [String(deskId)]);
  }
  const typeId = parseIntParam(query, 'requestTypeId');
  if (typeId !== undefined && desk && v.store.requestType(String(typeId))?.deskId !== desk.id) {
    throw notFound(`The service desk does not support the request type '${typeId}'.`, 'sd.api.requesttype.not.found', [String(typeId)]);
  }
  const term = query.get('searchTerm');
  const search = term ? textMatcher(term) : undefined;
  const myOrgs = new Set(v.store.state.organizations.filter((o) => o.memberIds.includes(me)).map((o) => o.id));
  const approverMatch = (a: SimApproval) => {
    const mine = a.approvers.find((p) => p.accountId === me);
    if (!mine) return false;
    if (approval === 'MY_PENDING_APPROVAL') return mine.decision === 'pending' && a.finalDecision === 'pending';
    if (approval === 'MY_HISTORY_APPROVAL') return mine.decision !== 'pending' || a.finalDecision !== 'pending';
    return true;
  };
  const ownershipMatch = (r: SimRequest) =>
    owned.some((o) =>
      o === 'OWNED_REQUESTS' ? r.reporterId === me
      : o === 'PARTICIPATED_REQUESTS' ? r.participantIds.includes(me)
      : o === 'ORGANIZATION' ? r.organizationIds.includes(String(organizationId))
      : o === 'ALL_ORGANIZATIONS' ? r.organizationIds.some((id) => myOrgs.has(id))
      : o === 'APPROVER' ? r.approvals.some(approverMatch)
      : true,
    );
  return (r) =>
    canSeeRequest(v.viewer, r) &&
    ownershipMatch(r) &&
    (status === 'ALL_REQUESTS' || isDone(r) === (status === 'CLOSED_REQUESTS')) &&
    (desk === undefined || r.deskId === desk.id) &&
    (typeId === undefined || r.requestTypeId === String(typeId)) &&
    (organizationId === undefined || r.organizationIds.includes(String(organizationId))) &&
    (search === undefined || search(r.summary));
}

/** "Ordered chronologically by the latest activity", newest first. */
const byActivity = (a: SimRequest, b: SimRequest) => b.updated - a.updated || Number(b.issueId) - Number(a.issueId);

export function registerRequestRoutes(router: Router): void {
  router.get(`${API_PATH}/request`, (ctx) => {
    const v = ctx.view;
    const matches = v.store.state.requests.filter(requestFilter(v, ctx.query)).sort(byActivity);
    const expands = parseExpand(ctx.query);
    return listReply(ctx, matches, MAX_LIMIT.requests, (r) => requestJson(v, r, expands));
  });

  router.get(`${API_PATH}/request/{issueIdOrKey}`, ({ view: v, params, query }) => ({
    status: 200,
    body: requestJson(v, requestFor(v.store, v.viewer, params.issueIdOrKey), parseExpand(query)),
  }));

  router.post(`${API_PATH}/request`, (ctx) => {
    const created = createRequest(ctx.view, ctx.json());
    return { status: 201, body: requestJson(ctx.view, created, new Set()) };
  });
}
