/**
 * GetOAuthAuthorizationURL and GetOAuthAccessToken (seed 003) for OAuth 1.0a, the seed's headless
 * application-link flow: the first gets a request token and answers the URL to approve it at with
 * AuthToken (the request token) and AuthKey (its secret); the second exchanges AuthToken and the
 * Verifier Jira showed for OAuthAccessToken and OAuthAccessTokenSecret, to be set as connection
 * properties. The procedures do not change the running connection's token.
 */
import { PgError, SqlState } from '../errors/index.ts';
import type { GatewayStatementContext } from '../executor/gateway-statement.ts';
import { oauth1AccessToken, oauth1RequestToken, type OAuth1Consumer } from '../jsm/auth/oauth1-flow.ts';
import type { CallArgs } from './arguments.ts';
import type { ResultRow } from './result.ts';

export async function oauth1AuthorizationUrl(ctx: GatewayStatementContext, consumer: OAuth1Consumer, args: CallArgs): Promise<ResultRow> {
  const token = await oauth1RequestToken(consumer, args.text('CallbackUrl'), ctx.signal);
  return { URL: token.authorizationUrl, AuthToken: token.token, AuthKey: token.secret };
}

export async function oauth1AccessTokenRow(ctx: GatewayStatementContext, consumer: OAuth1Consumer, args: CallArgs): Promise<ResultRow> {
  const requestToken = args.text('AuthToken');
  const verifier = args.text('Verifier');
  if (!requestToken || !verifier) {
    throw new PgError(SqlState.NotNullViolation, `procedure ${args.proc.name} needs AuthToken and Verifier for OAuth 1.0a`, {
      hint: 'AuthToken comes from GetOAuthAuthorizationURL; the Verifier is what Jira shows after the URL is approved.',
    });
  }
  const access = await oauth1AccessToken(consumer, requestToken, verifier, ctx.signal);
  return {
    OAuthAccessToken: access.token,
    OAuthAccessTokenSecret: access.secret,
    OAuthRefreshToken: null,
    CloudId: null,
    ExpiresIn: access.expiresIn === undefined ? '-1' : String(access.expiresIn),
  };
}
