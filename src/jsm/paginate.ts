import type { PgError } from '../errors/index.ts';
import type { DecodedPage, PageStyle } from './page-styles.ts';
import { linkSignals, type LinkedSignal } from './signals.ts';
import type { PageProgress } from './types.ts';

export interface PagerOptions {
  style: PageStyle;
  /** Offset of the first row wanted. */
  start: number;
  pageSize: number;
  /** Infinity when there is no LIMIT to push down. */
  maxRows: number;
  /** Pages in flight at most; 1 = sequential. */
  parallel: number;
  /**
   * Rows the listing held from `start` when it was last read to its end: a hint that lets the pager
   * ask for every page it expects at once. Never trusted for completeness: the pages say where the end is.
   */
  expectedRows?: number;
  signal?: AbortSignal;
  onPage?: (info: PageProgress) => void;
  fetchPage: (start: number, limit: number, signal: AbortSignal) => Promise<unknown>;
  malformed: (what: string) => PgError;
}

interface Pending<T> {
  start: number;
  limit: number;
  link: LinkedSignal;
  page: Promise<DecodedPage<T>>;
}

/**
 * Pages asked for ahead of need, by pages read so far, when the listing's size is not known: at most
 * a fifth of what the listing turned out to hold is asked for in vain (a page past the end still
 * costs a call), growing towards `parallel` as the listing proves long.
 */
export function speculativeWidth(pagesRead: number): number {
  return 1 + Math.floor((pagesRead + 1) / 5);
}

/**
 * Yields pages in order. Up to `parallel` pages are requested at once at start + k × step: as many
 * as the listing is expected to hold (its total, when the first page says it, or `expectedRows`),
 * beyond that `speculativeWidth`; the window slides as pages are consumed. If the server applies a
 * different page size than assumed, the speculative requests are dropped and re-planned from what it
 * actually returned, so rows are never skipped or repeated. Any failed page fails the scan: a
 * result is never silently shorter.
 */
export async function* paginatePages<T>(o: PagerOptions): AsyncGenerator<T[], void, undefined> {
  const end = o.start + o.maxRows;
  const window: Pending<T>[] = [];
  const parallel = Math.max(1, Math.floor(o.parallel));
  let step = Math.max(1, Math.floor(Math.min(o.pageSize, o.maxRows)));
  let nextStart = o.start;
  // where the listing is expected to end (absolute offset), when known
  let expectedEnd = o.expectedRows === undefined ? undefined : o.start + Math.max(0, o.expectedRows);
  let rows = 0;
  let pages = 0;
  // short of the expected end, every page up to it; past it (or not knowing it), speculativeWidth
  const width = (): number =>
    Math.min(parallel, expectedEnd !== undefined && nextStart < expectedEnd ? Math.ceil((expectedEnd - nextStart) / step) : speculativeWidth(pages));

  const launch = (start: number, limit: number): void => {
    const link = linkSignals(o.signal);
    const page = o.fetchPage(start, limit, link.signal).then((body) => {
      const decoded = o.style.decode<T>(body, limit);
      if (!decoded) throw o.malformed('a response that is not a page of results');
      if (decoded.start !== undefined && decoded.start !== start) {
        throw o.malformed(`page start ${decoded.start} where ${start} was requested`);
      }
      return decoded;
    });
    page.then(link.dispose, link.dispose);
    window.push({ start, limit, link, page });
  };
  const discardAll = (): void => {
    for (const pending of window.splice(0)) pending.link.controller.abort();
  };

  try {
    for (;;) {
      const wanted = width();
      while (window.length < wanted) {
        const last = window[window.length - 1];
        const start = last ? last.start + step : nextStart;
        if (start >= end) break;
        launch(start, step);
      }
      const head = window.shift();
      if (!head) return;
      const page = await head.page;
      const take = page.values.slice(0, Math.max(0, o.maxRows - rows));
      pages++;
      rows += take.length;
      o.onPage?.({ pages, rows });
      if (take.length > 0) yield take;
      if (page.isLast === true || page.values.length === 0 || rows >= o.maxRows) return;
      if (page.total !== undefined) expectedEnd = page.total;
      const applied = Math.max(page.values.length, page.limit ?? page.values.length);
      nextStart = head.start + applied;
      if (applied !== step) {
        discardAll();
        step = applied;
      }
    }
  } finally {
    discardAll();
  }
}
