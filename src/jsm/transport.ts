import { FormData as UndiciFormData } from 'undici';
import {
  canceledError,
  judgeNetworkError,
  judgeResponse,
  timeoutError,
  type RawResponse,
  type RequestContext,
  type Verdict,
} from './http-errors.ts';
import type { Site } from './site-registry.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface OutgoingRequest {
  method: HttpMethod;
  /** Base path + path + query string. */
  target: string;
  headers: Record<string, string>;
  body?: string | UndiciFormData;
}

export interface Attempt {
  verdict: Verdict;
  response?: RawResponse;
}

/**
 * Node's global FormData comes from the undici bundled with Node, which this
 * undici does not recognise (it would fail while streaming the body), so
 * entries are copied into this undici's FormData; File names survive the copy.
 */
export function toWireForm(form: FormData | UndiciFormData): UndiciFormData {
  if (form instanceof UndiciFormData) return form;
  const wire = new UndiciFormData();
  // forEach, not entries(): the DOM typing some dependencies pull in has no iterator on FormData
  form.forEach((value, name) => {
    if (typeof value === 'string') wire.append(name, value);
    else wire.append(name, value, value.name);
  });
  return wire;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const isTimeout = (err: unknown): boolean =>
  !!err && typeof err === 'object' && TIMEOUT_CODES.has(String((err as { code?: unknown }).code));

/**
 * One HTTP exchange under the site's concurrency slot. The slot is held until
 * the body is fully read, so "in flight" matches what JSM sees. Aborts and
 * timeouts throw (they are never retried); everything else becomes a Verdict.
 */
export async function sendOnce(
  site: Site,
  req: OutgoingRequest,
  ctx: RequestContext,
  signal: AbortSignal | undefined,
  onDispatch: () => void,
): Promise<Attempt> {
  const release = await site.slots.acquire(signal);
  onDispatch();
  const controller = new AbortController();
  let timedOut = false;
  // headersTimeout/bodyTimeout are inactivity timers; this one bounds the whole exchange.
  const timer =
    ctx.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, ctx.timeoutMs)
      : undefined;
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await site.pool.request({
      // agents (proxy) need the origin; a Pool has its own
      origin: site.origin,
      method: req.method,
      path: req.target,
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
    const text = await res.body.text();
    const response: RawResponse = { status: res.statusCode, headers: res.headers, text };
    return { verdict: judgeResponse(response, ctx), response };
  } catch (err) {
    if (timedOut || isTimeout(err)) throw timeoutError(ctx);
    if (signal?.aborted) throw canceledError(signal);
    return { verdict: judgeNetworkError(err, ctx) };
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    release();
  }
}
