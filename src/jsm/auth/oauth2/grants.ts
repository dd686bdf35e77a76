/**
 * The 3LO exchanges, through openid-client: the authorization URL (state + PKCE S256), the code
 * exchange and the refresh; and the accessible-resources call that names the site's cloudId.
 * Failures become 28000 errors naming the step and the endpoint, never a token or the secret.
 */
import * as oidc from 'openid-client';
import { PgError, SqlState } from '../../../errors/index.ts';
import type { OAuthEndpoints } from './endpoints.ts';
import type { OAuthFetch } from './http.ts';
import type { PendingAuthorization } from './settings-store.ts';

export interface OAuthApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated (the seed's Scope); commas, as the procedures' text says, are accepted too. */
  readonly scope: string;
  readonly endpoints: OAuthEndpoints;
  /** Through the site's dispatchers (SSLServerCert, SSLClientCert*, proxy); the global fetch when absent. */
  readonly fetch?: OAuthFetch;
}

export interface GrantedTokens {
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
  tokenTimestamp: number;
}

export type GrantStep = 'authorization code exchange' | 'refresh' | 'accessible-resources lookup';

/** Seconds a token endpoint call may take: a stuck authorization server must not hold statements forever. */
const TIMEOUT_S = 30;

function configuration(app: OAuthApp, signal?: AbortSignal): oidc.Configuration {
  const ep = app.endpoints;
  const config = new oidc.Configuration(
    { issuer: ep.issuer, authorization_endpoint: ep.authorize, token_endpoint: ep.token },
    app.clientId,
    undefined,
    // Atlassian takes client_id and client_secret in the token request body
    oidc.ClientSecretPost(app.clientSecret),
  );
  config.timeout = TIMEOUT_S;
  // a site configured at an http:// URL (Data Center without TLS, the simulator) is reached as configured
  if (ep.token.startsWith('http:')) oidc.allowInsecureRequests(config);
  const send: OAuthFetch = app.fetch ?? ((url, init) => fetch(url, init as RequestInit));
  if (signal || app.fetch) {
    config[oidc.customFetch] = (url, options) =>
      send(url, { ...options, signal: signal ? (options.signal ? AbortSignal.any([options.signal, signal]) : signal) : options.signal });
  }
  return config;
}

export const normalizeScope = (scope: string): string => scope.split(/[\s,]+/).filter(Boolean).join(' ');

/** A new authorization: the URL to open, and what the code exchange will need (kept by the caller). */
export async function authorizationRequest(app: OAuthApp, redirectUri: string, scope: string, state?: string): Promise<{ url: string; pending: PendingAuthorization }> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const pending: PendingAuthorization = { state: state || oidc.randomState(), codeVerifier, redirectUri, createdAt: Date.now() };
  const url = oidc.buildAuthorizationUrl(configuration(app), {
    // Atlassian's 3LO: the audience of the API gateway, and the consent screen every time (Data Center takes neither)
    ...(app.endpoints.flavor === 'cloud' ? { audience: 'api.atlassian.com', prompt: 'consent' } : {}),
    scope: normalizeScope(scope),
    redirect_uri: redirectUri,
    state: pending.state,
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, pending };
}

export async function exchangeCode(app: OAuthApp, pending: PendingAuthorization, code: string, signal?: AbortSignal): Promise<GrantedTokens> {
  // openid-client checks the state of the URL the browser came back to; a bare code is given that state
  const callback = new URL(pending.redirectUri);
  callback.search = new URLSearchParams({ code, state: pending.state }).toString();
  try {
    const tokens = await oidc.authorizationCodeGrant(configuration(app, signal), callback, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
    });
    return granted(tokens);
  } catch (err) {
    throw grantFailure('authorization code exchange', app.endpoints.token, err);
  }
}

export async function refreshGrant(app: OAuthApp, refreshToken: string, signal?: AbortSignal): Promise<GrantedTokens> {
  try {
    return granted(await oidc.refreshTokenGrant(configuration(app, signal), refreshToken));
  } catch (err) {
    throw grantFailure('refresh', app.endpoints.token, err);
  }
}

function granted(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): GrantedTokens {
  return {
    accessToken: tokens.access_token,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(typeof tokens.expires_in === 'number' ? { expiresIn: tokens.expires_in } : {}),
    tokenTimestamp: Date.now(),
  };
}

export interface AccessibleResource {
  id: string;
  url: string;
  name?: string;
}

export async function accessibleResources(app: OAuthApp, accessToken: string, signal?: AbortSignal): Promise<AccessibleResource[]> {
  const where = app.endpoints.accessibleResources;
  if (!where) throw grantFailure('accessible-resources lookup', app.endpoints.token, new Error('Data Center has no accessible resources'));
  const send: OAuthFetch = app.fetch ?? ((url, init) => fetch(url, init as RequestInit));
  let res: Response;
  try {
    res = await send(where, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_S * 1000)]) : AbortSignal.timeout(TIMEOUT_S * 1000),
    });
  } catch (err) {
    throw grantFailure('accessible-resources lookup', where, err);
  }
  if (!res.ok) throw grantFailure('accessible-resources lookup', where, new Error(`HTTP ${res.status}`));
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (!Array.isArray(body)) throw grantFailure('accessible-resources lookup', where, new Error('the answer is not a list of sites'));
  return body.filter((r): r is AccessibleResource => typeof r?.id === 'string' && typeof r?.url === 'string');
}

/**
 * The site among the token's resources: the one at the URL property's origin, else the only one.
 * Several and none matching is ambiguous: say which there are (site URLs are not secret).
 */
export function pickSite(resources: readonly AccessibleResource[], siteUrl: string): AccessibleResource {
  const origin = new URL(siteUrl).origin;
  const same = resources.find((r) => { try { return new URL(r.url).origin === origin; } catch { return false; } });
  if (same) return same;
  if (resources.length === 1) return resources[0]!;
  throw new PgError(
    SqlState.InvalidAuthorizationSpecification,
    resources.length === 0
      ? 'OAuth 2.0: the access token reaches no Jira site (accessible-resources is empty)'
      : `OAuth 2.0: the access token reaches several sites and none is at ${origin}: ${resources.map((r) => r.url).join(', ')}`,
    { hint: 'Set URL to the site the app was authorized for, or set CloudId.' },
  );
}

/**
 * What went wrong underneath: openid-client wraps a failed request ("something went wrong") around
 * the transport's error (an untrusted certificate, a refused connection), which is the useful part.
 */
function reason(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error && e.cause instanceof Error && (e.name === 'ClientError' || /something went wrong|fetch failed/i.test(e.message)); depth++) e = e.cause;
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
}

/** The step that failed and what the server said (its error code and description), without any token. */
export function grantFailure(step: GrantStep, endpoint: string, err: unknown): PgError {
  if (err instanceof PgError) return err;
  let said: string;
  if (err instanceof oidc.ResponseBodyError) {
    said = `${err.status} ${err.error}${err.error_description ? `: ${err.error_description}` : ''}`;
  } else if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    said = 'no answer in time';
  } else {
    said = reason(err);
  }
  const again = step === 'refresh' ? 'The refresh token may have been used or revoked: authorize again (CALL GetOAuthAuthorizationURL(), then GetOAuthAccessToken with the code).' : undefined;
  return new PgError(SqlState.InvalidAuthorizationSpecification, `OAuth 2.0 ${step} failed at ${endpoint}: ${said.slice(0, 300)}`, {
    ...(again ? { hint: again } : {}),
  });
}
