/**
 * The servicedeskapi paged envelope. Limits follow Atlassian's
 * com.atlassian.servicedesk.api.util.paging.DefaultPagingLimits: a limit
 * above the maximum is capped to it ("you can ask for more but this is what
 * you will be given"), and the capped value is what `limit` reports.
 */
import { badRequest } from './errors.ts';
import { API_PATH } from './render-user.ts';

export const DEFAULT_LIMIT = 50;

export const MAX_LIMIT = {
  general: 100,
  comments: 50,
  participants: 50,
  requests: 100,
  requestStatus: 100,
  transitions: 100,
  requestTypes: 100,
  serviceDesks: 100,
} as const;

export interface PageSpec {
  start: number;
  limit: number;
}

export interface PagedJson<T> {
  _expands: string[];
  size: number;
  start: number;
  limit: number;
  isLastPage: boolean;
  values: T[];
  _links: { base: string; context: string; self: string; next?: string; prev?: string };
}

/** The integer value of a query parameter; 400 when it is not one. */
export function integerParam(raw: string, name: string): number {
  if (!/^-?\d+$/.test(raw.trim())) {
    throw badRequest(`The value '${raw}' of parameter '${name}' is not a valid integer.`, 'sd.api.parameter.invalid.integer', [name]);
  }
  return Number(raw);
}

export function parseIntParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  return raw === null || raw === '' ? undefined : integerParam(raw, name);
}

export function readPage(query: URLSearchParams, maxLimit: number): PageSpec {
  const start = parseIntParam(query, 'start') ?? 0;
  const limit = parseIntParam(query, 'limit') ?? DEFAULT_LIMIT;
  if (start < 0) throw badRequest('The start parameter must not be negative.', 'sd.api.paging.start.negative');
  if (limit < 1) throw badRequest('The limit parameter must be greater than zero.', 'sd.api.paging.limit.invalid');
  return { start, limit: Math.min(limit, maxLimit) };
}

/** First page of an embedded (expanded) collection. */
export const firstPage = (maxLimit: number): PageSpec => ({ start: 0, limit: maxLimit });

/**
 * @param origin  scheme://host:port of the simulator
 * @param path    path of the resource, e.g. /rest/servicedeskapi/request
 * @param query   caller's query; kept in self/next/prev links with start/limit replaced
 */
export function pageJson<T, R>(
  origin: string,
  path: string,
  query: URLSearchParams | undefined,
  items: readonly T[],
  page: PageSpec,
  render: (item: T) => R,
): PagedJson<R> {
  const values = items.slice(page.start, page.start + page.limit).map(render);
  const isLastPage = page.start + values.length >= items.length;
  const link = (start: number) => {
    const q = new URLSearchParams(query);
    // Always last and in this order, so links are predictable whatever the caller sent.
    q.delete('start');
    q.delete('limit');
    q.append('start', String(start));
    q.append('limit', String(page.limit));
    return `${origin}${path}?${q.toString()}`;
  };
  const links: PagedJson<R>['_links'] = { base: `${origin}${API_PATH}`, context: '', self: link(page.start) };
  if (!isLastPage) links.next = link(page.start + page.limit);
  if (page.start > 0) links.prev = link(Math.max(0, page.start - page.limit));
  return { _expands: [], size: values.length, start: page.start, limit: page.limit, isLastPage, values, _links: links };
}
