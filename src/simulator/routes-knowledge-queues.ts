/** Knowledge base search and service desk queues. */
import { canUseDesk, deskFor, requireAgent } from './access.ts';
import { badRequest, notFound } from './errors.ts';
import type { SimArticle, SimQueue } from './model.ts';
import { MAX_LIMIT, pageJson, readPage } from './paging.ts';
import { queueRequests } from './queue-rules.ts';
import { articleJson, queueJson } from './render-catalog.ts';
import { issueBeanJson } from './render-platform.ts';
import { boolParam } from './route-helpers.ts';
import type { RouteContext, Router } from './router.ts';

const API = '/rest/servicedeskapi';

/** Every word of `query` must occur in the title or the excerpt. */
function searchArticles(ctx: RouteContext, articles: SimArticle[]) {
  const { view: v, query, url } = ctx;
  const text = query.get('query')?.trim();
  if (!text) throw badRequest("The 'query' parameter is required.", 'sd.api.knowledgebase.query.required', ['query']);
  const words = text.toLowerCase().split(/\s+/);
  const found = articles.filter((a) => words.every((w) => `${a.title} ${a.excerpt}`.toLowerCase().includes(w)));
  const terms = boolParam(query, 'highlight', false) ? words : [];
  return { status: 200, body: pageJson(v.origin, url.pathname, query, found, readPage(query, MAX_LIMIT.general), (a) => articleJson(v, a, terms)) };
}

function queueOf(ctx: RouteContext): SimQueue {
  const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
  requireAgent(ctx.view.viewer, 'view queues');
  const queue = ctx.view.store.state.queues.find((q) => q.id === ctx.params.queueId && q.deskId === desk.id);
  if (!queue) throw notFound(`The queue '${ctx.params.queueId}' does not exist in this service desk.`, 'sd.api.queue.not.found', [ctx.params.queueId]);
  return queue;
}

export function registerKnowledgeAndQueueRoutes(router: Router): void {
  router.get(`${API}/knowledgebase/article`, (ctx) => {
    const { store, viewer } = ctx.view;
    const usable = new Set(store.state.desks.filter((d) => canUseDesk(viewer, d)).map((d) => d.id));
    return searchArticles(ctx, store.state.articles.filter((a) => usable.has(a.deskId)));
  });

  router.get(`${API}/servicedesk/{serviceDeskId}/knowledgebase/article`, (ctx) => {
    const desk = deskFor(ctx.view.store, ctx.view.viewer, ctx.params.serviceDeskId);
    return searchArticles(ctx, ctx.view.store.state.articles.filter((a) => a.deskId === desk.id));
  });

  router.get(`${API}/knowledgebase/article/view/{pageId}`, ({ view: v, params }) => {
    const article = v.store.state.articles.find((a) => a.pageId === params.pageId && canUseDesk(v.viewer, v.store.desk(a.deskId)!));
    if (!article) throw notFound(`The article '${params.pageId}' does not exist.`, 'sd.api.knowledgebase.article.not.found', [params.pageId]);
    return { status: 200, body: `<html><body><h1>${article.title}</h1><p>${article.excerpt}</p></body></html>` };
  });

  router.get(`${API}/servicedesk/{serviceDeskId}/queue`, (ctx) => {
    const { view: v, query, url, params } = ctx;
    const desk = deskFor(v.store, v.viewer, params.serviceDeskId);
    requireAgent(v.viewer, 'view queues');
    const withCount = boolParam(query, 'includeCount', false);
    const queues = v.store.state.queues.filter((q) => q.deskId === desk.id);
    const render = (q: SimQueue) => queueJson(v, q, withCount ? queueRequests(v.store, q, v.viewer).length : undefined);
    return { status: 200, body: pageJson(v.origin, url.pathname, query, queues, readPage(query, MAX_LIMIT.general), render) };
  });

  router.get(`${API}/servicedesk/{serviceDeskId}/queue/{queueId}`, (ctx) => {
    const queue = queueOf(ctx);
    const withCount = boolParam(ctx.query, 'includeCount', false);
    return { status: 200, body: queueJson(ctx.view, queue, withCount ? queueRequests(ctx.view.store, queue, ctx.view.viewer).length : undefined) };
  });

  router.get(`${API}/servicedesk/{serviceDeskId}/queue/{queueId}/issue`, (ctx) => {
    const queue = queueOf(ctx);
    const { view: v, query, url } = ctx;
    const requests = queueRequests(v.store, queue, v.viewer);
    return { status: 200, body: pageJson(v.origin, url.pathname, query, requests, readPage(query, MAX_LIMIT.general), (r) => issueBeanJson(v, r, queue.fields)) };
  });
}
