/**
 * Jira Data Center's OAuth 1.0a provider for incoming application links: consumers registered
 * with a consumer key and an RSA public key; the three token endpoints under
 * /plugins/servlet/oauth (request-token, authorize, access-token); and API calls signed with
 * RSA-SHA1 and an access token, verified here with the consumer's public key. The signature base
 * string is built independently of the gateway's signer, so a mistake in one shows as a refusal.
 * Refusals carry oauth_problem as Jira does (body of the token endpoints, WWW-Authenticate on API
 * calls). Token endpoints are not API calls: they bypass the call log and the faults.
 */
import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, type AuthResult } from './auth.ts';
import type { Store } from './store.ts';

export interface SimOAuth1Consumer {
  consumerKey: string;
  /** PEM public key (or certificate) as pasted into the application link. */
  publicKey: string;
}

export interface SimOAuth1Options {
  consumers?: SimOAuth1Consumer[];
  /** Seconds a request or access token lives; Jira's access tokens last five years. */
  accessTokenTtlSeconds?: number;
}

/** What tests may look at and change while the simulator runs. */
export interface SimOAuth1Control {
  addConsumer(consumer: SimOAuth1Consumer): void;
  /** Token endpoint calls and API calls refused, by oauth_problem. */
  problems(): string[];
  /** Access tokens issued so far. */
  issued(): number;
}

const PREFIX = '/plugins/servlet/oauth/';
const MAX_CLOCK_SKEW_S = 300;

interface RequestToken {
  consumerKey: string;
  secret: string;
  callback: string;
  verifier?: string;
  accountId?: string;
}

type Verified = { ok: true; params: Record<string, string> } | { ok: false; problem: string };

const encode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** `OAuth a="b", c="d"` → {a: b, c: d}, values percent-decoded. */
function parseHeader(header: string): Record<string, string> | undefined {
  if (!/^OAuth\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([\w.-]+)="([^"]*)"/g)) out[decodeURIComponent(m[1]!)] = decodeURIComponent(m[2]!);
  return out;
}

function baseString(method: string, url: URL, params: Record<string, string>): string {
  const all = [...url.searchParams.entries(), ...Object.entries(params).filter(([k]) => k !== 'oauth_signature' && k !== 'realm')]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const port = url.port ? `:${url.port}` : '';
  return `${encode(method.toUpperCase())}&${encode(`${url.protocol}//${url.hostname}${port}${url.pathname}`)}&${encode(all)}`;
}

export class SimOAuth1Provider implements SimOAuth1Control {
  readonly #consumers = new Map<string, KeyObject>();
  readonly #requestTokens = new Map<string, RequestToken>();
  readonly #accessTokens = new Map<string, { consumerKey: string; accountId: string; expiresAt: number }>();
  readonly #nonces = new Set<string>();
  readonly #problems: string[] = [];
  readonly #ttl: number;

  constructor(opts: SimOAuth1Options = {}) {
    for (const c of opts.consumers ?? []) this.addConsumer(c);
    this.#ttl = opts.accessTokenTtlSeconds ?? 5 * 365 * 24 * 3600;
  }

  addConsumer(consumer: SimOAuth1Consumer): void {
    this.#consumers.set(consumer.consumerKey, createPublicKey(consumer.publicKey));
  }

  problems(): string[] {
    return [...this.#problems];
  }

  issued(): number {
    return this.#accessTokens.size;
  }

  owns(pathname: string): boolean {
    return pathname.startsWith(PREFIX);
  }

  #refuse(problem: string): Verified {
    this.#problems.push(problem);
    return { ok: false, problem };
  }

  /** Checks consumer, method, clock, nonce and signature of a signed request. */
  #verify(method: string, url: URL, header: string | undefined): Verified {
    const params = parseHeader(header ?? '');
    if (!params) return this.#refuse('parameter_absent');
    const key = this.#consumers.get(params.oauth_consumer_key ?? '');
    if (!key) return this.#refuse('consumer_key_unknown');
    if (params.oauth_signature_method !== 'RSA-SHA1') return this.#refuse('signature_method_rejected');
    const skew = Math.abs(Date.now() / 1000 - Number(params.oauth_timestamp));
    if (!(skew <= MAX_CLOCK_SKEW_S)) return this.#refuse('timestamp_refused');
    const nonce = `${params.oauth_consumer_key}:${params.oauth_timestamp}:${params.oauth_nonce}`;
    if (!params.oauth_nonce || this.#nonces.has(nonce)) return this.#refuse('nonce_used');
    const ok = createVerify('RSA-SHA1').update(baseString(method, url, params)).verify(key, params.oauth_signature ?? '', 'base64');
    if (!ok) return this.#refuse('signature_invalid');
    this.#nonces.add(nonce);
    return { ok: true, params };
  }

  /**
   * An API call with `Authorization: OAuth …`: the approving user, or 'invalid' with the problem.
   * Undefined when the call is not OAuth 1.0a (another scheme authenticates it).
   */
  authenticate(req: IncomingMessage, url: URL, store: Store): { auth: AuthResult; problem?: string } | undefined {
    const header = req.headers.authorization;
    if (!header || !/^OAuth\s/i.test(header)) return undefined;
    const verified = this.#verify(req.method ?? 'GET', url, header);
    if (!verified.ok) return { auth: 'invalid', problem: verified.problem };
    const access = this.#accessTokens.get(verified.params.oauth_token ?? '');
    if (!access || access.consumerKey !== verified.params.oauth_consumer_key) {
      this.#problems.push('token_rejected');
      return { auth: 'invalid', problem: 'token_rejected' };
    }
    if (access.expiresAt < Date.now()) {
      this.#problems.push('token_expired');
      return { auth: 'invalid', problem: 'token_expired' };
    }
    const user = store.user(access.accountId);
    return user ? { auth: { user, scheme: 'oauth1' } } : { auth: 'invalid', problem: 'permission_unknown' };
  }

  /** The three token endpoints; answers in Jira's form encoding. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, store: Store): Promise<void> {
    req.resume();
    const send = (status: number, body: Record<string, string>, headers: Record<string, string> = {}) => {
      const text = new URLSearchParams(body).toString();
      res.writeHead(status, { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
      res.end(text);
    };
    const refuse = (problem: string) =>
      send(401, { oauth_problem: problem }, { 'WWW-Authenticate': `OAuth realm="${url.origin}", oauth_problem="${problem}"` });
    const step = url.pathname.slice(PREFIX.length);
    if (step === 'request-token' && req.method === 'POST') {
      const v = this.#verify('POST', url, req.headers.authorization);
      if (!v.ok) return refuse(v.problem);
      const token = randomBytes(16).toString('hex');
      const secret = randomBytes(16).toString('hex');
      this.#requestTokens.set(token, { consumerKey: v.params.oauth_consumer_key!, secret, callback: v.params.oauth_callback ?? 'oob' });
      return send(200, { oauth_token: token, oauth_token_secret: secret, oauth_callback_confirmed: 'true' });
    }
    if (step === 'authorize' && (req.method === 'GET' || req.method === 'POST')) {
      // The user approves in a browser, logged in to Jira: here, any credential the simulator accepts.
      const who = authenticate(store, req.headers.authorization);
      if (typeof who === 'string') {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Jira"', 'Content-Length': '0' });
        return void res.end();
      }
      const pending = this.#requestTokens.get(url.searchParams.get('oauth_token') ?? '');
      if (!pending || pending.verifier) return refuse('token_rejected');
      pending.verifier = randomBytes(6).toString('hex');
      pending.accountId = who.user.accountId;
      const token = url.searchParams.get('oauth_token')!;
      if (pending.callback !== 'oob') {
        const to = new URL(pending.callback);
        to.searchParams.set('oauth_token', token);
        to.searchParams.set('oauth_verifier', pending.verifier);
        res.writeHead(302, { Location: to.toString(), 'Content-Length': '0' });
        return void res.end();
      }
      return send(200, { oauth_token: token, oauth_verifier: pending.verifier });
    }
    if (step === 'access-token' && req.method === 'POST') {
      const v = this.#verify('POST', url, req.headers.authorization);
      if (!v.ok) return refuse(v.problem);
      const token = v.params.oauth_token ?? '';
      const pending = this.#requestTokens.get(token);
      if (!pending || pending.consumerKey !== v.params.oauth_consumer_key || !pending.accountId) return refuse('token_rejected');
      if (pending.verifier !== v.params.oauth_verifier) {
        this.#problems.push('permission_denied');
        return refuse('permission_denied');
      }
      // A request token is exchanged once.
      this.#requestTokens.delete(token);
      const access = randomBytes(16).toString('hex');
      this.#accessTokens.set(access, { consumerKey: pending.consumerKey, accountId: pending.accountId, expiresAt: Date.now() + this.#ttl * 1000 });
      return send(200, {
        oauth_token: access,
        oauth_token_secret: randomBytes(16).toString('hex'),
        oauth_expires_in: String(this.#ttl),
        oauth_session_handle: randomBytes(8).toString('hex'),
        oauth_authorization_expires_in: String(this.#ttl),
      });
    }
    send(404, { oauth_problem: 'unknown_endpoint' });
  }
}
