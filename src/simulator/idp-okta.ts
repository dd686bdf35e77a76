/**
 * A simulated Okta org: the Authentication API (primary authentication, MFA factor verification
 * with TOTP, SMS, e-mail and push, remembered devices, trusted applications sending an SSWS API
 * token) and a SAML app for JSM whose embed link, visited with a session token, answers the signed
 * SAML response in a self-submitting form. Response shapes and error codes follow Okta's
 * /api/v1/authn documentation; what is left out: password expiry, enrollment, security questions,
 * the DT cookie (the device token is taken from context.deviceToken only) and rate limits.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { SIM_IDENTITIES } from './identities.ts';
import { jsonBody, redirect, serveIdp, type IdpReply, type IdpRequest } from './idp-http.ts';
import { autoPostForm, samlIdp, type SamlIdp, type SamlServiceProvider } from './idp-saml.ts';
import { totpMatches } from './idp-totp.ts';
import type { RunningOkta, SimOktaOptions } from './idp-types.ts';

const APP_PATH = '/home/atlassian_jira_saml/0oa1jsmsim/aln1jsmsim';
const SSO_PATH = '/app/atlassian_jira_saml/exk1jsmsim/sso/saml';
const TRANSACTION_MS = 5 * 60_000;

type FactorType = 'token:software:totp' | 'sms' | 'email' | 'push';
const FACTOR_IDS: Record<FactorType, string> = { 'token:software:totp': 'ost1simtotp', sms: 'sms1simsms', email: 'emf1simemail', push: 'opf1simpush' };

interface Transaction {
  login: string;
  expiresAt: number;
  deviceToken: string | undefined;
  pushPolls: number;
}

const oktaError = (status: number, errorCode: string, errorSummary: string, causes: string[] = []): IdpReply => ({
  status,
  json: { errorCode, errorSummary, errorLink: errorCode, errorId: `oae${randomBytes(8).toString('hex')}`, errorCauses: causes.map((c) => ({ errorSummary: c })) },
});
const AUTH_FAILED = () => oktaError(401, 'E0000004', 'Authentication failed');
const INVALID_TOKEN = () => oktaError(401, 'E0000011', 'Invalid token provided');
const INVALID_PASSCODE = () => oktaError(403, 'E0000068', 'Invalid Passcode/Answer', ["Your passcode doesn't match our records. Please try again."]);

const token = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

export interface SimOkta extends RunningOkta {
  saml: SamlIdp;
  expireSessions(): void;
  close(): Promise<void>;
}

export async function startOkta(opts: SimOktaOptions, host: string, signingKey: string, signingCert: string, sp: () => SamlServiceProvider): Promise<SimOkta> {
  const users = new Map(Object.values(SIM_IDENTITIES).map((i) => [i.email, { identity: i, password: i.password }]));
  const transactions = new Map<string, Transaction>();
  const sessionTokens = new Map<string, { login: string; expiresAt: number }>();
  const sids = new Map<string, string>();
  const remembered = new Set<string>();
  const usedPasscodes = new Set<string>();
  const sentCodes: { factor: 'sms' | 'email'; login: string; code: string; expiresAt: number }[] = [];
  const mfa = opts.mfa ?? {};
  const factors: FactorType[] = [
    ...(mfa.totpSecret ? (['token:software:totp'] as const) : []),
    ...(mfa.push ? (['push'] as const) : []),
    ...(mfa.sms ? (['sms'] as const) : []),
    ...(mfa.email ? (['email'] as const) : []),
  ];
  let origin = '';

  const userOf = (login: string) => {
    const i = users.get(login)!.identity;
    return { id: `00u${i.username}`, profile: { login: i.email, firstName: i.displayName.split(' ')[0], lastName: i.displayName.split(' ')[1] ?? '', locale: 'en', timeZone: i.timeZone } };
  };

  const success = (login: string): IdpReply => {
    const sessionToken = token('20111');
    const expiresAt = Date.now() + TRANSACTION_MS;
    sessionTokens.set(sessionToken, { login, expiresAt });
    return { status: 200, json: { expiresAt: new Date(expiresAt).toISOString(), status: 'SUCCESS', sessionToken, _embedded: { user: userOf(login) } } };
  };

  const factorJson = (type: FactorType) => ({
    id: FACTOR_IDS[type],
    factorType: type,
    provider: 'OKTA',
    vendorName: 'OKTA',
    profile: type === 'sms' ? { phoneNumber: '+1 XXX-XXX-4242' } : type === 'email' ? { email: 'c...r@example.com' } : {},
    _links: { verify: { href: `${origin}/api/v1/authn/factors/${FACTOR_IDS[type]}/verify`, hints: { allow: ['POST'] } } },
  });

  function primary(req: IdpRequest): IdpReply {
    const auth = String(req.headers.authorization ?? '');
    const trusted = /^SSWS\s+/i.test(auth);
    if (trusted && auth.replace(/^SSWS\s+/i, '') !== opts.apiToken) return INVALID_TOKEN();
    const body = jsonBody(req);
    const login = String(body.username ?? '').toLowerCase();
    const user = users.get(login);
    if (!user || body.password !== user.password) return AUTH_FAILED();
    const context = (body.context ?? {}) as Record<string, unknown>;
    const deviceToken = typeof context.deviceToken === 'string' && context.deviceToken ? context.deviceToken : undefined;
    if (factors.length === 0 || (deviceToken && remembered.has(`${login}\n${deviceToken}`))) return success(login);
    const stateToken = token('00');
    const expiresAt = Date.now() + TRANSACTION_MS;
    transactions.set(stateToken, { login, expiresAt, deviceToken, pushPolls: 0 });
    return {
      status: 200,
      json: {
        stateToken,
        expiresAt: new Date(expiresAt).toISOString(),
        status: 'MFA_REQUIRED',
        _embedded: { user: userOf(login), factors: factors.map(factorJson), policy: { allowRememberDevice: opts.allowRememberDevice !== false, rememberDeviceLifetimeInMinutes: 0, rememberDeviceByDefault: false } },
        _links: { cancel: { href: `${origin}/api/v1/authn/cancel`, hints: { allow: ['POST'] } } },
      },
    };
  }

  function verified(stateToken: string, tx: Transaction, remember: boolean): IdpReply {
    transactions.delete(stateToken);
    if (remember && tx.deviceToken && opts.allowRememberDevice !== false) remembered.add(`${tx.login}\n${tx.deviceToken}`);
    return success(tx.login);
  }

  function verify(req: IdpRequest, factorId: string): IdpReply {
    const body = jsonBody(req);
    const stateToken = String(body.stateToken ?? '');
    const tx = transactions.get(stateToken);
    if (!tx || tx.expiresAt < Date.now()) return INVALID_TOKEN();
    const type = (Object.keys(FACTOR_IDS) as FactorType[]).find((t) => FACTOR_IDS[t] === factorId);
    if (!type || !factors.includes(type)) return oktaError(404, 'E0000007', `Not found: Resource not found: ${factorId} (UserFactor)`);
    const remember = req.url.searchParams.get('rememberDevice') === 'true';
    const passCode = typeof body.passCode === 'string' ? body.passCode : '';
    const challenge = (factorResult: string, extra: object = {}): IdpReply => ({
      status: 200,
      json: {
        stateToken,
        expiresAt: new Date(tx.expiresAt).toISOString(),
        status: 'MFA_CHALLENGE',
        factorResult,
        _embedded: { user: userOf(tx.login), factor: factorJson(type) },
        _links: { next: { name: 'poll', href: `${origin}/api/v1/authn/factors/${factorId}/verify`, hints: { allow: ['POST'] } } },
        ...extra,
      },
    });
    switch (type) {
      case 'token:software:totp': {
        // A passcode is good once: Okta refuses the same code a second time.
        const key = `${tx.login}\n${passCode}`;
        if (!passCode || usedPasscodes.has(key) || !totpMatches(mfa.totpSecret!, passCode)) return INVALID_PASSCODE();
        usedPasscodes.add(key);
        return verified(stateToken, tx, remember);
      }
      case 'sms':
      case 'email': {
        if (!passCode) {
          const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
          sentCodes.push({ factor: type, login: tx.login, code, expiresAt: Date.now() + TRANSACTION_MS });
          return challenge('CHALLENGE');
        }
        const sent = sentCodes.find((c) => c.factor === type && c.login === tx.login && c.code === passCode && c.expiresAt > Date.now());
        if (!sent) return INVALID_PASSCODE();
        sent.expiresAt = 0; // used once
        return verified(stateToken, tx, remember);
      }
      case 'push': {
        // The first call sends the push; the user answers by the second poll.
        tx.pushPolls++;
        if (tx.pushPolls < 2) return challenge('WAITING');
        if (mfa.push === 'reject') return challenge('REJECTED');
        if (mfa.push === 'timeout') return challenge('TIMEOUT');
        return verified(stateToken, tx, remember);
      }
    }
  }

  /** The app's embed link or SSO URL: a session token (or the sid cookie) gets the signed response. */
  async function app(req: IdpRequest, path: string): Promise<IdpReply> {
    const sessionToken = req.url.searchParams.get('sessionToken');
    let login = sids.get(req.cookies.sid ?? '');
    const cookies: string[] = [];
    if (sessionToken) {
      const t = sessionTokens.get(sessionToken);
      sessionTokens.delete(sessionToken); // one use
      if (!t || t.expiresAt < Date.now()) return redirect(`${origin}/login/login.htm?fromURI=${encodeURIComponent(path)}`);
      login = t.login;
      const sid = token('102');
      sids.set(sid, login);
      cookies.push(`sid=${sid}; Path=/; HttpOnly`);
    }
    if (!login) return redirect(`${origin}/login/login.htm?fromURI=${encodeURIComponent(path)}`);
    if (path === APP_PATH) return redirect(`${origin}${SSO_PATH}`, cookies);
    const samlResponse = await saml.loginResponse(sp(), login);
    const acs = sp().entityMeta.getAssertionConsumerService('post') as string;
    return { status: 200, headers: cookies.length ? { 'set-cookie': cookies } : {}, html: autoPostForm(acs, samlResponse) };
  }

  const server = await serveIdp(host, async (req) => {
    const path = req.url.pathname;
    if (req.method === 'POST' && path === '/api/v1/authn') return primary(req);
    const factor = /^\/api\/v1\/authn\/factors\/([^/]+)\/verify$/.exec(path);
    if (req.method === 'POST' && factor) return verify(req, factor[1]!);
    if (req.method === 'GET' && (path === APP_PATH || path === SSO_PATH)) return app(req, path);
    if (req.method === 'GET' && path === '/login/login.htm') return { status: 200, html: '<!DOCTYPE html><html><body><form id="okta-sign-in"></form></body></html>' };
    return oktaError(404, 'E0000022', 'The endpoint does not support the provided HTTP method');
  });
  origin = server.url;
  const saml = samlIdp(`${origin}/exk1jsmsim`, `${origin}${SSO_PATH}`, signingKey, signingCert);

  return {
    url: origin,
    loginUrl: `${origin}${APP_PATH}`,
    saml,
    sentCodes: () => sentCodes.map(({ factor, login, code }) => ({ factor, login, code })),
    setPassword(login, password) {
      const user = users.get(login.toLowerCase());
      if (!user) throw new Error(`Okta has no user ${login}`);
      user.password = password;
    },
    expireSessions() {
      sids.clear();
      sessionTokens.clear();
    },
    close: () => server.close(),
  };
}
