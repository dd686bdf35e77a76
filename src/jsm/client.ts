import { setMaxListeners } from 'node:events';
import { pino, type Logger } from 'pino';
import type { FormData as UndiciFormData } from 'undici';
import { PgError, SqlState } from '../errors/index.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { createAuthProvider, type AuthProvider } from './auth/index.ts';
import { resolveOptions, type ResolvedOptions } from './client-options.ts';
import { endpointLabel } from './endpoint-label.ts';
import { malformedResponse, type RequestContext } from './http-errors.ts';
import { computeIdentityKey } from './identity.ts';
import { pageStyleFor } from './page-styles.ts';
import { paginatePages } from './paginate.ts';
import { baseHeaders, buildTarget, type Target } from './request-builder.ts';
import { runWithRetries } from './retry.ts';
import { linkSignals } from './signals.ts';
import { siteFor, type Site } from './site-registry.ts';
import { sendOnce, toWireForm, type Attempt, type HttpMethod } from './transport.ts';
import type { GetOpts, JsmClientOptions, JsmClientStats, PageOpts, QueryInput, RequestOpts } from './types.ts';
import { parseBaseUrl, type SiteAddress } from './url.ts';

type Outcome = { kind: 'ok'; text: string } | { kind: 'absent'; error: PgError };

const silentLogger = pino({ level: 'silent' });

export class JsmClient {
  readonly identityKey: string;
  /**
   * The gateway's metrics: this client counts its API calls, retries and bytes there, and the
   * executor, which reaches the gateway through its sessions' client, counts cache use and loads.
   */
  readonly metrics: GatewayMetrics | undefined;
  readonly #address: SiteAddress;
  readonly #site: Site;
  readonly #auth: AuthProvider;
  /** TLS and proxy settings, for the other sites a scheme routes to (the Cloud API gateway). */
  readonly #transport: JsmClientOptions['transport'];
  readonly #log: Logger;
  readonly #opts: ResolvedOptions;
  readonly #closer = closeController();
  readonly #stats: JsmClientStats = { requests: 0, retries: 0 };

  constructor(opts: JsmClientOptions) {
    this.#address = parseBaseUrl(opts.baseUrl);
    this.#opts = resolveOptions(opts);
    this.#transport = opts.transport;
    this.#site = siteFor(this.#address.origin, this.#opts.maxConcurrency, opts.transport);
    // the site first: a scheme's own calls (OAuth 1.0a token exchange) go through its TLS and proxy
    const baseUrl = `${this.#address.origin}${this.#address.basePath}`;
    const dispatcherFor = (origin: string) => siteFor(origin, this.#opts.maxConcurrency, opts.transport).pool;
    this.#auth = createAuthProvider(opts.credentials, { baseUrl, dispatcher: this.#site.pool, dispatcherFor });
    this.identityKey = computeIdentityKey(this.#address, this.#auth, this.#opts.language);
    this.#log = (opts.logger ?? silentLogger).child({ component: 'jsm', origin: this.#address.origin });
    this.metrics = opts.metrics;
  }

  get<T>(path: string, query?: QueryInput, opts?: GetOpts & { notFoundAsNull?: false }): Promise<T>;
  get<T>(path: string, query: QueryInput | undefined, opts: GetOpts): Promise<T | null>;
  async get<T>(path: string, query?: QueryInput, opts: GetOpts = {}): Promise<T | null> {
    const target = buildTarget(this.#address, path, query);
    const outcome = await this.#withSignal(opts.signal, (signal) => this.#read(target, opts, signal));
    if (outcome.kind === 'absent') {
      if (opts.notFoundAsNull) return null;
      throw outcome.error;
    }
    return this.#parse<T>(outcome.text, 'GET', target);
  }

  getOrNull<T>(path: string, query?: QueryInput, opts: RequestOpts = {}): Promise<T | null> {
    return this.get<T>(path, query, { ...opts, notFoundAsNull: true });
  }

  async *paginate<T>(path: string, query: QueryInput = {}, opts: PageOpts = {}): AsyncGenerator<T[], void, undefined> {
    const style = pageStyleFor(path, opts.style);
    const { [style.startParam]: start, [style.limitParam]: limit, ...rest } = query;
    const display = buildTarget(this.#address, path).display;
    const link = linkSignals(opts.signal, this.#closer.signal);
    try {
      yield* paginatePages<T>({
        style,
        start: opts.start ?? (Number(start ?? 0) || 0),
        pageSize: opts.pageSize ?? (Number(limit) || 50),
        maxRows: opts.maxRows ?? Infinity,
        parallel: opts.parallel ?? this.#opts.maxConcurrency,
        expectedRows: opts.expectedRows,
        signal: link.signal,
        onPage: opts.onPage,
        fetchPage: async (pageStart, pageLimit, signal) => {
          const target = buildTarget(this.#address, path, {
            ...rest,
            [style.startParam]: pageStart,
            [style.limitParam]: pageLimit,
          });
          const outcome = await this.#read(target, opts, signal);
          if (outcome.kind === 'absent') throw outcome.error;
          return this.#parse<unknown>(outcome.text, 'GET', target);
        },
        malformed: (what) => malformedResponse(this.#context('GET', display), what),
      });
    } finally {
      link.dispose();
    }
  }

  post<T>(path: string, body?: unknown, opts: RequestOpts = {}): Promise<T> {
    return this.#write<T>('POST', path, body, opts);
  }

  put<T>(path: string, body?: unknown, opts: RequestOpts = {}): Promise<T> {
    return this.#write<T>('PUT', path, body, opts);
  }

  delete<T>(path: string, body?: unknown, opts: RequestOpts = {}): Promise<T> {
    return this.#write<T>('DELETE', path, body, opts);
  }

  postMultipart<T>(path: string, form: FormData | UndiciFormData, opts: RequestOpts = {}): Promise<T> {
    return this.#write<T>('POST', path, toWireForm(form), opts, true);
  }

  stats(): JsmClientStats {
    return { ...this.#stats };
  }

  /** Cancels this client's in-flight calls; the per-origin pool stays for other sessions. */
  async close(): Promise<void> {
    if (!this.#closer.signal.aborted) {
      this.#closer.abort(new PgError(SqlState.QueryCanceled, 'JSM client was closed'));
    }
    this.#auth.close?.();
  }

  async #withSignal<R>(signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const link = linkSignals(signal, this.#closer.signal);
    try {
      return await run(link.signal);
    } finally {
      link.dispose();
    }
  }

  /**
   * Every GET reaches JSM: the client keeps no cache. Results are cached, and identical reads made
   * once, per scan call in the executor (ScanCache), which can tell when a wider result serves a call.
   */
  #read(target: Target, opts: RequestOpts, signal: AbortSignal): Promise<Outcome> {
    const headers = baseHeaders({ language: this.#opts.language, extra: opts.headers });
    return this.#execute('GET', target, headers, undefined, signal);
  }

  async #write<T>(method: HttpMethod, path: string, body: unknown, opts: RequestOpts, multipart = false): Promise<T> {
    const target = buildTarget(this.#address, path);
    const json = !multipart && body !== undefined;
    const headers = baseHeaders({ language: this.#opts.language, extra: opts.headers, json, multipart });
    const payload = multipart ? (body as UndiciFormData) : json ? JSON.stringify(body) : undefined;
    const outcome = await this.#withSignal(opts.signal, (s) => this.#execute(method, target, headers, payload, s));
    if (outcome.kind === 'absent') throw outcome.error;
    return this.#parse<T>(outcome.text, method, target);
  }

  #context(method: HttpMethod, display: string): RequestContext {
    return {
      method,
      path: display,
      origin: this.#address.origin,
      principal: this.#auth.principal,
      checkProperties: this.#auth.checkProperties,
      authHint: `AuthScheme ${this.#auth.scheme} sends ${this.#auth.usedProperties}`,
      timeoutMs: this.#opts.timeoutMs,
    };
  }

  async #execute(
    method: HttpMethod,
    target: Target,
    headers: Record<string, string>,
    body: string | UndiciFormData | undefined,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const ctx = this.#context(method, target.display);
    const auth = this.#auth;
    const log = { method, path: target.display };
    const metrics = this.metrics;
    const endpoint = metrics ? endpointLabel(target.display.slice(this.#address.basePath.length)) : '';
    try {
      const run = () => runWithRetries(
        this.#opts.retry,
        signal,
        async (attempt) => {
          if (auth.ready) await auth.ready(signal);
          // 3LO: the API gateway for the site's cloudId (known once ready() ran) serves the same paths under its prefix
          const via = auth.route?.();
          const path = via ? via.basePath + target.target.slice(this.#address.basePath.length) : target.target;
          const signed = { method, url: `${via?.origin ?? this.#address.origin}${path}` };
          const request = { method, target: path, headers: { ...headers, ...auth.headers(signed) }, body };
          // Timed from dispatch, so time spent queued for a concurrency slot is not reported as latency.
          let started = 0;
          let result: Attempt;
          try {
            result = await sendOnce(via ? siteFor(via.origin, this.#opts.maxConcurrency, this.#transport) : this.#site, request, ctx, signal, () => {
              this.#stats.requests++;
              started = performance.now();
            });
          } catch (err) {
            // dispatched, then timed out or canceled (a call canceled while queued for a slot was never made)
            if (metrics && started > 0) metrics.apiCall(method, endpoint, signal.aborted ? 'canceled' : 'timeout');
            throw err;
          }
          const ms = Math.round(performance.now() - started);
          if (metrics) {
            metrics.apiCall(method, endpoint, result.response?.status ?? 'network_error');
            if (result.response) metrics.bytesFetched(Buffer.byteLength(result.response.text));
          }
          this.#log.debug({ ...log, status: result.response?.status, ms, attempt }, 'jsm request');
          return { verdict: result.verdict, value: result.response };
        },
        ({ retry, delayMs, error }) => {
          this.#stats.retries++;
          metrics?.apiRetry(endpoint);
          this.#log.warn({ ...log, attempt: retry, delayMs, code: error.code }, 'jsm request will be retried');
        },
      );
      let { verdict, value } = await run();
      // an expired OAuth token or SSO session: renewed once, and the request sent again
      if (value?.status === 401 && auth.renew && (await auth.renew(signal))) ({ verdict, value } = await run());
      if (verdict.kind === 'fail' || verdict.kind === 'retry') throw verdict.error;
      if (verdict.kind === 'absent') return { kind: 'absent', error: verdict.error };
      return { kind: 'ok', text: value?.text ?? '' };
    } catch (err) {
      this.#log.debug({ ...log, code: err instanceof PgError ? err.code : undefined }, 'jsm request failed');
      throw err;
    }
  }

  #parse<T>(text: string, method: HttpMethod, target: Target): T {
    // 204 and empty 200 bodies (PUT/DELETE on JSM) resolve to undefined.
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw malformedResponse(this.#context(method, target.display), 'a response that is not JSON');
    }
  }
}

/** The client's close signal: every request in flight listens to it (and detaches when it settles). */
function closeController(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}
