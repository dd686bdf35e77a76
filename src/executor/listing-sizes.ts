import { RecentMap } from '../collections/recent-map.ts';

/**
 * How many rows each paged listing held when it was last read to its end, by path and filters (not
 * the page window, not the expand: neither changes how many items a listing holds). JSM's
 * servicedesk pages never say how many rows remain, so a first scan can only guess how many pages to
 * ask for at once; a later scan of the same listing asks for every page it expects at once, which is
 * both the fewest calls and the shortest wait. Statistics, not results: kept when the cache is
 * bypassed or cleared, and only ever a hint (the pages say where a listing ends).
 */
export class ListingSizes {
  // a note makes its listing the most recent; reading a size does not
  readonly #sizes: RecentMap<string, { rows: number; pages?: number }>;

  constructor(maxEntries = 4096) {
    this.#sizes = new RecentMap(maxEntries);
  }

  /** Rows the listing held. */
  expected(path: string, query: Readonly<Record<string, string>>): number | undefined {
    return this.#sizes.peek(listingKey(path, query))?.rows;
  }

  /** Pages the listing took when read from its first row. */
  pages(path: string, query: Readonly<Record<string, string>>): number | undefined {
    return this.#sizes.peek(listingKey(path, query))?.pages;
  }

  /** `pages` only when the read began at the listing's first row. */
  note(path: string, query: Readonly<Record<string, string>>, rows: number, pages?: number): void {
    const key = listingKey(path, query);
    const known = this.#sizes.peek(key);
    this.#sizes.set(key, { rows, pages: pages ?? (known?.rows === rows ? known.pages : undefined) });
  }
}

/**
 * Parameters that do not change which items a listing holds. Paging parameters never appear: the
 * pager adds them to each page's request, and a read from a later row says so in its options.
 */
const NOT_THE_LISTING = new Set(['expand']);

function listingKey(path: string, query: Readonly<Record<string, string>>): string {
  const params = Object.entries(query)
    .filter(([k]) => !NOT_THE_LISTING.has(k))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${path}?${new URLSearchParams(params).toString()}`;
}
