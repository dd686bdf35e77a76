import { PgError, SqlState } from '../errors/index.ts';
import { assertSafePath, buildQueryString, type SiteAddress } from './url.ts';
import type { QueryInput } from './types.ts';

export interface Target {
  /** What goes on the request line: base path + path + query. */
  target: string;
  /** Base path + path: what logs and error details show. */
  display: string;
}

export function buildTarget(site: SiteAddress, path: string, query?: QueryInput): Target {
  assertSafePath(path);
  const display = site.basePath + path;
  return { target: display + buildQueryString(query), display };
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

export interface HeaderInput {
  language?: string;
  extra?: Record<string, string>;
  json?: boolean;
  multipart?: boolean;
}

/**
 * Request headers, lower-cased so a caller's "accept" replaces ours instead of
 * duplicating it. Authorization is added by the caller of this function, after
 * the cache key has been taken from these headers.
 */
export function baseHeaders(input: HeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    // Experimental JSM endpoints answer 412 without it; stable ones ignore it.
    'x-experimentalapi': 'opt-in',
    'user-agent': 'jsm-pg',
  };
  if (input.json) headers['content-type'] = 'application/json';
  // Jira's XSRF check rejects multipart posts without it.
  if (input.multipart) headers['x-atlassian-token'] = 'no-check';
  const supplied = { ...(input.language ? { 'accept-language': input.language } : {}), ...input.extra };
  for (const [name, value] of Object.entries(supplied)) {
    if (!HEADER_NAME.test(name) || HEADER_VALUE_FORBIDDEN.test(value)) {
      throw new PgError(SqlState.InvalidParameterValue, `invalid HTTP header ${JSON.stringify(name)} for a JSM request`);
    }
    const lower = name.toLowerCase();
    if (lower === 'authorization') continue;
    headers[lower] = value;
  }
  return headers;
}
