import { PgError, SqlState } from '../errors/index.ts';
import type { QueryInput } from './types.ts';

/** Where a client sends requests: the origin (for pooling) and the context path of a Data Center install. */
export interface SiteAddress {
  origin: string;
  basePath: string;
}

export function parseBaseUrl(baseUrl: string): SiteAddress {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // The raw value is not echoed: a mistyped URL may still carry user:password@.
    throw new PgError(SqlState.InvalidParameterValue, 'JSM BaseUrl is not a valid URL', {
      hint: 'Use e.g. https://your-site.atlassian.net or http://host:8080/jira',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PgError(SqlState.InvalidParameterValue, `JSM BaseUrl must use http or https, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new PgError(SqlState.InvalidParameterValue, 'JSM BaseUrl must not contain credentials', {
      hint: 'Pass them as User / APIToken / Password instead',
    });
  }
  if (url.search || url.hash) {
    throw new PgError(SqlState.InvalidParameterValue, 'JSM BaseUrl must not contain a query or fragment');
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/**
 * Whether a value can fill one path segment. "." and ".." are refused outright rather than
 * percent-encoded because servlet containers decode before normalising, so %2E%2E would still
 * climb a level on the JSM side; a "/" is refused for the same reason: some servers and proxies
 * decode %2F before routing, which splits the segment in two. No JSM identifier is empty or
 * contains a "/".
 */
export function isPathSegmentValue(text: string): boolean {
  return text !== '' && text !== '.' && text !== '..' && !text.includes('/');
}

/** Encodes one path segment, refusing values that could address another endpoint (see isPathSegmentValue). */
export function encodePathSegment(value: string | number): string {
  const text = String(value);
  if (!isPathSegmentValue(text)) {
    throw new PgError(SqlState.InvalidParameterValue, `invalid JSM identifier ${JSON.stringify(text)}`, {
      detail: 'A JSM identifier is never empty, "." or "..", and never contains "/".',
    });
  }
  return encodeURIComponent(text);
}

/** Tagged template for request paths: every interpolated value becomes exactly one encoded segment. */
export function jsmPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let out = strings[0];
  values.forEach((value, i) => {
    out += encodePathSegment(value) + strings[i + 1];
  });
  return out;
}

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;
const UNSAFE_PATH_CHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@%/]/;

/**
 * Rejects paths that could address something other than what the caller spelled:
 * query or fragment smuggled into the path, raw control characters, dot segments.
 */
export function assertSafePath(path: string): void {
  const problem = !path.startsWith('/')
    ? 'must start with /'
    : UNSAFE_PATH_CHAR.test(path)
      ? 'contains characters that must be encoded (build it with jsmPath)'
      : DOT_SEGMENT.test(path)
        ? 'contains a . or .. segment'
        : undefined;
  if (problem) {
    throw new PgError(SqlState.InvalidParameterValue, `invalid JSM request path: it ${problem}`);
  }
}

/** Query string with keys sorted so equal queries produce equal cache keys; arrays repeat the key. */
export function buildQueryString(query: QueryInput | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
