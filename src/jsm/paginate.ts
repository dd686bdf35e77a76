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
  /** Pages in flight once the first page says there is more; 1 = sequential. */
  parallel: number;
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
 * Yields pages in order. After the first page, up to `parallel` pages are
 * requested at once at start + k × step (the window doubles from 2 up to
 * `parallel` as pages keep coming, so short listings stay cheap); it slides as pages are
 * consumed. If the server applies a different page size than assumed, the
 * speculative requests are dropped and re-planned from what it actually
 * returned, so rows are never skipped or repeated. Any failed page fails the
 * scan: a result is never silently shorter.
 */
export async function* paginatePages<T>(o: PagerOptions): AsyncGenerator<T[], void, undefined> {
  const end = o.start + o.maxRows;
  const window: Pending<T>[] = [];
  let step = Math.max(1, Math.floor(Math.min(o.pageSize, o.maxRows)));
  let nextStart = o.start;
  let width = 1;
  let rows = 0;
  let pages = 0;

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
      while (window.length < width) {
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
      const applied = Math.max(page.values.length, page.limit ?? page.values.length);
      nextStart = head.start + applied;
      if (applied !== step) {
        discardAll();
        step = applied;
      }
      // Ramp up (2, 4, 8…) so a short listing wastes at most one speculative call.
      width = Math.min(Math.max(1, Math.floor(o.parallel)), width * 2);
    }
  } finally {
    discardAll();
  }
}
