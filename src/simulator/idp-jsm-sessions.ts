/**
 * JSM's side of SAML single sign-on: the consumer servlet (SSOExchangeUrl) verifies an IdP's signed
 * response with samlify and answers a JSESSIONID cookie, which then authenticates API calls until
 * it has been idle too long, as Jira's HTTP session does. An expired or unknown session is an
 * anonymous caller to Jira, so the API answers 401.
 */
import { randomBytes } from 'node:crypto';
import type { AuthResult } from './auth.ts';
import { errorBody } from './errors.ts';
import { SIM_IDENTITIES } from './identities.ts';
import { consumeLoginResponse, type SamlIdp, type SamlServiceProvider } from './idp-saml.ts';
import { parseCookies } from './idp-http.ts';
import type { Reply, Router } from './router.ts';
import type { Store } from './store.ts';

/** Both paths the seed gives for SSOExchangeUrl (the Jira SAML plugins' consumer servlets). */
export const SAML_CONSUMER_PATHS = ['/plugins/servlet/samlconsumer', '/plugins/servlet/samlsso'] as const;

const DEFAULT_TTL_MS = 30 * 60_000;

export class JsmSessions {
  readonly #sessions = new Map<string, { accountId: string; lastUsed: number }>();
  /** Assertion IDs already consumed: a replayed response is refused, as Jira's SAML plugin does. */
  readonly #consumed = new Set<string>();
  #logins = 0;

  constructor(private readonly ttlMs = DEFAULT_TTL_MS) {}

  create(accountId: string): string {
    const id = randomBytes(16).toString('hex').toUpperCase();
    this.#sessions.set(id, { accountId, lastUsed: Date.now() });
    this.#logins++;
    return id;
  }

  /** The session's account, its idle time restarted; undefined when unknown or expired. */
  use(id: string): string | undefined {
    const s = this.#sessions.get(id);
    if (!s) return undefined;
    if (Date.now() - s.lastUsed > this.ttlMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    s.lastUsed = Date.now();
    return s.accountId;
  }

  firstUse(assertionId: string): boolean {
    if (this.#consumed.has(assertionId)) return false;
    this.#consumed.add(assertionId);
    return true;
  }

  expireAll(): void {
    this.#sessions.clear();
  }

  logins(): number {
    return this.#logins;
  }
}

/** Who the IdP asserted: the directory is the documented identities, by e-mail (Okta) or username (Crowd). */
function accountFor(nameId: string): string | undefined {
  const id = nameId.toLowerCase();
  return Object.values(SIM_IDENTITIES).find((i) => i.email === id || i.username === id)?.accountId;
}

/** A call without Authorization: its JSESSIONID cookie, if any, decides who calls. */
export function sessionAuth(store: Store, sessions: JsmSessions, cookieHeader: string | undefined): AuthResult {
  const id = parseCookies(cookieHeader).JSESSIONID;
  if (!id) return 'missing';
  const accountId = sessions.use(id);
  const user = accountId === undefined ? undefined : store.user(accountId);
  return user ? { user, scheme: 'session-cookie' } : 'invalid';
}

const refused = (why: string): Reply => ({ status: 403, body: errorBody(`SAML single sign-on failed: ${why}`, 'sd.sso.saml.refused') });

export function registerSamlConsumer(router: Router, sp: () => SamlServiceProvider, idps: () => readonly SamlIdp[], sessions: JsmSessions, origin: () => string): void {
  for (const path of SAML_CONSUMER_PATHS) {
    router.post(
      path,
      async (ctx) => {
        const form = await ctx.form();
        const samlResponse = form.get('SAMLResponse');
        if (typeof samlResponse !== 'string' || samlResponse === '') return refused('the request has no SAMLResponse');
        const result = await consumeLoginResponse(sp(), idps(), samlResponse);
        if ('refused' in result) return refused(result.refused);
        if (!sessions.firstUse(result.assertionId)) return refused('this SAML response was used before');
        const accountId = accountFor(result.nameId);
        if (!accountId) return refused(`no Jira user matches ${result.nameId}`);
        const id = sessions.create(accountId);
        return {
          status: 302,
          headers: { Location: `${origin()}/secure/Dashboard.jspa`, 'Set-Cookie': `JSESSIONID=${id}; Path=/; HttpOnly` },
        };
      },
      { anonymous: true },
    );
  }
}
