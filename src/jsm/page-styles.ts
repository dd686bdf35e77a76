import type { PageStyleName } from './types.ts';

/** One page as the pager needs it, whatever envelope JSM used. */
export interface DecodedPage<T> {
  values: T[];
  /** undefined: the envelope does not say; the pager keeps going until an empty page. */
  isLast: boolean | undefined;
  /** Where the server says this page starts, when it says so. */
  start?: number;
  /** The page size the server actually applied (it clamps to its own maximum). */
  limit?: number;
  /** Rows in the whole listing, when the envelope says (PageBean's total). */
  total?: number;
}

export interface PageStyle {
  readonly startParam: string;
  readonly limitParam: string;
  /** Returns undefined when the body is not a page of this style. */
  decode<T>(body: unknown, requestedLimit: number): DecodedPage<T> | undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** /rest/servicedeskapi/*: { size, start, limit, isLastPage, values }. */
const servicedesk: PageStyle = {
  startParam: 'start',
  limitParam: 'limit',
  decode<T>(body: unknown, requestedLimit: number) {
    if (!isRecord(body) || !Array.isArray(body.values)) return undefined;
    const values = body.values as T[];
    const limit = num(body.limit);
    // Without isLastPage, a page shorter than the applied limit is the only end marker this envelope has.
    const isLast = bool(body.isLastPage) ?? (values.length < (limit ?? requestedLimit) ? true : undefined);
    return { values, isLast, start: num(body.start), limit };
  },
};

/**
 * /rest/api/{2,3}/*: either a plain array (users/search, which may return fewer
 * rows than maxResults before the end, so only an empty page ends it) or a
 * PageBean { startAt, maxResults, isLast, values }.
 */
const platform: PageStyle = {
  startParam: 'startAt',
  limitParam: 'maxResults',
  decode<T>(body: unknown) {
    if (Array.isArray(body)) return { values: body as T[], isLast: undefined };
    if (!isRecord(body) || !Array.isArray(body.values)) return undefined;
    return {
      values: body.values as T[],
      isLast: bool(body.isLast),
      start: num(body.startAt),
      limit: num(body.maxResults),
      total: num(body.total),
    };
  },
};

export function pageStyleFor(path: string, style: PageStyleName | undefined): PageStyle {
  const name = style ?? (/^\/rest\/api\//.test(path) ? 'platform' : 'servicedesk');
  return name === 'platform' ? platform : servicedesk;
}
