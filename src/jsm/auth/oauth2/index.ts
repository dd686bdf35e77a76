/** OAuth 2.0 (3LO): the provider for a client, and the identity's session for the OAuth procedures. */
import type { JsmClient } from '../../client.ts';
import type { JsmCredentials } from '../../types.ts';
import type { AuthProvider } from '../provider.ts';
import { OAuth2Auth } from './provider.ts';
import type { OAuth2Session } from './session.ts';

export { OAuth2Session, type InitiateOAuth, type OAuth2Options } from './session.ts';

export function oauth2Auth(credentials: JsmCredentials & { oauth2: OAuth2Session }): AuthProvider {
  return new OAuth2Auth(credentials.oauth2, credentials.user || undefined);
}

/** The procedures reach a client's OAuth state through this (the client keeps its provider private). */
const sessions = new WeakMap<JsmClient, OAuth2Session>();

export function bindOAuth2Session(client: JsmClient, session: OAuth2Session): void {
  sessions.set(client, session);
}

export function oauth2SessionOf(client: JsmClient): OAuth2Session | undefined {
  return sessions.get(client);
}
