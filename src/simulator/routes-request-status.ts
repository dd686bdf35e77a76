/** Customer transitions, SLAs and the status changelog of a request. */
import { requestFor, requireAgent } from './access.ts';
import { badRequest, notFound } from './errors.ts';
import type { SimRequest } from './model.ts';
import { MAX_LIMIT } from './paging.ts';
import { slaJson, statusHistory, statusJson, transitionJson } from './render-request-parts.ts';
import { API_PATH } from './render-user.ts';
import { listReply, stringField } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';
import { addComment, applyStatus, transitionsFor } from './workflow.ts';

const REQ = `${API_PATH}/request/{issueIdOrKey}`;

const requestOf = (ctx: RouteContext): SimRequest => requestFor(ctx.view.store, ctx.view.viewer, ctx.params.issueIdOrKey);

/** SLA data is for the desk's agents only. */
function slaRequest(ctx: RouteContext): SimRequest {
  const req = requestOf(ctx);
  requireAgent(ctx.view.viewer, 'view SLA information');
  return req;
}

export function registerStatusRoutes(router: Router): void {
  router.get(`${REQ}/transition`, (ctx) => listReply(ctx, transitionsFor(requestOf(ctx)), MAX_LIMIT.transitions, (t) => transitionJson(ctx.view, t)));

  router.post(`${REQ}/transition`, (ctx) => {
    const v = ctx.view;
    const req = requestOf(ctx);
    const body = ctx.json();
    const id = stringField(body, 'id', true);
    const transition = transitionsFor(req).find((t) => t.id === id);
    if (!transition) throw badRequest(`The transition '${id}' is not available for this request.`, 'sd.api.transition.invalid', [id]);
    const extra = body.additionalComment;
    const comment = extra && typeof extra === 'object' ? stringField(extra as Record<string, unknown>, 'body') : undefined;
    const at = v.store.tick();
    if (comment) addComment(v.store.state.counters, req, { authorId: v.viewer.accountId, body: comment, public: true, created: at });
    applyStatus(req, transition.to, at);
    return { status: 204 };
  });

  router.get(`${REQ}/sla`, (ctx) => {
    const req = slaRequest(ctx);
    return listReply(ctx, req.slas, MAX_LIMIT.general, (s) => slaJson(ctx.view, req, s));
  });

  router.get(`${REQ}/sla/{slaMetricId}`, (ctx) => {
    const req = slaRequest(ctx);
    const id = ctx.params.slaMetricId;
    const sla = req.slas.find((s) => s.metricId === id);
    if (!sla) throw notFound(`The SLA metric '${id}' does not exist on this request.`, 'sd.api.sla.not.found', [id]);
    return { status: 200, body: slaJson(ctx.view, req, sla) };
  });

  router.get(`${REQ}/status`, (ctx) => listReply(ctx, statusHistory(requestOf(ctx)), MAX_LIMIT.requestStatus, (s) => statusJson(ctx.view, s)));
}
