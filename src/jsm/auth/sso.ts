/**
 * AuthScheme Crowd and OKTA: the gateway signs in through the identity provider, hands the SAML
 * response to JSM (SSOExchangeUrl) and sends JSM's session cookie with every API call. The first
 * call signs in (ready); when JSM answers 401 the session has expired, and the client asks once for
 * a new one (renew). A failure says which step failed, with SQLSTATE 28000; after an expiry it says
 * that the session expired first. Concurrent callers share one sign-in. The identity provider and
 * SSOExchangeUrl are reached as JSM is (SSLServerCert, SSLClientCert*, Proxy*: context.dispatcherFor).
 */
import { PgError } from '../../errors/index.ts';
import type { JsmCredentials } from '../types.ts';
import { requireProperty, type AuthContext, type AuthProvider } from './provider.ts';
import { crowdSamlForm } from './sso-crowd.ts';
import { OktaSignInFlow } from './sso-okta.ts';
import { exchangeSaml, type SamlForm } from './sso-saml.ts';
import { oktaExtras, refuseCrowdExtras, requireSso, ssoUrl } from './sso-settings.ts';

export type { SsoProperties } from './sso-settings.ts';

/** Each HTTP exchange of a sign-in; the whole sign-in has no other limit than the caller's cancel. */
const STEP_TIMEOUT_MS = 30_000;

class SsoAuth implements AuthProvider {
  readonly checkProperties: string;
  readonly usedProperties: string;
  #cookie: string | undefined;
  #signingIn: Promise<void> | undefined;

  constructor(
    readonly scheme: 'Crowd' | 'OKTA',
    readonly principal: string,
    private readonly samlForm: (signal: AbortSignal) => Promise<SamlForm>,
    private readonly exchangeUrl: URL,
    readonly material: string,
    private readonly context: AuthContext | undefined,
  ) {
    const idpProps = scheme === 'Crowd' ? 'SSOLoginURL, SSOAppName, SSOAppPassword' : 'SSOLoginURL, SSOProperties';
    this.checkProperties = `User/Password/${idpProps.replaceAll(', ', '/')}/SSOExchangeUrl`;
    this.usedProperties = `the JSM session of User signed in through ${scheme === 'Crowd' ? 'Crowd' : 'Okta'} (${idpProps}, SSOExchangeUrl)`;
  }

  headers(): Record<string, string> {
    return this.#cookie ? { cookie: this.#cookie } : {};
  }

  async ready(signal: AbortSignal): Promise<void> {
    if (this.#cookie === undefined) await this.#signIn(signal, false);
  }

  async renew(signal: AbortSignal): Promise<boolean> {
    this.#cookie = undefined;
    await this.#signIn(signal, true);
    return true;
  }

  identityMaterial(): string {
    return this.material;
  }

  /** One sign-in at a time; a caller that gives up (cancel) stops waiting, not the sign-in others wait for. */
  async #signIn(signal: AbortSignal, afterExpiry: boolean): Promise<void> {
    this.#signingIn ??= this.#run(afterExpiry).finally(() => (this.#signingIn = undefined));
    const shared = this.#signingIn;
    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async #run(afterExpiry: boolean): Promise<void> {
    // Not tied to one caller's signal: others may be waiting for the same sign-in.
    const never = new AbortController().signal;
    try {
      const form = await this.samlForm(never);
      this.#cookie = await exchangeSaml(this.exchangeUrl, form, STEP_TIMEOUT_MS, never, this.context?.dispatcherFor);
    } catch (err) {
      if (afterExpiry && err instanceof PgError) {
        throw new PgError(err.code, `the JSM session expired and signing in again failed: ${err.message}`, err.fields);
      }
      throw err;
    }
  }
}

export function ssoAuth(credentials: JsmCredentials, context?: AuthContext): AuthProvider {
  const scheme = credentials.authScheme === 'Crowd' ? 'Crowd' : 'OKTA';
  const user = requireProperty(scheme, 'user', credentials.user);
  const password = requireProperty(scheme, 'password', credentials.password);
  const sso = credentials.sso ?? {};
  const loginUrl = ssoUrl(scheme, 'SSOLoginURL', sso.loginUrl);
  const exchangeUrl = ssoUrl(scheme, 'SSOExchangeUrl', sso.exchangeUrl);
  const material = [scheme, user, password, loginUrl.href, exchangeUrl.href, sso.appName ?? '', sso.appPassword ?? '', sso.properties ?? ''].join('\n');
  if (scheme === 'Crowd') {
    refuseCrowdExtras(sso.properties);
    const appName = requireSso(scheme, 'SSOAppName', sso.appName);
    const appPassword = requireSso(scheme, 'SSOAppPassword', sso.appPassword);
    return new SsoAuth(scheme, user, (signal) => crowdSamlForm({ user, password, loginUrl, appName, appPassword }, STEP_TIMEOUT_MS, signal, context?.dispatcherFor), exchangeUrl, material, context);
  }
  const flow = new OktaSignInFlow({ user, password, loginUrl, ...oktaExtras(sso.properties) }, STEP_TIMEOUT_MS, context?.dispatcherFor);
  return new SsoAuth(scheme, user, (signal) => flow.samlForm(signal), exchangeUrl, material, context);
}
