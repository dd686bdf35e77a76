/** Customer transitions, SLAs and the status changelog of a request. */
import { requestFor, requireAgent } from './access.ts';
import { badRequest, notFound } from './errors.ts';
import { MAX_LIMIT, pageJson, readPage } from './paging.ts';
import { slaJson, statusHistory, statusJson, transitionJson } from './render-request-parts.ts';
import { stringField } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';
import { applyStatus, transitionsFor } from './workflow.ts';

const REQ = '/rest/servicedeskapi/request/{issueIdOrKey}';

/** SLA data is for the desk's agents only. */
function slaRequest(ctx: RouteContext) {
  const req = requestFor(ctx.view.store, ctx.view.viewer, ctx.params.issueIdOrKey);
  requireAgent(ctx.view.viewer, 'view SLA information');
  return req;
}

export function registerStatusRoutes(router: Router): void {
  router.get(`${REQ}/transition`, ({ view: v, params, query, url }) => {
    const req = requestFor(v.store, v.viewer, params.issueIdOrKey);
    return { status: 200, body: pageJson(v.origin, url.pathname, query, transitionsFor(req), readPage(query, MAX_LIMIT.transitions), (t) => transitionJson(v, t)) };
  });

  router.post(`${REQ}/transition`, (ctx) => {
    const v = ctx.view;
    const req = requestFor(v.store, v.viewer, ctx.params.issueIdOrKey);
    const body = ctx.json();
    const id = stringField(body, 'id', true);
    const transition = transitionsFor(req).find((t) => t.id === id);
    if (!transition) throw badRequest(`The transition '${id}' is not available for this request.`, 'sd.api.transition.invalid', [id]);
    const extra = body.additionalComment;
    const comment = extra && typeof extra === 'object' ? stringField(extra as Record<string, unknown>, 'body') : undefined;
    const at = v.store.tick();
    if (comment) req.comments.push({ id: String(v.store.state.counters.comment++), authorId: v.viewer.accountId, body: comment, public: true, created: at });
    applyStatus(req, transition.to, at);
    return { status: 204 };
  });

  router.get(`${REQ}/sla`, (ctx) => {
    const req = slaRequest(ctx);
    const { view: v, query, url } = ctx;
    return { status: 200, body: pageJson(v.origin, url.pathname, query, req.slas, readPage(query, MAX_LIMIT.general), (s) => slaJson(v, req, s)) };
  });

  router.get(`${REQ}/sla/{slaMetricId}`, (ctx) => {
    const req = slaRequest(ctx);
    const sla = req.slas.find((s) => s.metricId === ctx.params.slaMetricId);
    if (!sla) throw notFound(`The SLA metric '${ctx.params.slaMetricId}' does not exist on this request.`, 'sd.api.sla.not.found', [ctx.params.slaMetricId]);
    return { status: 200, body: slaJson(ctx.view, req, sla) };
  });

  router.get(`${REQ}/status`, ({ view: v, params, query, url }) => {
    const req = requestFor(v.store, v.viewer, params.issueIdOrKey);
    return { status: 200, body: pageJson(v.origin, url.pathname, query, statusHistory(req), readPage(query, MAX_LIMIT.requestStatus), (s) => statusJson(v, s)) };
  });
}
