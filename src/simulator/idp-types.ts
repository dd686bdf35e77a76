/** Options and handles of the simulated identity providers (Okta, Crowd) and JSM's SAML sessions. */

export interface SimOktaOptions {
  /**
   * Factors every user has enrolled; with any, Okta's sign-on policy asks for MFA. `totpSecret` is
   * Okta Verify's code generator (read codes with `totp()`); sms and email codes are "sent" to
   * `RunningOkta.sentCodes`; push is Okta Verify's push, answered as given.
   */
  mfa?: { totpSecret?: string; sms?: boolean; email?: boolean; push?: 'approve' | 'reject' | 'timeout' };
  /** An Okta API token: a trusted application sends it as `Authorization: SSWS <token>`. */
  apiToken?: string;
  /** Whether the sign-on policy lets a device be remembered (then MFA is skipped for it); default true. */
  allowRememberDevice?: boolean;
}

export interface SimCrowdOptions {
  /** The Crowd application JSM is connected through; defaults 'jira-service-management' / 'crowd-app-password'. */
  appName?: string;
  appPassword?: string;
}

export interface SimSsoOptions {
  /** PEM private key and X.509 certificate both IdPs sign their SAML responses with. */
  signingKey: string;
  signingCert: string;
  /** How long a JSM session (JSESSIONID) lasts without use; default 30 minutes. */
  sessionTtlMs?: number;
  okta?: SimOktaOptions;
  crowd?: SimCrowdOptions;
}

export interface RunningOkta {
  /** The org's base URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** The JSM app's embed link, the SSOLoginURL. */
  loginUrl: string;
  /** One-time codes Okta sent by SMS or e-mail, newest last (what the user's phone or inbox shows). */
  sentCodes(): { factor: 'sms' | 'email'; login: string; code: string }[];
  setPassword(login: string, password: string): void;
}

export interface RunningCrowd {
  /** Crowd's context URL, e.g. http://127.0.0.1:PORT/crowd. */
  url: string;
  /** Crowd's SAML single sign-on URL, the SSOLoginURL. */
  loginUrl: string;
  appName: string;
  appPassword: string;
  setPassword(username: string, password: string): void;
}

export interface RunningSso {
  /** JSM's SAML consumer, the SSOExchangeUrl. */
  exchangeUrl: string;
  okta?: RunningOkta;
  crowd?: RunningCrowd;
  /** Ends every JSM session and IdP session now (the next call with an old JSESSIONID gets 401). */
  expireSessions(): void;
  /** JSM sessions created by SAML logins so far. */
  logins(): number;
}
