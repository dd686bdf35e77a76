/**
 * What signing in through an identity provider needs of a browser: cookies kept per host, redirects
 * followed, HTML read back. Errors name the step of the sign-in that failed and never carry a
 * request body, a query string or a cookie (they hold passwords, session tokens and SAML).
 */
import { request } from 'undici';
import { PgError, SqlState } from '../../errors/index.ts';
import { transportSecurityError } from '../tls/transport-errors.ts';
import type { DispatcherFor } from './provider.ts';

export type SsoIdp = 'Okta' | 'Crowd';

export interface SsoResponse {
  status: number;
  /** Lower-case names; set-cookie as a list. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Where the answer came from, after redirects. */
  url: URL;
}

/** Raised when a sign-in step fails: always 28000, `<idp> sign-in failed at <step>: <why>`. */
export function signInFailed(idp: SsoIdp | 'JSM', step: string, why: string, hint?: string): PgError {
  const who = idp === 'JSM' ? 'SSO sign-in' : `${idp} sign-in`;
  return new PgError(SqlState.InvalidAuthorizationSpecification, `${who} failed at ${step}: ${why}`, hint ? { hint } : {});
}

/** An address safe to show: no user info, no query string (a session token may be in it). */
export const showUrl = (url: URL): string => `${url.origin}${url.pathname}`;

const MAX_REDIRECTS = 10;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface SsoRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /** Follow 3xx answers (as a browser does with the SSO pages); API calls do not. */
  follow?: boolean;
}

/**
 * `dispatcherFor`: each request goes through the dispatcher of its URL's origin (SSLServerCert,
 * SSLClientCert*, Proxy* and the environment's proxy, as for JSM), redirects to another host too;
 * without it, undici's global dispatcher.
 */
export class SsoBrowser {
  readonly #cookies = new Map<string, Map<string, string>>();

  constructor(
    private readonly idp: SsoIdp | 'JSM',
    private readonly timeoutMs: number,
    private readonly dispatcherFor?: DispatcherFor,
  ) {}

  setCookie(url: URL, name: string, value: string): void {
    const jar = this.#cookies.get(url.host) ?? new Map<string, string>();
    jar.set(name, value);
    this.#cookies.set(url.host, jar);
  }

  /** Cookies a response set, as `name=value` pairs (attributes dropped). */
  static cookiesSet(response: SsoResponse): [string, string][] {
    const list = response.headers['set-cookie'];
    return (Array.isArray(list) ? list : list ? [list] : []).flatMap((line) => {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      return eq > 0 ? [[pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()] as [string, string]] : [];
    });
  }

  async send(step: string, req: SsoRequest, signal: AbortSignal): Promise<SsoResponse> {
    let { method, url, body } = req;
    for (let hop = 0; ; hop++) {
      const response = await this.#once(step, method, url, req.headers ?? {}, body, signal);
      for (const [name, value] of SsoBrowser.cookiesSet(response)) this.setCookie(url, name, value);
      const location = response.headers.location;
      if (!req.follow || response.status < 300 || response.status >= 400 || typeof location !== 'string') return response;
      if (hop >= MAX_REDIRECTS) throw signInFailed(this.idp, step, `more than ${MAX_REDIRECTS} redirects from ${showUrl(url)}`);
      url = new URL(location, url);
      // 301/302/303 turn a POST into a GET, as browsers do.
      method = 'GET';
      body = undefined;
    }
  }

  async #once(step: string, method: 'GET' | 'POST', url: URL, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<SsoResponse> {
    const jar = this.#cookies.get(url.host);
    const cookie = jar && [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await request(url, {
        method,
        headers: { ...headers, ...(cookie ? { cookie } : {}) },
        body,
        signal: AbortSignal.any([signal, timeout]),
        ...(this.dispatcherFor ? { dispatcher: this.dispatcherFor(url.origin) } : {}),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) throw signInFailed(this.idp, step, `the answer from ${showUrl(url)} is larger than ${MAX_BODY_BYTES} bytes`);
        chunks.push(chunk as Buffer);
      }
      return { status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), url };
    } catch (err) {
      if (err instanceof PgError) throw err;
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new PgError(SqlState.QueryCanceled, 'canceling statement due to user request');
      if (timeout.aborted) throw new PgError(SqlState.ConnectionException, `${this.idp} sign-in failed at ${step}: ${showUrl(url)} did not answer within ${this.timeoutMs} ms`);
      const code = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
      // an untrusted certificate, a refused client certificate or proxy: named, with the property to check
      const security = transportSecurityError(String(code ?? ''), err, url.origin, `${this.idp} sign-in, ${step}`, this.idp);
      if (security) throw new PgError(security.code, `${this.idp} sign-in failed at ${step}: ${security.message}`, security.fields);
      throw new PgError(SqlState.ConnectionException, `${this.idp} sign-in failed at ${step}: could not reach ${showUrl(url)}${typeof code === 'string' ? ` (${code})` : ''}`);
    }
  }
}

export function parseJson(response: SsoResponse): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(response.text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
