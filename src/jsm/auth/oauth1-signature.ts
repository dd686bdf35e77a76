/**
 * OAuth 1.0a request signing (RFC 5849) with RSA-SHA1, the only method Jira application links
 * accept for incoming consumers. The signature covers the method, the URL without its query,
 * and every query and oauth_* parameter, so it is computed per request.
 */
import { createSign, randomBytes, type KeyObject } from 'node:crypto';

/** RFC 5849 §3.6: everything but the unreserved characters, as UTF-8 %XX with upper-case hex. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** §3.4.1.2: scheme and host lower case, default ports dropped, no query or fragment. */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const defaultPort = (scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${url.hostname.toLowerCase()}${port}${url.pathname}`;
}

/** §3.4.1: METHOD & URI & the sorted, encoded parameters (query + oauth_*, without oauth_signature). */
export function signatureBaseString(method: string, url: URL, oauthParams: Record<string, string>): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of url.searchParams) pairs.push([percentEncode(name), percentEncode(value)]);
  for (const [name, value] of Object.entries(oauthParams)) {
    if (name !== 'oauth_signature' && name !== 'realm') pairs.push([percentEncode(name), percentEncode(value)]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = pairs.map(([n, v]) => `${n}=${v}`).join('&');
  return [method.toUpperCase(), baseStringUri(url), normalized].map(percentEncode).join('&');
}

export interface SigningInput {
  method: string;
  url: string;
  consumerKey: string;
  privateKey: KeyObject;
  /** Absent for the request-token step. */
  token?: string;
  /** The extra protocol parameters of a token step (oauth_callback, oauth_verifier). */
  extra?: Record<string, string>;
  /** For tests: fixed timestamp and nonce. */
  now?: () => number;
  nonce?: () => string;
}

/** The Authorization header value of one signed request. */
export function oauth1Authorization(input: SigningInput): string {
  const params: Record<string, string> = {
    oauth_consumer_key: input.consumerKey,
    oauth_nonce: input.nonce ? input.nonce() : randomBytes(16).toString('hex'),
    oauth_signature_method: 'RSA-SHA1',
    oauth_timestamp: String(Math.floor((input.now ? input.now() : Date.now()) / 1000)),
    oauth_version: '1.0',
    ...(input.token !== undefined ? { oauth_token: input.token } : {}),
    ...input.extra,
  };
  const base = signatureBaseString(input.method, new URL(input.url), params);
  params.oauth_signature = createSign('RSA-SHA1').update(base).sign(input.privateKey, 'base64');
  return `OAuth ${Object.entries(params)
    .map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
    .join(', ')}`;
}
