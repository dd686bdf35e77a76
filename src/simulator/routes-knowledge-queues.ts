/** Knowledge base search and service desk queues. */
import { agentDeskFor, canUseDesk, deskFor } from './access.ts';
import { badRequest, notFound } from './errors.ts';
import type { SimArticle, SimQueue } from './model.ts';
import { MAX_LIMIT } from './paging.ts';
import { queueRequests } from './workflow.ts';
import { articleJson, queueJson } from './render-catalog.ts';
import { issueBeanJson } from './render-platform.ts';
import { API_PATH } from './render-user.ts';
import { boolParam, listReply } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';


/** Every word of `query` must occur in the title or the excerpt. */
function searchArticles(ctx: RouteContext, articles: SimArticle[]) {
  const query = ctx.query;
  const text = query.get('query')?.trim();
  if (!text) throw badRequest("The 'query' parameter is required.", 'sd.api.knowledgebase.query.required', ['query']);
  const words = text.toLowerCase().split(/\s+/);
  const found = articles.filter((a) => words.every((w) => `${a.title} ${a.excerpt}`.toLowerCase().includes(w)));
  const terms = boolParam(query, 'highlight', false) ? words : [];
  return listReply(ctx, found, MAX_LIMIT.general, (a) => articleJson(ctx.view, a, terms));
}

const queueDesk = (ctx: RouteContext) => agentDeskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId, 'view queues');

/** issueCount only when includeCount=true, as the API does (counting is costly there). */
const countOf = (ctx: RouteContext, q: SimQueue) =>
  boolParam(ctx.query, 'includeCount', false) ? queueRequests(ctx.view.store.state.requests, q, ctx.view.viewer).length : undefined;

function queueOf(ctx: RouteContext): SimQueue {
  const desk = queueDesk(ctx);
  const queue = ctx.view.store.state.queues.find((q) => q.id === ctx.params.queueId && q.deskId === desk.id);
  if (!queue) throw notFound(`The queue '${ctx.params.queueId}' does not exist in this service desk.`, 'sd.api.queue.not.found', [ctx.params.queueId]);
  return queue;
}

export function registerKnowledgeAndQueueRoutes(router: Router): void {
  router.get(`${API_PATH}/knowledgebase/article`, (ctx) => {
    const { store, viewer } = ctx.view;
    const usable = new Set(store.state.desks.filter((d) => canUseDesk(viewer, d)).map((d) => d.id));
    return searchArticles(ctx, store.state.articles.filter((a) => usable.has(a.deskId)));
  });

  router.get(`${API_PATH}/servicedesk/{serviceDeskId}/knowledgebase/article`, (ctx) => {
    const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
    return searchArticles(ctx, ctx.view.store.state.articles.filter((a) => a.deskId === desk.id));
  });

  router.get(`${API_PATH}/knowledgebase/article/view/{pageId}`, ({ view: v, params }) => {
    const article = v.store.state.articles.find((a) => a.pageId === params.pageId && canUseDesk(v.viewer, v.store.desk(a.deskId)!));
    if (!article) throw notFound(`The article '${params.pageId}' does not exist.`, 'sd.api.knowledgebase.article.not.found', [params.pageId]);
    return { status: 200, body: `<html><body><h1>${article.title}</h1><p>${article.excerpt}</p></body></html>` };
  });

  router.get(`${API_PATH}/servicedesk/{serviceDeskId}/queue`, (ctx) => {
    const desk = queueDesk(ctx);
    const queues = ctx.view.store.state.queues.filter((q) => q.deskId === desk.id);
    return listReply(ctx, queues, MAX_LIMIT.general, (q) => queueJson(ctx.view, q, countOf(ctx, q)));
  });

  router.get(`${API_PATH}/servicedesk/{serviceDeskId}/queue/{queueId}`, (ctx) => {
    const queue = queueOf(ctx);
    return { status: 200, body: queueJson(ctx.view, queue, countOf(ctx, queue)) };
  });

  router.get(`${API_PATH}/servicedesk/{serviceDeskId}/queue/{queueId}/issue`, (ctx) => {
    const v = ctx.view;
    const queue = queueOf(ctx);
    return listReply(ctx, queueRequests(v.store.state.requests, queue, v.viewer), MAX_LIMIT.general, (r) => issueBeanJson(v, r, queue.fields));
  });
}
