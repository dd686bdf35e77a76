/**
 * Signing in through Atlassian Crowd (AuthScheme Crowd): the application authenticates to Crowd's
 * REST API with SSOAppName/SSOAppPassword and opens a session for User/Password
 * (POST /rest/usermanagement/1/session), whose token is Crowd's SSO cookie (crowd.token_key); with it
 * the SSOLoginURL (Crowd's SAML single sign-on URL) answers the SAML response for JSM.
 */
import type { DispatcherFor } from './provider.ts';
import { parseJson, showUrl, signInFailed, SsoBrowser } from './sso-http.ts';
import { samlFormOf, type SamlForm } from './sso-saml.ts';

export interface CrowdSignIn {
  user: string;
  password: string;
  loginUrl: URL;
  appName: string;
  appPassword: string;
}

/** Crowd's context URL from its SAML SSO URL: what precedes /console/ (https://host/crowd), else the origin. */
export function crowdBase(loginUrl: URL): string {
  const at = loginUrl.pathname.indexOf('/console/');
  return `${loginUrl.origin}${at >= 0 ? loginUrl.pathname.slice(0, at) : ''}`;
}

/** `dispatcherFor`: Crowd is reached with the connection's TLS and proxy settings, as JSM is. */
export async function crowdSamlForm(s: CrowdSignIn, timeoutMs: number, signal: AbortSignal, dispatcherFor?: DispatcherFor): Promise<SamlForm> {
  const browser = new SsoBrowser('Crowd', timeoutMs, dispatcherFor);
  const sessionUrl = new URL(`${crowdBase(s.loginUrl)}/rest/usermanagement/1/session`);
  const step = 'user authentication (POST /rest/usermanagement/1/session)';
  const response = await browser.send(
    step,
    {
      method: 'POST',
      url: sessionUrl,
      headers: {
        authorization: `Basic ${Buffer.from(`${s.appName}:${s.appPassword}`, 'utf8').toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ username: s.user, password: s.password, 'validation-factors': { validationFactors: [] } }),
    },
    signal,
  );
  if (response.status === 401) {
    throw signInFailed('Crowd', 'application authentication', `Crowd at ${showUrl(sessionUrl)} refused the application ${JSON.stringify(s.appName)}`, 'Check SSOAppName and SSOAppPassword: the name and password of the application JSM is connected to Crowd with');
  }
  const body = parseJson(response);
  const token = typeof body.token === 'string' ? body.token : '';
  if (response.status !== 201 && response.status !== 200) {
    const reason = typeof body.reason === 'string' ? body.reason : `status ${response.status}`;
    const why = reason === 'INVALID_USER_AUTHENTICATION' ? `Crowd refused the User and Password of ${JSON.stringify(s.user)}` : `Crowd answered ${reason}`;
    throw signInFailed('Crowd', step, why, reason === 'INVALID_USER_AUTHENTICATION' ? 'Check User and Password (the Crowd account)' : undefined);
  }
  if (!token) throw signInFailed('Crowd', step, `Crowd answered ${response.status} without an SSO token`);
  // Crowd's default SSO cookie name; the SAML SSO URL reads the session from it.
  browser.setCookie(s.loginUrl, 'crowd.token_key', token);
  const page = await browser.send('the SAML sign-on (SSOLoginURL)', { method: 'GET', url: s.loginUrl, follow: true }, signal);
  return samlFormOf('Crowd', 'the SAML sign-on (SSOLoginURL)', page, "SSOLoginURL must be Crowd's SAML single sign-on URL, e.g. https://<Crowd host>/crowd/console/secure/saml/sso.action");
}
