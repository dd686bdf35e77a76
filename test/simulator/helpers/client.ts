/**
 * HTTP helpers for the simulator tests: real fetch calls with the documented
 * credentials, and every servicedeskapi response body checked against the
 * OpenAPI file before a test sees it.
 */
import { SIM_IDENTITIES, type RunningSimulator } from '../../../src/simulator/index.ts';
import { assertMatchesSpec, findOperation } from './openapi.ts';

export type Who = 'agent' | 'customer' | 'anonymous' | { authorization: string };

export interface CallOptions {
  experimental?: boolean;
  lang?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is FormData. */
  body?: unknown;
  /** Sent verbatim as application/json, for malformed-body tests. */
  raw?: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Whether a schema from the spec was applied to the body. */
  validated: boolean;
}

export const basic = (login: string, secret: string) => `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`;

export function authorization(who: Who): string | undefined {
  if (who === 'anonymous') return undefined;
  if (typeof who === 'object') return who.authorization;
  const id = SIM_IDENTITIES[who];
  return basic(id.email, id.apiToken);
}

export async function call(sim: RunningSimulator, who: Who, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const auth = authorization(who);
  if (auth) headers.authorization = auth;
  if (opts.experimental) headers['x-experimentalapi'] = 'opt-in';
  if (opts.lang) headers['accept-language'] = opts.lang;
  let body: RequestInit['body'];
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined || opts.raw !== undefined) {
    body = opts.raw ?? JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(sim.url + path, { method, headers, body });
  const text = await res.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  const pathname = new URL(sim.url + path).pathname;
  // Calls the spec does not define (wrong method, made-up path) have no schema to check against.
  const validated = findOperation(method, pathname) ? assertMatchesSpec(method, pathname, res.status, parsed) : false;
  return { status: res.status, headers: res.headers, body: parsed, validated };
}

/** Shorthands bound to one simulator and caller. */
export function as(sim: RunningSimulator, who: Who) {
  return {
    get: (path: string, opts?: CallOptions) => call(sim, who, 'GET', path, opts),
    post: (path: string, body?: unknown, opts?: CallOptions) => call(sim, who, 'POST', path, { ...opts, body }),
    put: (path: string, body?: unknown, opts?: CallOptions) => call(sim, who, 'PUT', path, { ...opts, body }),
    delete: (path: string, body?: unknown, opts?: CallOptions) => call(sim, who, 'DELETE', path, { ...opts, body }),
  };
}

/** Follows `_links.next` from the first page and returns every value, checking each page on the way. */
export async function allPages(sim: RunningSimulator, who: Who, path: string, opts?: CallOptions): Promise<{ values: unknown[]; pages: number }> {
  const values: unknown[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const res = await call(sim, who, 'GET', next, opts);
    if (res.status !== 200) throw new Error(`GET ${next} answered ${res.status}`);
    values.push(...res.body.values);
    pages++;
    next = res.body.isLastPage ? undefined : res.body._links.next.slice(sim.url.length);
  }
  return { values, pages };
}

export const API = '/rest/servicedeskapi';

/** Calls the unauthenticated admin API (/__sim/...). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function admin(sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sim.url}/__sim/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}
