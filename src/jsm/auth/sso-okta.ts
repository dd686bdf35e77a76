/**
 * Signing in through Okta (AuthScheme OKTA), as Okta's Authentication API documents it: primary
 * authentication (POST /api/v1/authn with User/Password, and Authorization: SSWS when SSOProperties
 * gives a trusted application's APIToken) answers SUCCESS with a session token, or MFA_REQUIRED with
 * the user's factors; the factor named by MFAType is verified (Okta Verify: the MFAPassCode as TOTP,
 * or a push when there is none; SMS/Email: the MFAPassCode, or Okta sends one and the user connects
 * again with it). The session token then opens the JSM app's embed link (SSOLoginURL), which
 * answers the SAML response.
 */
import { randomBytes } from 'node:crypto';
import type { DispatcherFor } from './provider.ts';
import { parseJson, signInFailed, SsoBrowser, type SsoResponse } from './sso-http.ts';
import { samlFormOf, type SamlForm } from './sso-saml.ts';
import type { MfaType, OktaExtras } from './sso-settings.ts';

export interface OktaSignIn extends OktaExtras {
  user: string;
  password: string;
  loginUrl: URL;
}

interface Factor {
  id: string;
  factorType: string;
  provider: string;
  verifyHref: string;
}

const PRIMARY = 'primary authentication (POST /api/v1/authn)';
const PUSH_POLL_MS = 1_000;
const PUSH_MAX_MS = 120_000;
const LABEL: Record<MfaType, string> = { OktaVerify: 'Okta Verify', SMS: 'SMS', Email: 'e-mail' };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** Okta's error code and summary (never a request value). */
function oktaSays(response: SsoResponse): string {
  const body = parseJson(response);
  const code = typeof body.errorCode === 'string' ? body.errorCode : '';
  const summary = typeof body.errorSummary === 'string' ? body.errorSummary : '';
  return [code, summary].filter(Boolean).join(' ') || `status ${response.status}`;
}

function factorsOf(body: Record<string, unknown>): Factor[] {
  const list = ((body._embedded as { factors?: unknown } | undefined)?.factors ?? []) as Record<string, unknown>[];
  return list.map((f) => ({
    id: String(f.id),
    factorType: String(f.factorType),
    provider: String(f.provider),
    verifyHref: String(((f._links as Record<string, { href?: string }> | undefined)?.verify?.href) ?? ''),
  }));
}

const describe = (f: Factor) => (f.factorType === 'token:software:totp' ? `${f.provider === 'OKTA' ? 'OktaVerify' : f.provider} (code)` : f.factorType === 'push' ? 'OktaVerify (push)' : f.factorType === 'sms' ? 'SMS' : f.factorType === 'email' ? 'Email' : f.factorType);

/** One device token per gateway identity: with MFARememberDevice Okta can skip MFA for it next time. */
export class OktaSignInFlow {
  readonly #deviceToken = randomBytes(16).toString('hex');

  /** `dispatcherFor`: Okta is reached with the connection's TLS and proxy settings, as JSM is. */
  constructor(
    private readonly s: OktaSignIn,
    private readonly timeoutMs: number,
    private readonly dispatcherFor?: DispatcherFor,
  ) {}

  async samlForm(signal: AbortSignal): Promise<SamlForm> {
    const browser = new SsoBrowser('Okta', this.timeoutMs, this.dispatcherFor);
    const sessionToken = await this.#authenticate(browser, signal);
    const url = new URL(this.s.loginUrl);
    url.searchParams.set('sessionToken', sessionToken);
    const step = 'the app sign-in (SSOLoginURL)';
    const page = await browser.send(step, { method: 'GET', url, follow: true }, signal);
    return samlFormOf('Okta', step, page, "SSOLoginURL must be the JSM app's embed link in Okta, e.g. https://<org>.okta.com/home/<app>/<id>/<n>");
  }

  #api(browser: SsoBrowser, step: string, url: URL, body: object, signal: AbortSignal): Promise<SsoResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.s.apiToken) headers.authorization = `SSWS ${this.s.apiToken}`;
    return browser.send(step, { method: 'POST', url, headers, body: JSON.stringify(body) }, signal);
  }

  async #authenticate(browser: SsoBrowser, signal: AbortSignal): Promise<string> {
    const authn = new URL('/api/v1/authn', this.s.loginUrl);
    const response = await this.#api(browser, PRIMARY, authn, {
      username: this.s.user,
      password: this.s.password,
      options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: false },
      context: { deviceToken: this.#deviceToken },
    }, signal);
    if (response.status === 401 && parseJson(response).errorCode === 'E0000011' && this.s.apiToken) {
      throw signInFailed('Okta', PRIMARY, `Okta refused the trusted application's API token (${oktaSays(response)})`, 'Check APIToken in SSOProperties: an API token of the Okta organization');
    }
    if (response.status === 401) {
      throw signInFailed('Okta', PRIMARY, `Okta refused the User and Password of ${JSON.stringify(this.s.user)} (${oktaSays(response)})`, 'Check User and Password (the Okta account)');
    }
    if (response.status !== 200) throw signInFailed('Okta', PRIMARY, `Okta answered ${oktaSays(response)}`);
    return this.#toSessionToken(browser, parseJson(response), signal);
  }

  async #toSessionToken(browser: SsoBrowser, body: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    const status = String(body.status ?? '');
    if (status === 'SUCCESS' && typeof body.sessionToken === 'string') return body.sessionToken;
    if (status !== 'MFA_REQUIRED') {
      throw signInFailed('Okta', PRIMARY, `Okta answered the transaction state ${status || 'none'}, which needs a person at a browser`, status === 'MFA_ENROLL' ? 'Enroll a factor for the user in Okta first' : undefined);
    }
    const factors = factorsOf(body);
    const type = this.s.mfaType;
    const enrolled = factors.map(describe).join(', ');
    if (!type) {
      throw signInFailed('Okta', 'multi-factor authentication', `Okta asks for a second factor (the user has ${enrolled || 'none'})`, 'Set MFAType (OktaVerify, SMS or Email) and MFAPassCode in SSOProperties');
    }
    const wanted = type === 'OktaVerify' ? (this.s.mfaPassCode ? 'token:software:totp' : 'push') : type === 'SMS' ? 'sms' : 'email';
    const factor = factors.find((f) => f.factorType === wanted && (wanted === 'sms' || wanted === 'email' || f.provider === 'OKTA'));
    const step = `MFA verification (${LABEL[type]}${wanted === 'push' ? ' push' : ''})`;
    if (!factor || !factor.verifyHref) {
      throw signInFailed('Okta', step, `the user has no ${LABEL[type]}${wanted === 'push' ? ' push' : wanted === 'token:software:totp' ? ' code' : ''} factor (enrolled: ${enrolled || 'none'})`);
    }
    const verifyUrl = new URL(factor.verifyHref);
    verifyUrl.searchParams.set('rememberDevice', String(this.s.mfaRememberDevice));
    const stateToken = String(body.stateToken ?? '');
    if (wanted === 'push') return this.#push(browser, verifyUrl, stateToken, step, signal);
    const passCode = this.s.mfaPassCode;
    if (passCode) {
      const answer = await this.#api(browser, step, verifyUrl, { stateToken, passCode }, signal);
      const result = parseJson(answer);
      if (answer.status === 200 && result.status === 'SUCCESS' && typeof result.sessionToken === 'string') return result.sessionToken;
      if (wanted === 'token:software:totp') {
        throw signInFailed('Okta', step, `Okta refused the MFAPassCode (${oktaSays(answer)}); a code is good once and for about 30 seconds`, 'Set MFAPassCode to the current Okta Verify code, and keep MFARememberDevice=True so Okta can skip MFA when the gateway signs in again');
      }
    }
    // SMS or e-mail without a (good) passcode: Okta sends one, and the user connects again with it (seed 003).
    const challenge = await this.#api(browser, step, verifyUrl, { stateToken }, signal);
    const sent = challenge.status === 200 && parseJson(challenge).factorResult === 'CHALLENGE';
    throw signInFailed(
      'Okta',
      step,
      `${passCode ? 'Okta refused the MFAPassCode' : 'MFAPassCode is not set'}${sent ? `; Okta has sent a new one-time passcode by ${LABEL[type]}` : ` and Okta did not send a new passcode (${oktaSays(challenge)})`}`,
      `Set MFAPassCode in SSOProperties to the passcode received by ${LABEL[type]} and connect again`,
    );
  }

  async #push(browser: SsoBrowser, verifyUrl: URL, stateToken: string, step: string, signal: AbortSignal): Promise<string> {
    const deadline = Date.now() + PUSH_MAX_MS;
    for (;;) {
      const answer = await this.#api(browser, step, verifyUrl, { stateToken }, signal);
      const result = parseJson(answer);
      if (answer.status === 200 && result.status === 'SUCCESS' && typeof result.sessionToken === 'string') return result.sessionToken;
      const factorResult = String(result.factorResult ?? '');
      if (answer.status !== 200 || factorResult !== 'WAITING') {
        const why = factorResult === 'REJECTED' ? 'the push was rejected on the device' : factorResult === 'TIMEOUT' ? 'the push was not answered in time' : `Okta answered ${factorResult || oktaSays(answer)}`;
        throw signInFailed('Okta', step, why, 'Approve the Okta Verify push, or set MFAPassCode to an Okta Verify code');
      }
      if (Date.now() > deadline) throw signInFailed('Okta', step, `the push was not answered within ${PUSH_MAX_MS / 1000} s`);
      // Okta's poll link (_links.next) is the verify URL itself; polling that keeps rememberDevice.
      await sleep(PUSH_POLL_MS, signal);
    }
  }
}

