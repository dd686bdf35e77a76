/**
 * AuthScheme=OAuth with the 3LO flow (InitiateOAuth, OAuthClientId, …): the client calls ready()
 * before each request (a token, refreshed when expired; the cloudId found) and renew() after a 401
 * (one shared refresh, then the request once more). The token lives in the session's store, never
 * in a field that logging the client could print.
 */
import type { SiteAddress } from '../../url.ts';
import type { AuthProvider } from '../provider.ts';
import type { OAuth2Session } from './session.ts';

export class OAuth2Auth implements AuthProvider {
  readonly scheme = 'OAuth' as const;
  readonly principal: string;
  readonly checkProperties = 'OAuthClientId/OAuthClientSecret/OAuthSettingsLocation (or authorize again)';
  readonly usedProperties: string;
  readonly session: OAuth2Session;
  #accessToken: string | undefined;
  #route: SiteAddress | undefined;
  readonly #material: string;

  constructor(session: OAuth2Session, user: string | undefined) {
    this.session = session;
    this.principal = user || (session.clientId ? `the OAuth 2.0 app ${session.clientId}` : 'the OAuth access token');
    this.usedProperties = `an OAuth 2.0 access token (InitiateOAuth=${session.initiate}, OAuthSettingsLocation ${session.store.key})`;
    this.#material = `${session.identityMaterial()}\n${user ?? ''}`;
  }

  async ready(signal: AbortSignal): Promise<void> {
    const { accessToken, route } = await this.session.ready(signal);
    this.#accessToken = accessToken;
    this.#route = route;
  }

  async renew(signal: AbortSignal): Promise<boolean> {
    // the client calls ready() again before the retry, which picks up the new token
    return this.session.renew(this.#accessToken, signal);
  }

  headers(): Record<string, string> {
    return this.#accessToken ? { authorization: `Bearer ${this.#accessToken}` } : {};
  }

  route(): SiteAddress | undefined {
    return this.#route;
  }

  close(): void {
    this.session.close();
  }

  identityMaterial(): string {
    return this.#material;
  }
}
