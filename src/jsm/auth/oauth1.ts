/**
 * OAuth 1.0a for Jira Data Center application links (AuthScheme OAuth with OAuthVersion 1.0,
 * or with OAuthJWTCert set, as the seed's instructions configure it): every request carries an
 * RSA-SHA1 signature made with the consumer's private key (OAuthJWTCert, OAuthJWTCertType,
 * OAuthJWTCertPassword, or the seed's private-application store: CertificateStore*, see
 * private-app-key.ts) over the method, URL and parameters, with the consumer key
 * (OAuthClientId) and the access token (OAuthAccessToken). Without an access token, the request
 * token (AuthToken) and the verifier from approving it (OAuthVerifier) are exchanged for one
 * before the first request. RSA-SHA1 does not use the token secrets (OAuthAccessTokenSecret,
 * AuthKey); they are accepted because the seed's procedures hand them out.
 */
import type { KeyObject } from 'node:crypto';
import { PgError, SqlState } from '../../errors/index.ts';
import { privateKeyOf, readCertStore, type StoreProperties } from '../tls/cert-store.ts';
import type { JsmCredentials } from '../types.ts';
import { oauth1AccessToken, type OAuth1Consumer } from './oauth1-flow.ts';
import { oauth1Authorization } from './oauth1-signature.ts';
import type { AuthContext, AuthProvider, SignedRequest } from './provider.ts';

/** The OAuth 1.0a connection properties (besides OAuthAccessToken, which OAuth 2.0 shares). */
export interface OAuth1Credentials {
  /** OAuthVersion */
  version?: string;
  /** OAuthClientId: the application link's Consumer Key. */
  consumerKey?: string;
  /**
   * The consumer's private key: OAuthJWTCert, OAuthJWTCertType, OAuthJWTCertPassword, or
   * CertificateStore, CertificateStoreType (as a cert-store type), CertificateStorePassword and
   * CertificateSubject, as `keyProperties` names them for messages.
   */
  cert?: string;
  certType?: string;
  certPassword?: string;
  certSubject?: string;
  keyProperties?: StoreProperties;
  /** OAuthAccessTokenSecret */
  accessTokenSecret?: string;
  /** OAuthVerifier, AuthToken (request token), AuthKey (its secret): the headless exchange. */
  verifier?: string;
  requestToken?: string;
  requestTokenSecret?: string;
}

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

export const OAUTH1_KEY_PROPERTIES = { store: 'OAuthJWTCert', type: 'OAuthJWTCertType', password: 'OAuthJWTCertPassword' };

/** AuthScheme OAuth means 1.0a when OAuthVersion says 1.0 or a signing key is configured. */
export function wantsOAuth1(credentials: JsmCredentials): boolean {
  const o = credentials.oauth1;
  return !!o && (o.version === '1.0' || present(o.cert));
}

function missing(property: string): PgError {
  return new PgError(SqlState.InvalidAuthorizationSpecification, `OAuth 1.0a requires the ${property} connection property`);
}

/** Loads the consumer's key (OAuthJWTCert or CertificateStore); wrong passwords and unusable files are 28000 naming the property. */
export function oauth1KeyFrom(o: OAuth1Credentials): KeyObject {
  const names = o.keyProperties ?? OAUTH1_KEY_PROPERTIES;
  if (!present(o.cert)) throw missing(names.store);
  const store = readCertStore(o.cert, o.certType ?? 'PEMKEY_FILE', names);
  return privateKeyOf(store, o.certPassword ?? '', names, o.certSubject);
}

class OAuth1Auth implements AuthProvider {
  readonly scheme = 'OAuth1' as const;
  readonly principal: string;
  readonly checkProperties: string;
  readonly usedProperties: string;
  readonly #consumer: OAuth1Consumer;
  readonly #material: string;
  readonly #pending: { requestToken: string; verifier: string } | undefined;
  #token: string | undefined;
  #exchange: Promise<void> | undefined;

  constructor(credentials: JsmCredentials, o: OAuth1Credentials, context: AuthContext | undefined) {
    if (!present(o.consumerKey)) throw missing('OAuthClientId');
    const privateKey = oauth1KeyFrom(o);
    const key = (o.keyProperties ?? OAUTH1_KEY_PROPERTIES).store;
    this.checkProperties = `OAuthClientId, ${key} and OAuthAccessToken`;
    this.usedProperties = `an RSA-SHA1 signature made with ${key} for OAuthClientId and OAuthAccessToken`;
    this.#consumer = { baseUrl: context?.baseUrl ?? '', consumerKey: o.consumerKey, privateKey, dispatcher: context?.dispatcher };
    this.principal = credentials.user ? credentials.user : `the OAuth 1.0a consumer ${JSON.stringify(o.consumerKey)}`;
    this.#token = present(credentials.oauthAccessToken) ? credentials.oauthAccessToken : undefined;
    this.#pending = !this.#token && present(o.requestToken) && present(o.verifier) ? { requestToken: o.requestToken, verifier: o.verifier } : undefined;
    this.#material = `OAuth1\n${o.consumerKey}\n${this.#token ?? `${o.requestToken}\n${o.verifier}`}`;
  }

  async ready(signal: AbortSignal): Promise<void> {
    if (this.#token) return;
    const pending = this.#pending;
    if (!pending || !this.#consumer.baseUrl) {
      throw new PgError(SqlState.InvalidAuthorizationSpecification, 'OAuth 1.0a has no access token', {
        hint: 'Set OAuthAccessToken, or call GetOAuthAuthorizationURL, approve the URL in a browser and set AuthToken and OAuthVerifier',
      });
    }
    // Sessions starting together share one exchange: Jira accepts a verifier once.
    this.#exchange ??= oauth1AccessToken(this.#consumer, pending.requestToken, pending.verifier, signal).then(
      (access) => {
        this.#token = access.token;
      },
      (err: unknown) => {
        this.#exchange = undefined;
        throw err;
      },
    );
    await this.#exchange;
  }

  headers(request: SignedRequest): Record<string, string> {
    if (!this.#token) throw new PgError(SqlState.InvalidAuthorizationSpecification, 'OAuth 1.0a has no access token');
    const { consumerKey, privateKey } = this.#consumer;
    return { authorization: oauth1Authorization({ method: request.method, url: request.url, consumerKey, privateKey, token: this.#token }) };
  }

  identityMaterial(): string {
    return this.#material;
  }
}

export function oauth1Auth(credentials: JsmCredentials, context?: AuthContext): AuthProvider {
  return new OAuth1Auth(credentials, credentials.oauth1 ?? {}, context);
}
