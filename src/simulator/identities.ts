/**
 * The documented default identities. Their account ids are fixed (not derived
 * from the seed) so callers can hard-code them whatever seed a test uses.
 */

export interface SimIdentity {
  accountId: string;
  displayName: string;
  /** Cloud style: Basic email:apiToken. */
  email: string;
  apiToken: string;
  /** Data Center style: Basic username:password. */
  username: string;
  password: string;
  /** Bearer personal access token (Data Center). */
  pat: string;
  /** Bearer OAuth 2.0 access token (Cloud 3LO). */
  oauthToken: string;
  timeZone: string;
}

export const SIM_IDENTITIES: { agent: SimIdentity; customer: SimIdentity } = Object.freeze({
  agent: Object.freeze({
    accountId: '5b10ac8d82e05b22cc7d4ef5',
    displayName: 'Alex Agent',
    email: 'agent@example.com',
    apiToken: 'agent-token',
    username: 'agent',
    password: 'agent-password',
    pat: 'agent-pat',
    oauthToken: 'agent-oauth-token',
    timeZone: 'Europe/Berlin',
  }),
  customer: Object.freeze({
    accountId: 'qm:0d7c5a41-2f7e-4d0c-9a3b-6a1f5e2c9b10:5c9a1e2f3b4d5e6f7a8b9c0d',
    displayName: 'Casey Customer',
    email: 'customer@example.com',
    apiToken: 'customer-token',
    username: 'customer',
    password: 'customer-password',
    pat: 'customer-pat',
    oauthToken: 'customer-oauth-token',
    timeZone: 'America/New_York',
  }),
});
