/**
 * One identity's OAuth 2.0 (3LO) state: its tokens in the settings store, refreshed when they
 * expire (or JSM answers 401), the site's cloudId, and the authorizations waiting for a code.
 * Everything that changes tokens runs once per store location at a time (`single`): sessions and
 * clients of the same identity share one refresh, and with rotating refresh tokens a second refresh
 * of the same token would be refused and lose the identity.
 */
import type { Logger } from 'pino';
import { PgError, SqlState } from '../../../errors/index.ts';
import type { SiteAddress } from '../../url.ts';
import { BrowserFlow } from './browser-flow.ts';
import { endpointsFor, gatewayBasePath, type OAuthEndpoints } from './endpoints.ts';
import { accessibleResources, authorizationRequest, exchangeCode, pickSite, refreshGrant, type GrantedTokens, type OAuthApp } from './grants.ts';
import type { OAuthFetch } from './http.ts';
import { openSettingsStore, type OAuthSettings, type PendingAuthorization, type SettingsStore } from './settings-store.ts';

export type InitiateOAuth = 'OFF' | 'GETANDREFRESH' | 'REFRESH';

/** The connection properties of the 3LO flow (seed 003), as given; empty ones are absent. */
export interface OAuth2Options {
  readonly initiate: InitiateOAuth;
  /** The URL property: which site, and whether it is Atlassian Cloud. */
  readonly siteUrl: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly scope: string;
  readonly callbackUrl?: string;
  readonly settingsLocation: string;
  /** The operator's key for a settings file (JSM_PG_OAUTH_KEY). */
  readonly settingsKey?: string;
  readonly verifier?: string;
  readonly accessToken?: string;
  readonly refreshToken?: string;
  readonly expiresIn?: string;
  readonly tokenTimestamp?: string;
  readonly cloudId?: string;
  readonly logger?: Logger;
  /** The OAuth calls through the site's dispatchers (TLS, proxy); the global fetch when absent. */
  readonly fetch?: OAuthFetch;
  /** A stand-in for Atlassian's Cloud services (JSM_PG_ATLASSIAN_ORIGIN): see endpoints.ts. */
  readonly atlassianOrigin?: string;
}

/** Pending authorizations kept per identity: a few browsers may be open at once, none for long. */
const MAX_PENDING = 5;
const PENDING_TTL_MS = 60 * 60 * 1000;

const inflight = new Map<string, Promise<unknown>>();

/** Runs `op` once per key at a time: callers arriving meanwhile get the same outcome. */
function single<T>(key: string, op: () => Promise<T>): Promise<T> {
  const running = inflight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const p = op().finally(() => inflight.delete(key));
  inflight.set(key, p);
  return p;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `op` after the previous one of the key: unlike `single`, every caller's own operation runs. */
function serial<T>(key: string, op: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const p = previous.catch(() => undefined).then(op);
  const tail = p.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return p;
}

/** A waiter gives up when its own statement is canceled; the shared operation goes on for the others. */
function orAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const num = (v: string | undefined): number | undefined => (v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

/** Expired, or about to be: a margin of a tenth of the lifetime (at most a minute) covers the clock and the trip. */
export function isExpired(s: OAuthSettings, now = Date.now()): boolean {
  if (s.expiresIn === undefined || s.tokenTimestamp === undefined) return false;
  const life = s.expiresIn * 1000;
  return now >= s.tokenTimestamp + life - Math.min(60_000, life / 10);
}

export function remainingSeconds(s: OAuthSettings, now = Date.now()): number | undefined {
  if (s.expiresIn === undefined || s.tokenTimestamp === undefined) return undefined;
  return Math.max(0, Math.round((s.tokenTimestamp + s.expiresIn * 1000 - now) / 1000));
}

const noCredentials = (message: string, hint: string) => new PgError(SqlState.InvalidAuthorizationSpecification, message, { hint });

const HEADLESS_HINT =
  "Authorize once: CALL GetOAuthAuthorizationURL(); open the URL, approve, and take the code from the address the browser is sent to; then CALL GetOAuthAccessToken(AuthMode => 'WEB', Verifier => '<code>').";

export class OAuth2Session {
  readonly initiate: InitiateOAuth;
  readonly store: SettingsStore;
  readonly #opts: OAuth2Options;
  readonly #siteUrl: string;
  readonly endpoints: OAuthEndpoints;
  readonly #browser: BrowserFlow;

  constructor(opts: OAuth2Options) {
    this.#opts = opts;
    this.initiate = opts.initiate;
    this.#siteUrl = opts.siteUrl;
    this.endpoints = endpointsFor(opts.siteUrl, opts.atlassianOrigin);
    this.#browser = new BrowserFlow({
      callbackUrl: opts.callbackUrl,
      logger: opts.logger,
      start: async () => {
        const { url, pending } = await this.startAuthorization({ browser: true });
        return { url, state: pending.state };
      },
      complete: async (code, state) => {
        await this.completeAuthorization({ code, state });
      },
    });
    if (opts.initiate !== 'OFF' && !opts.clientId) {
      throw noCredentials(`InitiateOAuth=${opts.initiate} requires the OAuthClientId connection property`, 'Set OAuthClientId and OAuthClientSecret to those of your OAuth 2.0 (3LO) app.');
    }
    // OFF: the user handles tokens, so nothing is written to a file; what the procedures obtain lives in memory
    this.store = opts.initiate === 'OFF' && !/^memory:\/\//i.test(opts.settingsLocation)
      ? openSettingsStore(`memory://jsm-pg-off/${opts.clientId ?? ''}/${opts.siteUrl}`, undefined)
      : openSettingsStore(opts.settingsLocation, opts.settingsKey);
  }

  /** The app (client id, secret, scope, endpoints); the procedures and the flows need one. */
  app(scope?: string): OAuthApp {
    const { clientId, clientSecret } = this.#opts;
    if (!clientId) throw noCredentials('OAuth 2.0 flows require the OAuthClientId connection property', 'Set OAuthClientId and OAuthClientSecret to those of your OAuth 2.0 (3LO) app.');
    return { clientId, clientSecret: clientSecret ?? '', scope: scope || this.#opts.scope, endpoints: this.endpoints, ...(this.#opts.fetch ? { fetch: this.#opts.fetch } : {}) };
  }

  get clientId(): string | undefined {
    return this.#opts.clientId;
  }

  /**
   * Who the identity is (for the cache and coalescing key; never logged): the app and where its tokens
   * live, which stay the same when a token rotates; with OFF the token given is the identity.
   */
  identityMaterial(): string {
    const given = this.initiate === 'OFF' ? (this.#opts.accessToken ?? '') : '';
    return `OAuth2\n${this.#opts.clientId ?? ''}\n${this.#siteUrl}\n${this.store.key}\n${given}`;
  }

  /** The tokens in force: the store's, else those given as properties (REFRESH starts from them). */
  async current(): Promise<OAuthSettings> {
    const stored = await this.store.read();
    const o = this.#opts;
    const given: OAuthSettings = {
      ...(o.accessToken ? { accessToken: o.accessToken } : {}),
      ...(o.refreshToken ? { refreshToken: o.refreshToken } : {}),
      ...(num(o.expiresIn) !== undefined ? { expiresIn: num(o.expiresIn) } : {}),
      ...(num(o.tokenTimestamp) !== undefined ? { tokenTimestamp: num(o.tokenTimestamp) } : {}),
    };
    // OFF: the token given is the one to use; otherwise the stored one is newer (it may have rotated past the given one)
    if (this.initiate === 'OFF' && given.accessToken) return { ...stored, ...given };
    return stored.accessToken ? stored : { ...stored, ...given };
  }

  /**
   * An access token to send, refreshed when it has expired, and where to send it. Without one:
   * the OAuthVerifier property is exchanged (headless), or the error says how to authorize.
   */
  async ready(signal?: AbortSignal): Promise<{ accessToken: string; route?: SiteAddress }> {
    let s = await this.current();
    if (!s.accessToken && this.#opts.verifier && this.initiate !== 'OFF') {
      s = await orAbort(single(`${this.store.key}\nexchange`, () => this.#exchangeVerifierProperty()), signal);
    }
    if (!s.accessToken) throw await this.#noTokenYet();
    // the tokens came some other way (the headless procedures, another gateway): nobody needs the redirect
    if (this.#browser.listening) this.#browser.stop();
    if (this.initiate !== 'OFF' && isExpired(s)) s = await this.refreshShared(s.accessToken, signal);
    return { accessToken: s.accessToken!, route: await this.#route(s, signal) };
  }

  /**
   * GETANDREFRESH without a token: starts the browser flow now (at the gateway's start), so the
   * URL is in the log before anyone queries. Failures are only logged; a query says them again.
   */
  async prepare(): Promise<void> {
    if (this.initiate !== 'GETANDREFRESH' || this.#opts.verifier) return;
    try {
      if (!(await this.current()).accessToken) await this.#browser.ensure();
    } catch (err) {
      this.#opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'OAuth 2.0: the browser authorization could not be started');
    }
  }

  /** Stops listening for a browser redirect (the identity's client is closed). */
  close(): void {
    this.#browser.stop();
  }

  /** After a 401: one refresh shared by everyone who saw the same token fail; false when this mode cannot refresh. */
  async renew(staleAccessToken: string | undefined, signal?: AbortSignal): Promise<boolean> {
    if (this.initiate === 'OFF') return false;
    await this.refreshShared(staleAccessToken, signal);
    return true;
  }

  refreshShared(staleAccessToken: string | undefined, signal?: AbortSignal): Promise<OAuthSettings> {
    return orAbort(single(`${this.store.key}\nrefresh`, () => this.#refresh(staleAccessToken)), signal);
  }

  /**
   * RefreshOAuthAccessToken: the identity's own refresh token (or any, when it has none) is refreshed
   * as the sessions' is, and saved; another one is refreshed for the caller only, leaving the identity's alone.
   */
  async refreshWith(refreshToken: string, signal?: AbortSignal): Promise<OAuthSettings> {
    return orAbort(single(`${this.store.key}\nrefresh`, async () => {
      const s = await this.current();
      if (s.refreshToken && s.refreshToken !== refreshToken) {
        const fresh = await refreshGrant(this.app(), refreshToken);
        return { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken ?? refreshToken, expiresIn: fresh.expiresIn, tokenTimestamp: fresh.tokenTimestamp };
      }
      return this.#save(s, await refreshGrant(this.app(), refreshToken), refreshToken);
    }), signal);
  }

  async #refresh(staleAccessToken: string | undefined): Promise<OAuthSettings> {
    const s = await this.current();
    // another client (or gateway sharing the file) refreshed already: its token is the one to use
    if (s.accessToken && s.accessToken !== staleAccessToken && !isExpired(s)) return s;
    if (!s.refreshToken) {
      throw noCredentials(
        'OAuth 2.0 refresh failed: the access token has expired and there is no refresh token',
        `Ask for the offline_access scope, give OAuthRefreshToken, or authorize again. ${HEADLESS_HINT}`,
      );
    }
    const fresh = await refreshGrant(this.app(), s.refreshToken);
    return this.#save(s, fresh, s.refreshToken);
  }

  /** Writes the new tokens at once: the old refresh token no longer works once the server rotated it. */
  async #save(base: OAuthSettings, fresh: GrantedTokens, previousRefresh?: string): Promise<OAuthSettings> {
    const next: OAuthSettings = {
      ...base,
      accessToken: fresh.accessToken,
      refreshToken: fresh.refreshToken ?? previousRefresh,
      expiresIn: fresh.expiresIn,
      tokenTimestamp: fresh.tokenTimestamp,
    };
    if (fresh.expiresIn === undefined) delete next.expiresIn;
    if (!next.refreshToken) delete next.refreshToken;
    await this.store.write(next);
    return next;
  }

  /** GetOAuthAuthorizationURL: a new URL, its state and PKCE verifier kept in the store for the exchange. */
  async startAuthorization(opts: { callbackUrl?: string; scope?: string; state?: string; browser?: boolean }): Promise<{ url: string; pending: PendingAuthorization }> {
    const redirectUri = opts.callbackUrl || this.#opts.callbackUrl;
    if (!redirectUri) {
      throw new PgError(SqlState.InvalidParameterValue, 'an OAuth 2.0 authorization needs a callback URL', {
        hint: 'Set the CallbackURL connection property (the callback URL of your app) or pass CallbackUrl => ….',
      });
    }
    const started = await authorizationRequest(this.app(opts.scope), redirectUri, opts.scope || this.#opts.scope, opts.state);
    const request = opts.browser ? { ...started, pending: { ...started.pending, browser: true } } : started;
    // every authorization started is kept (the browser flow's and a procedure's may start together)
    await serial(`${this.store.key}\npending`, async () => {
      const s = await this.store.read();
      const now = Date.now();
      const pending = (s.pending ?? []).filter((p) => now - p.createdAt < PENDING_TTL_MS && p.state !== request.pending.state);
      await this.store.write({ ...s, pending: [...pending.slice(-(MAX_PENDING - 1)), request.pending] });
    });
    return request;
  }

  /**
   * Exchanges an authorization code for tokens, saves them and finds the site's cloudId. The code
   * may come with its state (AuthToken, or the whole callback URL pasted as Verifier) and verifier
   * (AuthKey); without them the latest pending authorization is the one.
   */
  async completeAuthorization(opts: { code: string; state?: string; codeVerifier?: string; callbackUrl?: string }, signal?: AbortSignal): Promise<OAuthSettings> {
    const { code, state } = splitCallback(opts.code, opts.state);
    return orAbort(single(`${this.store.key}\nexchange`, async () => {
      const s = await this.store.read();
      const pending = state ? (s.pending ?? []).filter((p) => p.state === state).at(-1) : latestForBareCode(s.pending);
      const redirectUri = opts.callbackUrl || pending?.redirectUri || this.#opts.callbackUrl;
      const codeVerifier = opts.codeVerifier || pending?.codeVerifier;
      if (!codeVerifier || !redirectUri) {
        throw noCredentials(
          state ? `no OAuth 2.0 authorization with that state is waiting here (it expires after an hour, or was completed)` : 'no OAuth 2.0 authorization is waiting for a code here',
          `Start one with CALL GetOAuthAuthorizationURL() on this gateway, or pass the AuthToken and AuthKey it answered. ${HEADLESS_HINT}`,
        );
      }
      const usedState = state ?? pending?.state ?? '';
      const fresh = await exchangeCode(this.app(), { state: usedState, codeVerifier, redirectUri, createdAt: 0 }, code, undefined);
      const base: OAuthSettings = { pending: (s.pending ?? []).filter((p) => p.state !== usedState) };
      // a new authorization may be for another site: the cloudId is found again
      const saved = await this.#save(base, fresh);
      return this.#withCloudId(saved, undefined);
    }), signal);
  }

  async #exchangeVerifierProperty(): Promise<OAuthSettings> {
    const s = await this.current();
    if (s.accessToken) return s;
    // completeAuthorization takes the same lock: run its body by hand (we hold it)
    const pending = latestForBareCode(s.pending);
    if (!pending) {
      throw noCredentials(
        'OAuthVerifier is set, but no authorization started by this gateway waits for it (the PKCE verifier is kept with the authorization)',
        HEADLESS_HINT,
      );
    }
    const { code } = splitCallback(this.#opts.verifier!, undefined);
    const fresh = await exchangeCode(this.app(), pending, code, undefined);
    const saved = await this.#save({ ...s, pending: (s.pending ?? []).filter((p) => p.state !== pending.state) }, fresh);
    return this.#withCloudId(saved, undefined);
  }

  /** Where requests go: the API gateway for the site's cloudId (3LO), or the URL itself (a token given for it). */
  async #route(s: OAuthSettings, signal?: AbortSignal): Promise<SiteAddress | undefined> {
    const ep = this.endpoints;
    // Data Center: the bearer token goes to the URL itself
    if (ep.flavor === 'datacenter' || !ep.apiOrigin) return undefined;
    const cloud = ep.apiOrigin !== new URL(this.#siteUrl).origin;
    // OFF with a token for the URL itself (a stand-in): nothing to route, unless a CloudId says so
    if (this.initiate === 'OFF' && !this.#opts.cloudId && !cloud) return undefined;
    const cloudId = this.#opts.cloudId || s.cloudId || (await orAbort(single(`${this.store.key}\ncloudid`, () => this.#withCloudId(s, undefined)), signal)).cloudId!;
    return { origin: ep.apiOrigin, basePath: gatewayBasePath(cloudId) };
  }

  /** The site's cloudId from accessible-resources, saved with the tokens (seed: found during authentication). */
  async #withCloudId(s: OAuthSettings, signal: AbortSignal | undefined): Promise<OAuthSettings> {
    // Data Center has no cloudId: the token is for the site it came from
    if (this.endpoints.flavor === 'datacenter') return s;
    if (this.#opts.cloudId) return { ...s, cloudId: this.#opts.cloudId };
    const site = pickSite(await accessibleResources(this.app(), s.accessToken!, signal), this.#siteUrl);
    const latest = await this.store.read();
    // saved only onto the same tokens: a refresh meanwhile wrote newer ones, which keep theirs
    if (latest.accessToken === s.accessToken || !latest.accessToken) {
      await this.store.write({ ...latest, accessToken: s.accessToken, refreshToken: s.refreshToken, expiresIn: s.expiresIn, tokenTimestamp: s.tokenTimestamp, cloudId: site.id });
    }
    this.#opts.logger?.info({ cloudId: site.id, site: site.url }, 'OAuth 2.0: the site was found among the token\'s accessible resources');
    return { ...s, cloudId: site.id };
  }

  /** No token: with GETANDREFRESH, the hint gives the browser flow's URL when the gateway listens for its redirect. */
  async #noTokenYet(): Promise<PgError> {
    if (this.initiate !== 'GETANDREFRESH') return this.#noToken();
    const url = await this.#browser.ensure().catch(() => undefined);
    if (!url) return this.#noToken();
    return noCredentials(
      `OAuth 2.0: no access token yet for this gateway (${this.store.key} holds none); waiting for the authorization in a browser`,
      `Open ${url} in a browser and approve; the gateway receives the redirect at ${this.#opts.callbackUrl} and stores the tokens, and the next query works. Or: ${HEADLESS_HINT}`,
    );
  }

  #noToken(): PgError {
    switch (this.initiate) {
      case 'OFF':
        return noCredentials(
          'AuthScheme OAuth with InitiateOAuth=OFF requires the OAuthAccessToken connection property',
          `Give the access token, or set InitiateOAuth=GETANDREFRESH. ${HEADLESS_HINT}`,
        );
      case 'REFRESH':
        return noCredentials(
          `InitiateOAuth=REFRESH only refreshes, and there is no token to refresh in ${this.store.key} or the connection properties`,
          'Give OAuthAccessToken and OAuthRefreshToken, or an OAuthSettingsLocation that holds them, or set OAuthVerifier to a code, or use InitiateOAuth=GETANDREFRESH.',
        );
      case 'GETANDREFRESH':
        return noCredentials(`OAuth 2.0: no access token yet for this gateway (${this.store.key} holds none)`, HEADLESS_HINT);
    }
  }
}

/**
 * The authorization a code given without its state belongs to: the latest one a person started
 * (GetOAuthAuthorizationURL); the browser flow's own comes back with its state, so it is the last resort.
 */
function latestForBareCode(pending: readonly PendingAuthorization[] | undefined): PendingAuthorization | undefined {
  return pending?.filter((p) => !p.browser).at(-1) ?? pending?.at(-1);
}

/** A Verifier may be the bare code or the whole callback URL the browser landed on (code and state in its query). */
function splitCallback(verifier: string, state: string | undefined): { code: string; state?: string } {
  if (/^https?:\/\//i.test(verifier)) {
    try {
      const u = new URL(verifier);
      const code = u.searchParams.get('code');
      if (code) return { code, state: state ?? u.searchParams.get('state') ?? undefined };
    } catch {
      // not a URL after all: the code itself
    }
  }
  return { code: verifier, ...(state ? { state } : {}) };
}
