/**
 * The last leg of an SSO sign-in: the IdP's page carrying the SAML response (a form a browser would
 * submit by itself) is read, and the response posted to SSOExchangeUrl, JSM's SAML consumer, which
 * answers the session cookie (JSESSIONID) the API calls are then sent with.
 */
import type { DispatcherFor } from './provider.ts';
import { SsoBrowser, showUrl, signInFailed, type SsoIdp, type SsoResponse } from './sso-http.ts';

export interface SamlForm {
  samlResponse: string;
  relayState: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The value of the hidden input `name` in an HTML page, whatever the order of its attributes. */
function inputValue(html: string, name: string): string | undefined {
  for (const tag of html.match(/<input\b[^>]*>/gi) ?? []) {
    const attr = (a: string) => new RegExp(`\\b${a}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
    const n = attr('name');
    if (n && (n[2] ?? n[3]) === name) {
      const v = attr('value');
      return v ? decodeEntities(v[2] ?? v[3] ?? '') : '';
    }
  }
  return undefined;
}

/** The SAML response on an IdP's page, or why there is none (a login page means the IdP did not accept the session). */
export function samlFormOf(idp: SsoIdp, step: string, page: SsoResponse, hint: string): SamlForm {
  const samlResponse = page.status === 200 ? inputValue(page.text, 'SAMLResponse') : undefined;
  if (!samlResponse) {
    throw signInFailed(idp, step, `${showUrl(page.url)} answered ${page.status} without a SAML response`, hint);
  }
  return { samlResponse, relayState: inputValue(page.text, 'RelayState') ?? '' };
}

/** Posts the SAML response to SSOExchangeUrl; the cookies JSM set, as a Cookie header value. */
/** `dispatcherFor`: the connection's TLS and proxy settings, for SSOExchangeUrl's origin. */
export async function exchangeSaml(exchangeUrl: URL, form: SamlForm, timeoutMs: number, signal: AbortSignal, dispatcherFor?: DispatcherFor): Promise<string> {
  const step = 'the SAML exchange (SSOExchangeUrl)';
  const jsm = new SsoBrowser('JSM', timeoutMs, dispatcherFor);
  const body = new URLSearchParams({ SAMLResponse: form.samlResponse, ...(form.relayState ? { RelayState: form.relayState } : {}) }).toString();
  const response = await jsm.send(step, { method: 'POST', url: exchangeUrl, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, signal);
  const cookies = SsoBrowser.cookiesSet(response);
  if (!cookies.some(([name]) => name === 'JSESSIONID')) {
    const said = jsmMessage(response);
    throw signInFailed('JSM', step, `${showUrl(exchangeUrl)} answered ${response.status} without a session cookie${said ? ` (${said})` : ''}`, 'SSOExchangeUrl must be JSM\'s SAML consumer, e.g. https://<JSM host>/plugins/servlet/samlconsumer, trusting the identity provider');
  }
  return cookies.map(([n, v]) => `${n}=${v}`).join('; ');
}

/** JSM's own words on a refusal (errorMessage of its JSON), short; never the request. */
function jsmMessage(response: SsoResponse): string {
  try {
    const body = JSON.parse(response.text) as { errorMessage?: unknown; message?: unknown };
    const text = typeof body.errorMessage === 'string' ? body.errorMessage : typeof body.message === 'string' ? body.message : '';
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return '';
  }
}
