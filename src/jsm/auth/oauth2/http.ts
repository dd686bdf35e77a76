/**
 * The OAuth calls (token endpoint through openid-client, accessible-resources) sent through the
 * gateway's own undici dispatchers rather than the global fetch: the global fetch knows nothing of
 * SSLServerCert, SSLClientCert* or the proxy properties, so a token endpoint behind a private CA or
 * a proxy would be unreachable while JSM itself is reached.
 */
import type { Dispatcher } from 'undici';
import { request } from 'undici';

/** What openid-client's customFetch is given, and what the accessible-resources call needs. */
export interface OAuthFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export type OAuthFetch = (url: string, init: OAuthFetchInit) => Promise<Response>;

/** Answers larger than this are not OAuth answers: refused rather than buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

function wireBody(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // openid-client sends forms; a stream would be a new use that this adapter must learn first
  throw new TypeError('OAuth request body of an unsupported kind');
}

/** A fetch whose requests go through `dispatcherFor(origin)`: the same pools (TLS, proxy) as the JSM calls. */
export function fetchVia(dispatcherFor: (origin: string) => Dispatcher): OAuthFetch {
  return async (url, init) => {
    const res = await request(url, {
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: init.headers ?? {},
      body: wireBody(init.body),
      signal: init.signal,
      dispatcher: dispatcherFor(new URL(url).origin),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        res.body.destroy();
        throw new Error(`the answer from ${new URL(url).origin} is larger than ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    // a global Response, as openid-client and callers expect (no body for the statuses that forbid one)
    const noBody = res.statusCode === 204 || res.statusCode === 304 || (res.statusCode >= 100 && res.statusCode < 200);
    return new Response(noBody ? null : Buffer.concat(chunks), { status: res.statusCode, headers });
  };
}
