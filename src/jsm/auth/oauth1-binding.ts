/**
 * The OAuth 1.0a consumer of a client, for the seed's OAuth procedures (GetOAuthAuthorizationURL,
 * GetOAuthAccessToken), which run the token steps on the connection's own application link.
 */
import type { OAuth1Consumer } from './oauth1-flow.ts';

const consumers = new WeakMap<object, OAuth1Consumer>();

export function bindOAuth1Consumer(client: object, consumer: OAuth1Consumer): void {
  consumers.set(client, consumer);
}

export function oauth1ConsumerOf(client: object): OAuth1Consumer | undefined {
  return consumers.get(client);
}
