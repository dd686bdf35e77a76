/**
 * A simulated Atlassian Crowd server: the usermanagement REST session resource (the application
 * authenticates with Basic name:password, then the user with username and password, answering an
 * SSO token) and Crowd's SAML identity provider, which answers the signed SAML response for JSM to
 * a browser carrying the crowd.token_key cookie. Simplification: the SAML response is
 * IdP-initiated (GET of the SSO URL with the cookie) rather than answering JSM's AuthnRequest.
 */
import { randomBytes } from 'node:crypto';
import { SIM_IDENTITIES } from './identities.ts';
import { jsonBody, redirect, serveIdp, type IdpReply, type IdpRequest } from './idp-http.ts';
import { autoPostForm, samlIdp, type SamlIdp, type SamlServiceProvider } from './idp-saml.ts';
import type { RunningCrowd, SimCrowdOptions } from './idp-types.ts';

const CONTEXT = '/crowd';
const SSO_PATH = `${CONTEXT}/console/secure/saml/sso.action`;
const TOKEN_TTL_MS = 30 * 60_000;

const crowdError = (status: number, reason: string, message: string): IdpReply => ({ status, json: { reason, message } });

export interface SimCrowd extends RunningCrowd {
  saml: SamlIdp;
  expireSessions(): void;
  close(): Promise<void>;
}

export async function startCrowd(opts: SimCrowdOptions, host: string, signingKey: string, signingCert: string, sp: () => SamlServiceProvider): Promise<SimCrowd> {
  const appName = opts.appName ?? 'jira-service-management';
  const appPassword = opts.appPassword ?? 'crowd-app-password';
  const users = new Map(Object.values(SIM_IDENTITIES).map((i) => [i.username, { identity: i, password: i.password }]));
  const tokens = new Map<string, { username: string; expiresAt: number }>();
  let origin = '';

  function applicationAuthenticated(req: IdpRequest): boolean {
    const [kind, credential] = String(req.headers.authorization ?? '').split(/\s+/, 2);
    if (!/^basic$/i.test(kind ?? '') || !credential) return false;
    return Buffer.from(credential, 'base64').toString('utf8') === `${appName}:${appPassword}`;
  }

  function createSession(req: IdpRequest): IdpReply {
    // Crowd answers an unknown application, or a wrong application password, with a bare 401.
    if (!applicationAuthenticated(req)) {
      return { status: 401, headers: { 'www-authenticate': 'BASIC realm="Crowd REST Service"' }, html: 'Application failed to authenticate' };
    }
    const body = jsonBody(req);
    const username = String(body.username ?? '').toLowerCase();
    const user = users.get(username);
    if (!user || body.password !== user.password) {
      return crowdError(400, 'INVALID_USER_AUTHENTICATION', `Account with name <${username}> failed to authenticate: password was invalid`);
    }
    const token = randomBytes(18).toString('base64url');
    const expiresAt = Date.now() + TOKEN_TTL_MS;
    tokens.set(token, { username, expiresAt });
    return {
      status: 201,
      headers: { location: `${origin}${CONTEXT}/rest/usermanagement/1/session/${token}` },
      json: {
        expand: 'user',
        token,
        user: { name: username, link: { href: `${origin}${CONTEXT}/rest/usermanagement/1/user?username=${username}`, rel: 'self' } },
        link: { href: `${origin}${CONTEXT}/rest/usermanagement/1/session/${token}`, rel: 'self' },
        'created-date': Date.now(),
        'expiry-date': expiresAt,
      },
    };
  }

  async function sso(req: IdpRequest): Promise<IdpReply> {
    const t = tokens.get(req.cookies['crowd.token_key'] ?? '');
    if (!t || t.expiresAt < Date.now()) return redirect(`${origin}${CONTEXT}/console/login.action`);
    const samlResponse = await saml.loginResponse(sp(), t.username);
    const acs = sp().entityMeta.getAssertionConsumerService('post') as string;
    return { status: 200, html: autoPostForm(acs, samlResponse) };
  }

  const server = await serveIdp(host, async (req) => {
    const path = req.url.pathname;
    if (req.method === 'POST' && path === `${CONTEXT}/rest/usermanagement/1/session`) return createSession(req);
    if (req.method === 'GET' && path === SSO_PATH) return sso(req);
    if (req.method === 'GET' && path === `${CONTEXT}/console/login.action`) return { status: 200, html: '<!DOCTYPE html><html><body><form id="login-form"></form></body></html>' };
    return { status: 404, html: 'Not Found' };
  });
  origin = server.url;
  const saml = samlIdp(`${origin}${CONTEXT}`, `${origin}${SSO_PATH}`, signingKey, signingCert);

  return {
    url: `${origin}${CONTEXT}`,
    loginUrl: `${origin}${SSO_PATH}`,
    appName,
    appPassword,
    saml,
    setPassword(username, password) {
      const user = users.get(username.toLowerCase());
      if (!user) throw new Error(`Crowd has no user ${username}`);
      user.password = password;
    },
    expireSessions: () => tokens.clear(),
    close: () => server.close(),
  };
}
