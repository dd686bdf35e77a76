/**
 * InitiateOAuth=GETANDREFRESH with no stored token: the gateway cannot open a browser on a server,
 * so it starts an authorization (state + PKCE, kept in the settings store like the headless one),
 * logs its URL at WARN for the operator to open, and listens on CallbackURL (loopback http only)
 * for the redirect. One authorization at a time per identity; it is renewed when its hour is up.
 */
import type { Logger } from 'pino';
import { loopbackCallback, waitForCallback } from './callback-server.ts';

export interface BrowserFlowDeps {
  readonly callbackUrl?: string;
  readonly logger?: Logger;
  /** A new authorization (GetOAuthAuthorizationURL's): its URL and state. */
  start(): Promise<{ url: string; state: string }>;
  /** The code of the redirect for `state`: exchanged and stored. */
  complete(code: string, state: string): Promise<void>;
}

/** As long as the session keeps a pending authorization (its state and PKCE verifier). */
const AUTHORIZATION_TTL_MS = 60 * 60 * 1000;

export class BrowserFlow {
  readonly #deps: BrowserFlowDeps;
  #active: { url: string; createdAt: number; release: () => void } | undefined;
  #starting: Promise<string | undefined> | undefined;
  #saidHeadless = false;

  constructor(deps: BrowserFlowDeps) {
    this.#deps = deps;
  }

  /** The URL to open while the gateway listens for its redirect; undefined when only the headless flow can work. */
  ensure(): Promise<string | undefined> {
    if (this.#active && Date.now() - this.#active.createdAt < AUTHORIZATION_TTL_MS) return Promise.resolve(this.#active.url);
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  /** Stops listening (the tokens arrived, or the identity is closed). */
  stop(): void {
    this.#active?.release();
    this.#active = undefined;
  }

  get listening(): boolean {
    return this.#active !== undefined;
  }

  async #start(): Promise<string | undefined> {
    this.stop();
    const log = this.#deps.logger;
    const callback = loopbackCallback(this.#deps.callbackUrl);
    if ('reason' in callback) {
      if (!this.#saidHeadless) {
        this.#saidHeadless = true;
        log?.warn(`OAuth 2.0: no token yet, and the browser flow cannot receive the redirect (${callback.reason}): authorize with CALL GetOAuthAuthorizationURL() and GetOAuthAccessToken`);
      }
      return undefined;
    }
    const { url, state } = await this.#deps.start();
    let release: () => void;
    try {
      release = await waitForCallback(callback.url, state, {
        path: callback.url.pathname,
        logger: log,
        complete: async (code) => {
          await this.#deps.complete(code, state);
          this.stop();
        },
      });
    } catch (err) {
      log?.warn(
        { err: err instanceof Error ? err.message : String(err) },
        `OAuth 2.0: cannot listen on ${callback.url.host} for the redirect: authorize with CALL GetOAuthAuthorizationURL() and GetOAuthAccessToken`,
      );
      return undefined;
    }
    this.#active = { url, createdAt: Date.now(), release };
    // one line, for the operator to open; the URL holds no secret (the PKCE verifier stays in the store)
    log?.warn(`OAuth 2.0: no token yet: open ${url} in a browser and approve; the gateway listens on ${callback.url.origin}${callback.url.pathname} for the redirect`);
    return url;
  }
}
