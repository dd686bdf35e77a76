/** Starts the identity providers a simulator was asked for, and wires JSM's SAML consumer to trust them. */
import { startCrowd, type SimCrowd } from './idp-crowd.ts';
import { JsmSessions, registerSamlConsumer, SAML_CONSUMER_PATHS } from './idp-jsm-sessions.ts';
import { startOkta, type SimOkta } from './idp-okta.ts';
import { jsmServiceProvider, type SamlIdp, type SamlServiceProvider } from './idp-saml.ts';
import type { RunningSso, SimSsoOptions } from './idp-types.ts';
import type { Router } from './router.ts';

export interface SimSso {
  sessions: JsmSessions;
  /** Called once the simulator listens: the IdPs need JSM's address for their responses. */
  start(origin: string, host: string): Promise<RunningSso>;
  close(): Promise<void>;
}

/** Registers the consumer servlets now (the router is built before the server listens); IdPs start later. */
export function prepareSso(opts: SimSsoOptions, router: Router): SimSso {
  const sessions = new JsmSessions(opts.sessionTtlMs);
  let sp: SamlServiceProvider | undefined;
  const idps: SamlIdp[] = [];
  let okta: SimOkta | undefined;
  let crowd: SimCrowd | undefined;
  let origin = '';
  const getSp = () => sp!;
  registerSamlConsumer(router, getSp, () => idps, sessions, () => origin);
  return {
    sessions,
    async start(simOrigin, host) {
      origin = simOrigin;
      sp = jsmServiceProvider(simOrigin, SAML_CONSUMER_PATHS[0]);
      if (opts.okta) okta = await startOkta(opts.okta, host, opts.signingKey, opts.signingCert, getSp);
      if (opts.crowd) crowd = await startCrowd(opts.crowd, host, opts.signingKey, opts.signingCert, getSp);
      for (const idp of [okta, crowd]) if (idp) idps.push(idp.saml);
      return {
        exchangeUrl: `${simOrigin}${SAML_CONSUMER_PATHS[0]}`,
        okta,
        crowd,
        expireSessions() {
          sessions.expireAll();
          okta?.expireSessions();
          crowd?.expireSessions();
        },
        logins: () => sessions.logins(),
      };
    },
    async close() {
      await Promise.all([okta?.close(), crowd?.close()]);
    },
  };
}
