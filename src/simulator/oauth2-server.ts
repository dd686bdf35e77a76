/**
 * Atlassian's OAuth 2.0 (3LO) authorization server and API gateway, at the simulator's own origin
 * (what auth.atlassian.com and api.atlassian.com do for a Cloud site):
 *   GET  /authorize                              consent as the test user: 302 to redirect_uri with code + state
 *   POST /oauth/token                            authorization_code (PKCE S256 checked) and refresh_token grants;
 *                                                refresh tokens rotate: the one used stops working
 *   GET  /oauth/token/accessible-resources       the site (cloudId, url) of a bearer token
 *   ANY  /ex/jira/{cloudId}/rest/…               the same API, for issued bearer tokens until they expire
 * and Jira Data Center's OAuth 2.0 provider (incoming application links, Jira 8.22+), at the site:
 *   GET  /rest/oauth2/latest/authorize           as /authorize
 *   POST /rest/oauth2/latest/token               as /oauth/token (refresh tokens always issued, rotating)
 *   ANY  /rest/…                                 with a bearer token issued there, until it expires
 * Issued tokens are random and kept only here; a gateway call is handed to the usual pipeline with the
 * user's fixed bearer credential, so routes, faults and the call log work as for any other call.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-io.ts';
import { SIM_IDENTITIES, type SimIdentity } from './identities.ts';

/** The registered app: tests connect with these (OAuthClientId / OAuthClientSecret). */
export const SIM_OAUTH_APP = Object.freeze({ clientId: 'jsm-pg-sim-app', clientSecret: 'jsm-pg-sim-app-secret' });
/** The simulated site's cloudId (fixed, like the identities' account ids). */
export const SIM_CLOUD_ID = '11223344-a1b2-4c3d-9e8f-0123456789ab';

export interface SimOAuthCall {
  method: string;
  path: string;
  /** authorize / token / resources / gateway (Cloud: /ex/jira) / site (Data Center: a bearer call to /rest) */
  kind: string;
  status: number;
  grant?: string;
  /** Why a request was refused (never a token). */
  error?: string;
}

interface Grant {
  identity: SimIdentity;
  scope: string;
  /** Issued by the Data Center endpoints: good at the site's /rest, not through the Cloud gateway. */
  dc?: boolean;
}

interface CodeGrant extends Grant {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  expiresAt: number;
}

/** The control tests use: who consents, token lifetime, expiring and revoking, and what was asked. */
export interface SimOAuthControl {
  /** Who logs in at /authorize (default the agent). */
  loginAs(who: 'agent' | 'customer'): void;
  /** Lifetime in seconds of access tokens issued from now on (default 3600). */
  setAccessTokenLifetime(seconds: number): void;
  /** Every access token issued so far expires now (the next call with one answers 401). */
  expireAccessTokens(): void;
  /** Every refresh token stops working (the next refresh fails with invalid_grant). */
  revokeRefreshTokens(): void;
  readonly calls: readonly SimOAuthCall[];
  readonly cloudId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const token = (prefix: string) => `${prefix}-${randomBytes(24).toString('base64url')}`;

export class SimOAuthServer implements SimOAuthControl {
  readonly cloudId = SIM_CLOUD_ID;
  readonly clientId = SIM_OAUTH_APP.clientId;
  readonly clientSecret = SIM_OAUTH_APP.clientSecret;
  readonly calls: SimOAuthCall[] = [];
  #who: SimIdentity = SIM_IDENTITIES.agent;
  #lifetimeS = 3600;
  readonly #codes = new Map<string, CodeGrant>();
  readonly #access = new Map<string, Grant & { expiresAt: number }>();
  readonly #refresh = new Map<string, Grant>();

  constructor(private readonly origin: () => string) {}

  loginAs(who: 'agent' | 'customer'): void {
    this.#who = SIM_IDENTITIES[who];
  }

  setAccessTokenLifetime(seconds: number): void {
    this.#lifetimeS = seconds;
  }

  expireAccessTokens(): void {
    for (const t of this.#access.values()) t.expiresAt = 0;
  }

  revokeRefreshTokens(): void {
    this.#refresh.clear();
  }

  /**
   * Serves the OAuth endpoints; rewrites a gateway call onto the site's API (true: handled here,
   * false: the usual pipeline goes on with the request, rewritten or not).
   */
  async intercept(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', this.origin());
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'GET' && path === '/authorize') return this.#send(res, this.#authorize(url, false), { method, path, kind: 'authorize' });
    if (method === 'POST' && path === '/oauth/token') return this.#send(res, await this.#token(req, false), { method, path, kind: 'token' });
    if (method === 'GET' && path === '/rest/oauth2/latest/authorize') return this.#send(res, this.#authorize(url, true), { method, path, kind: 'authorize' });
    if (method === 'POST' && path === '/rest/oauth2/latest/token') return this.#send(res, await this.#token(req, true), { method, path, kind: 'token' });
    if (path.startsWith('/rest/')) return this.#dataCenterBearer(req, method, path);
    if (method === 'GET' && path === '/oauth/token/accessible-resources') return this.#send(res, this.#resources(req), { method, path, kind: 'resources' });
    const gw = /^\/ex\/jira\/([^/]+)(\/.*)$/.exec(path);
    if (!gw) return false;
    const call: SimOAuthCall = { method, path, kind: 'gateway', status: 0 };
    this.calls.push(call);
    if (decodeURIComponent(gw[1]!) !== this.cloudId) {
      call.status = 404;
      call.error = 'unknown cloudId';
      return this.#send(res, { status: 404, body: { message: 'Site not found' } });
    }
    const grant = this.#bearer(req.headers.authorization, false);
    // the pipeline answers 401 (and logs the call) for a credential it does not know
    req.headers.authorization = grant ? `Bearer ${grant.identity.oauthToken}` : 'Bearer expired-or-unknown';
    if (!grant) call.error = 'expired or unknown access token';
    req.url = gw[2]! + url.search;
    call.status = grant ? 200 : 401;
    return false;
  }

  #bearer(header: string | undefined, dc: boolean): Grant | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const t = m && this.#access.get(m[1]!);
    return t && Boolean(t.dc) === dc && Date.now() < t.expiresAt ? t : undefined;
  }

  /**
   * Data Center: a bearer token issued here is the identity's at the site itself (no gateway path);
   * other credentials (the users' fixed tokens, Basic) go on untouched.
   */
  #dataCenterBearer(req: IncomingMessage, method: string, path: string): false {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const issued = m && this.#access.get(m[1]!);
    if (!issued || !issued.dc) return false;
    const grant = this.#bearer(req.headers.authorization, true);
    req.headers.authorization = grant ? `Bearer ${grant.identity.oauthToken}` : 'Bearer expired-or-unknown';
    this.calls.push({ method, path, kind: 'site', status: grant ? 200 : 401, ...(grant ? {} : { error: 'expired access token' }) });
    return false;
  }

  #authorize(url: URL, dc: boolean): Reply {
    const q = url.searchParams;
    const redirect = q.get('redirect_uri');
    if (q.get('client_id') !== this.clientId) return { status: 400, body: { error: 'invalid_client' }, error: 'unknown client_id' };
    if (!redirect) return { status: 400, body: { error: 'invalid_request' }, error: 'no redirect_uri' };
    if (q.get('response_type') !== 'code') return { status: 400, body: { error: 'unsupported_response_type' }, error: 'response_type' };
    const challenge = q.get('code_challenge') ?? undefined;
    if (challenge && q.get('code_challenge_method') !== 'S256') return { status: 400, body: { error: 'invalid_request' }, error: 'PKCE method' };
    const code = token('code');
    this.#codes.set(code, { clientId: this.clientId, redirectUri: redirect, challenge, identity: this.#who, scope: q.get('scope') ?? '', expiresAt: Date.now() + CODE_TTL_MS, dc });
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    if (q.has('state')) back.searchParams.set('state', q.get('state')!);
    return { status: 302, headers: { location: back.href } };
  }

  async #token(req: IncomingMessage, dc: boolean): Promise<Reply> {
    const raw = (await readBody(req)).toString('utf8');
    const form = String(req.headers['content-type'] ?? '').includes('json')
      ? new URLSearchParams(Object.entries(JSON.parse(raw || '{}') as Record<string, string>))
      : new URLSearchParams(raw);
    const fail = (status: number, error: string, description: string): Reply => ({ status, body: { error, error_description: description }, error: description, grant: form.get('grant_type') ?? '' });
    const [basicId, basicSecret] = Buffer.from(/^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1] ?? '', 'base64').toString().split(':');
    const clientId = form.get('client_id') ?? basicId;
    const secret = form.get('client_secret') ?? basicSecret;
    if (clientId !== this.clientId || secret !== this.clientSecret) return fail(401, 'access_denied', 'Unauthorized');
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = this.#codes.get(form.get('code') ?? '');
      this.#codes.delete(form.get('code') ?? ''); // one use, whatever happens
      if (!code || code.expiresAt < Date.now() || Boolean(code.dc) !== dc) return fail(403, 'invalid_grant', 'Invalid authorization code');
      if (code.redirectUri !== form.get('redirect_uri')) return fail(403, 'invalid_grant', 'redirect_uri does not match the authorization request');
      if (code.challenge) {
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return fail(403, 'invalid_grant', 'PKCE verification failed');
      }
      return this.#issue(code, 'authorization_code');
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const grant = this.#refresh.get(presented);
      if (!grant || Boolean(grant.dc) !== dc) return fail(403, 'invalid_grant', 'Unknown or invalid refresh token.');
      this.#refresh.delete(presented); // rotation: the token used is spent
      return this.#issue(grant, 'refresh_token');
    }
    return fail(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  #issue(grant: Grant, grantType: string): Reply {
    const access = token('at');
    this.#access.set(access, { identity: grant.identity, scope: grant.scope, dc: grant.dc, expiresAt: Date.now() + this.#lifetimeS * 1000 });
    const body: Record<string, unknown> = { access_token: access, token_type: 'Bearer', expires_in: this.#lifetimeS, scope: grant.scope };
    // Cloud issues refresh tokens for offline_access; Data Center always does
    if (grant.dc || grant.scope.split(/\s+/).includes('offline_access')) {
      const refresh = token('rt');
      this.#refresh.set(refresh, { identity: grant.identity, scope: grant.scope, dc: grant.dc });
      body.refresh_token = refresh;
    }
    return { status: 200, body, grant: grantType };
  }

  #resources(req: IncomingMessage): Reply {
    if (!this.#bearer(req.headers.authorization, false)) return { status: 401, body: { code: 401, message: 'Unauthorized' }, error: 'expired or unknown access token' };
    return {
      status: 200,
      body: [{ id: this.cloudId, url: this.origin(), name: 'simulated-site', scopes: ['read:servicedesk-request'], avatarUrl: `${this.origin()}/avatar.png` }],
    };
  }

  #send(res: ServerResponse, reply: Reply, call?: Omit<SimOAuthCall, 'status'>): true {
    if (call) this.calls.push({ ...call, status: reply.status, ...(reply.grant ? { grant: reply.grant } : {}), ...(reply.error ? { error: reply.error } : {}) });
    const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(payload ? { 'content-type': 'application/json;charset=UTF-8' } : {}),
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(payload)),
      ...reply.headers,
    });
    res.end(payload);
    return true;
  }
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  error?: string;
  grant?: string;
}
