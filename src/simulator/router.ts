/**
 * Minimal method + path-template router. Templates use the OpenAPI form
 * ({param}), so a route can be looked up in the spec by its own template and
 * inherit the spec's experimental flag.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimUser } from './model.ts';
import type { View } from './render-user.ts';

export interface Reply {
  status: number;
  /** JSON-serialised; omitted for 204-style replies. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  method: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The authenticated caller; only anonymous routes can see it undefined. */
  user: SimUser | undefined;
  view: View;
  /** Parsed JSON body; throws a 400 ApiError when it is not JSON. */
  json(): Record<string, unknown>;
  form(): Promise<FormData>;
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;

export interface RouteOptions {
  /** Callable without credentials (the API documents these as needing no login). */
  anonymous?: boolean;
  /** Multipart endpoints demand X-Atlassian-Token: no-check (XSRF protection). */
  xsrf?: boolean;
  /** Forces the X-ExperimentalApi opt-in even where the spec does not flag it. */
  experimental?: boolean;
}

export interface Route extends RouteOptions {
  method: string;
  template: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
}

export function compileTemplate(template: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${pattern}/?$`), keys };
}

export interface RouteMatch {
  route?: Route;
  params: Record<string, string>;
  /** Some route serves this path, but with another method. */
  pathKnown: boolean;
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly isExperimental: (method: string, template: string) => boolean) {}

  add(method: string, template: string, handler: Handler, options: RouteOptions = {}): void {
    const experimental = options.experimental || this.isExperimental(method, template);
    this.routes.push({ ...options, experimental, method, template, handler, ...compileTemplate(template) });
    // Literal segments beat parameters, so /requesttype/permissions/check wins over /requesttype/{id}.
    this.routes.sort((a, b) => a.keys.length - b.keys.length);
  }

  get = (t: string, h: Handler, o?: RouteOptions) => this.add('GET', t, h, o);
  post = (t: string, h: Handler, o?: RouteOptions) => this.add('POST', t, h, o);
  put = (t: string, h: Handler, o?: RouteOptions) => this.add('PUT', t, h, o);
  delete = (t: string, h: Handler, o?: RouteOptions) => this.add('DELETE', t, h, o);

  match(method: string, path: string): RouteMatch {
    let pathKnown = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        pathKnown = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1])));
      return { route, params, pathKnown: true };
    }
    return { params: {}, pathKnown };
  }
}
