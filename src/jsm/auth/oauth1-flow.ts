/**
 * The three token steps of a Jira application link (OAuth 1.0a, Data Center): a request token,
 * the user's approval at the authorization URL (which yields the verifier), and the exchange of
 * request token + verifier for an access token. The seed exposes them as GetOAuthAuthorizationURL
 * (AuthToken = request token, AuthKey = its secret) and GetOAuthAccessToken (with Verifier).
 * Every request is signed with the consumer's RSA key; errors name the step, never a secret.
 */
import type { KeyObject } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { PgError, SqlState } from '../../errors/index.ts';
import { oauth1Authorization } from './oauth1-signature.ts';

export interface OAuth1Consumer {
  /** The Jira base URL (origin and context path), without a trailing slash. */
  baseUrl: string;
  consumerKey: string;
  privateKey: KeyObject;
  /** The site's dispatcher, so the token steps use its TLS settings and proxy. */
  dispatcher?: Dispatcher;
}

export interface OAuth1Token {
  token: string;
  secret: string;
}

const PATH = '/plugins/servlet/oauth';

/** Jira's answer to a refused step: oauth_problem, in the body or in WWW-Authenticate. */
function problemOf(body: string, wwwAuthenticate: string | string[] | undefined): string | undefined {
  const fromBody = new URLSearchParams(body.trim()).get('oauth_problem');
  if (fromBody) return fromBody;
  const header = Array.isArray(wwwAuthenticate) ? wwwAuthenticate.join(', ') : (wwwAuthenticate ?? '');
  return /oauth_problem="([^"]+)"/.exec(header)?.[1];
}

async function step(
  consumer: OAuth1Consumer,
  name: string,
  endpoint: string,
  token: string | undefined,
  extra: Record<string, string>,
  signal?: AbortSignal,
): Promise<URLSearchParams> {
  const url = `${consumer.baseUrl}${PATH}/${endpoint}`;
  const authorization = oauth1Authorization({ method: 'POST', url, consumerKey: consumer.consumerKey, privateKey: consumer.privateKey, token, extra });
  let status: number;
  let text: string;
  let headers: Record<string, string | string[] | undefined>;
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      signal,
      ...(consumer.dispatcher ? { dispatcher: consumer.dispatcher } : {}),
    });
    status = res.statusCode;
    headers = res.headers;
    text = await res.body.text();
  } catch (err) {
    if (signal?.aborted) throw err;
    const code = (err as { code?: string }).code ?? 'network error';
    throw new PgError(SqlState.FdwUnableToEstablishConnection, `OAuth 1.0a ${name}: could not reach ${new URL(url).origin} (${code})`, {}, { cause: err });
  }
  const params = new URLSearchParams(text.trim());
  if (status !== 200 || !params.get('oauth_token')) {
    const problem = problemOf(text, headers['www-authenticate']);
    throw new PgError(
      SqlState.InvalidAuthorizationSpecification,
      `OAuth 1.0a ${name} was refused by JSM (HTTP ${status}${problem ? `, oauth_problem=${problem}` : ''})`,
      { hint: hintFor(problem, name) },
    );
  }
  return params;
}

function hintFor(problem: string | undefined, name: string): string {
  switch (problem) {
    case 'consumer_key_unknown':
      return 'OAuthClientId must be the Consumer Key of the incoming application link';
    case 'signature_invalid':
      return 'OAuthJWTCert must be the private key whose public key is in the application link';
    case 'token_rejected':
    case 'token_expired':
    case 'permission_denied':
      return name.startsWith('access token')
        ? 'The request token (AuthToken) was not approved, has expired or was already used: run GetOAuthAuthorizationURL again'
        : 'Run GetOAuthAuthorizationURL again';
    case 'timestamp_refused':
      return "The gateway's clock differs from JSM's by more than Jira accepts";
    default:
      return 'Check OAuthClientId, OAuthJWTCert and the application link in Jira';
  }
}

/** Step 1: a request token, to be approved by the user at authorizationUrl(). */
export async function oauth1RequestToken(consumer: OAuth1Consumer, callbackUrl?: string, signal?: AbortSignal): Promise<OAuth1Token & { authorizationUrl: string }> {
  const params = await step(consumer, 'request token', 'request-token', undefined, { oauth_callback: callbackUrl || 'oob' }, signal);
  const token = params.get('oauth_token')!;
  return { token, secret: params.get('oauth_token_secret') ?? '', authorizationUrl: oauth1AuthorizationUrl(consumer.baseUrl, token) };
}

/** Step 2: where the user approves the request token; Jira then shows (or redirects with) the verifier. */
export function oauth1AuthorizationUrl(baseUrl: string, requestToken: string): string {
  return `${baseUrl}${PATH}/authorize?oauth_token=${encodeURIComponent(requestToken)}`;
}

/** Step 3: the approved request token and its verifier exchanged for the access token. */
export async function oauth1AccessToken(
  consumer: OAuth1Consumer,
  requestToken: string,
  verifier: string,
  signal?: AbortSignal,
): Promise<OAuth1Token & { expiresIn?: number }> {
  const params = await step(consumer, 'access token (exchanging OAuthVerifier)', 'access-token', requestToken, { oauth_verifier: verifier }, signal);
  const expires = Number(params.get('oauth_expires_in'));
  return { token: params.get('oauth_token')!, secret: params.get('oauth_token_secret') ?? '', ...(Number.isFinite(expires) && expires > 0 ? { expiresIn: expires } : {}) };
}
