/**
 * Who may see and do what. Agents (the default agent is also a Jira
 * administrator) see everything; customers see the desks they belong to and
 * only requests they reported or participate in, and never internal content.
 */
import { forbidden, notFound } from './errors.ts';
import type { SimAttachment, SimComment, SimDesk, SimRequest, SimUser } from './model.ts';
import type { Store } from './store.ts';

export const isAgent = (user: SimUser): boolean => user.kind === 'agent';

export function requireAgent(user: SimUser, action = 'perform this operation'): void {
  if (!isAgent(user)) throw forbidden(`You do not have permission to ${action}.`, 'sd.api.agent.permission.required');
}

/** Approvers see the request they are asked to decide, as JSM grants them browse access for it. */
export const canSeeRequest = (user: SimUser, req: SimRequest): boolean =>
  isAgent(user) ||
  req.reporterId === user.accountId ||
  req.participantIds.includes(user.accountId) ||
  req.approvals.some((a) => a.approvers.some((p) => p.accountId === user.accountId));

export const canUseDesk = (user: SimUser, desk: SimDesk): boolean => isAgent(user) || desk.customerIds.includes(user.accountId);

export function visibleComments(user: SimUser, req: SimRequest): SimComment[] {
  return isAgent(user) ? req.comments : req.comments.filter((c) => c.public);
}

export function visibleAttachments(user: SimUser, req: SimRequest): SimAttachment[] {
  return isAgent(user) ? req.attachments : req.attachments.filter((a) => a.public);
}

/** Looks up a desk by any documented identifier; 404 if absent, 403 if the caller may not use it. */
export function deskFor(store: Store, user: SimUser, identifier: string): SimDesk {
  const desk = store.desk(identifier);
  if (!desk) throw notFound(`The service desk '${identifier}' does not exist.`, 'sd.api.servicedesk.not.found', [identifier]);
  if (!canUseDesk(user, desk)) throw forbidden('You do not have permission to access this service desk.', 'sd.api.servicedesk.permission.denied');
  return desk;
}

/** deskFor, for the desk operations only agents (acting as desk administrators) may use. */
export function agentDeskFor(store: Store, user: SimUser, identifier: string, action: string): SimDesk {
  const desk = deskFor(store, user, identifier);
  requireAgent(user, action);
  return desk;
}

/** Looks up a request by id or key; 404 if absent, 403 if the caller may not view it. */
export function requestFor(store: Store, user: SimUser, issueIdOrKey: string): SimRequest {
  const req = store.request(issueIdOrKey);
  if (!req) throw notFound(`The request '${issueIdOrKey}' does not exist.`, 'sd.api.request.not.found', [issueIdOrKey]);
  if (!canSeeRequest(user, req)) throw forbidden('You do not have permission to view this request.', 'sd.api.request.permission.denied');
  return req;
}
