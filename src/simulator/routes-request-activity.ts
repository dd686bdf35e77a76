/** Comments, participants and approvals of a request. */
import { canSeeRequest, isAgent, requestFor, visibleComments } from './access.ts';
import { badRequest, conflict, forbidden, notFound } from './errors.ts';
import type { SimApproval, SimRequest } from './model.ts';
import { firstPage, MAX_LIMIT, pageJson, readPage } from './paging.ts';
import { parseExpand } from './render-request.ts';
import { approvalJson, commentJson } from './render-request-parts.ts';
import { API_PATH, userJson, userOf, type View } from './render-user.ts';
import { booleanField, boolParam, listReply, stringField, usersFromBody } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';
import { addComment } from './workflow.ts';

const REQ = `${API_PATH}/request/{issueIdOrKey}`;

/** Add and remove answer with the first page of participants, whatever the caller paged before. */
function participantsPage(v: View, req: SimRequest, query?: URLSearchParams) {
  const page = query ? readPage(query, MAX_LIMIT.participants) : firstPage(MAX_LIMIT.participants);
  const path = `${API_PATH}/request/${req.issueId}/participant`;
  return pageJson(v.origin, path, query, req.participantIds, page, (id) => userJson(v, userOf(v, id)));
}

/** Reporters manage their request's participants; agents manage everyone's. */
function managedRequest(ctx: RouteContext): SimRequest {
  const v = ctx.view;
  const req = requestFor(v.store, v.viewer, ctx.params.issueIdOrKey);
  if (!isAgent(v.viewer) && req.reporterId !== v.viewer.accountId) {
    throw forbidden('You do not have permission to manage participants of this request.', 'sd.api.participants.denied');
  }
  return req;
}

function approvalOf(ctx: RouteContext): { req: SimRequest; approval: SimApproval } {
  const req = requestFor(ctx.view.store, ctx.view.viewer, ctx.params.issueIdOrKey);
  const approval = req.approvals.find((a) => a.id === ctx.params.approvalId);
  if (!approval) throw notFound(`The approval '${ctx.params.approvalId}' does not exist.`, 'sd.api.approval.not.found', [ctx.params.approvalId]);
  return { req, approval };
}

function registerCommentRoutes(router: Router): void {
  router.get(`${REQ}/comment`, (ctx) => {
    const { view: v, params, query } = ctx;
    const req = v.store.request(params.issueIdOrKey);
    if (!req) throw notFound(`The request '${params.issueIdOrKey}' does not exist.`, 'sd.api.request.not.found', [params.issueIdOrKey]);
    const wantPublic = boolParam(query, 'public', true);
    const wantInternal = boolParam(query, 'internal', true);
    const expands = parseExpand(query);
    // The API documents no permission error here: a request you cannot see simply has no comments for you.
    const visible = canSeeRequest(v.viewer, req) ? visibleComments(v.viewer, req) : [];
    const comments = visible.filter((c) => (c.public ? wantPublic : wantInternal));
    return listReply(ctx, comments, MAX_LIMIT.comments, (c) => commentJson(v, req, c, expands));
  });

  router.get(`${REQ}/comment/{commentId}`, ({ view: v, params, query }) => {
    const req = requestFor(v.store, v.viewer, params.issueIdOrKey);
    const comment = visibleComments(v.viewer, req).find((c) => c.id === params.commentId);
    if (!comment) throw notFound(`The comment '${params.commentId}' does not exist.`, 'sd.api.comment.not.found', [params.commentId]);
    return { status: 200, body: commentJson(v, req, comment, parseExpand(query)) };
  });

  router.post(`${REQ}/comment`, (ctx) => {
    const v = ctx.view;
    const req = requestFor(v.store, v.viewer, ctx.params.issueIdOrKey);
    const body = ctx.json();
    const text = stringField(body, 'body', true);
    const isPublic = booleanField(body, 'public', true);
    if (!isPublic && !isAgent(v.viewer)) throw forbidden('Customers can only add public comments.', 'sd.api.comment.internal.denied');
    const comment = addComment(v.store.state.counters, req, { authorId: v.viewer.accountId, body: text, public: isPublic, created: v.store.tick() });
    return { status: 201, body: commentJson(v, req, comment, new Set()) };
  });
}

function registerParticipantRoutes(router: Router): void {
  router.get(`${REQ}/participant`, ({ view: v, params, query }) => ({
    status: 200,
    body: participantsPage(v, requestFor(v.store, v.viewer, params.issueIdOrKey), query),
  }));

  router.post(`${REQ}/participant`, (ctx) => {
    const req = managedRequest(ctx);
    const added = usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId);
    req.participantIds.push(...added.filter((id) => id !== req.reporterId && !req.participantIds.includes(id)));
    req.updated = ctx.view.store.tick();
    return { status: 200, body: participantsPage(ctx.view, req) };
  });

  router.delete(`${REQ}/participant`, (ctx) => {
    const req = managedRequest(ctx);
    const gone = usersFromBody(ctx.view.store, ctx.json()).map((u) => u.accountId);
    const strangers = gone.filter((id) => !req.participantIds.includes(id));
    if (strangers.length > 0) {
      throw badRequest(`These users are not participants: ${strangers.join(', ')}`, 'sd.api.participants.not.participant', strangers);
    }
    req.participantIds = req.participantIds.filter((id) => !gone.includes(id));
    req.updated = ctx.view.store.tick();
    return { status: 200, body: participantsPage(ctx.view, req) };
  });
}

function registerApprovalRoutes(router: Router): void {
  router.get(`${REQ}/approval`, (ctx) => {
    const req = requestFor(ctx.view.store, ctx.view.viewer, ctx.params.issueIdOrKey);
    return listReply(ctx, req.approvals, MAX_LIMIT.general, (a) => approvalJson(ctx.view, req, a));
  });

  router.get(`${REQ}/approval/{approvalId}`, (ctx) => {
    const { req, approval } = approvalOf(ctx);
    return { status: 200, body: approvalJson(ctx.view, req, approval) };
  });

  router.post(`${REQ}/approval/{approvalId}`, (ctx) => {
    const v = ctx.view;
    const { req, approval } = approvalOf(ctx);
    const decision = ctx.json().decision;
    if (decision !== 'approve' && decision !== 'decline') throw badRequest("decision must be 'approve' or 'decline'.", 'sd.api.approval.decision.invalid');
    const mine = approval.approvers.find((p) => p.accountId === v.viewer.accountId);
    if (!mine) throw forbidden('You are not an approver of this approval.', 'sd.api.approval.not.approver');
    if (mine.decision !== 'pending' || approval.finalDecision !== 'pending') {
      throw conflict('This approval has already been answered.', 'sd.api.approval.already.answered');
    }
    // One answer decides the step, as with the default "1 approver needed" setting.
    mine.decision = decision === 'approve' ? 'approved' : 'declined';
    approval.finalDecision = mine.decision;
    approval.completed = v.store.tick();
    req.updated = approval.completed;
    return { status: 200, body: approvalJson(v, req, approval) };
  });
}

export function registerActivityRoutes(router: Router): void {
  registerCommentRoutes(router);
  registerParticipantRoutes(router);
  registerApprovalRoutes(router);
}
