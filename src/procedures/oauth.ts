/**
 * GetOAuthAuthorizationURL, GetOAuthAccessToken, RefreshOAuthAccessToken (seed 003) for OAuth 2.0
 * (3LO), on the connection's own OAuth state: a URL started here is completed here (its state and
 * PKCE verifier are kept in OAuthSettingsLocation, encrypted when a file), and tokens obtained or
 * refreshed here are the ones the gateway's sessions use from then on.
 *
 * For 2.0 the seed's OAuth 1.0 outputs carry the 2.0 equivalents: AuthToken is the state and
 * AuthKey the PKCE verifier of the authorization, which GetOAuthAccessToken takes back as inputs
 * (needed only to complete it on another gateway); OAuthAccessTokenSecret has none (NULL).
 */
import { PgError, SqlState } from '../errors/index.ts';
import type { GatewayStatementContext } from '../executor/gateway-statement.ts';
import { oauth2SessionOf, type OAuth2Session } from '../jsm/auth/oauth2/index.ts';
import { remainingSeconds } from '../jsm/auth/oauth2/session.ts';
import { oauth1ConsumerOf } from '../jsm/auth/oauth1-binding.ts';
import type { CallArgs } from './arguments.ts';
import { oauth1AccessTokenRow, oauth1AuthorizationUrl } from './oauth1.ts';
import type { ResultRow } from './result.ts';

function sessionFor(ctx: GatewayStatementContext, args: CallArgs): OAuth2Session {
  const session = oauth2SessionOf(ctx.jsm);
  if (!session) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `procedure ${args.proc.name} needs an OAuth 2.0 app: this connection has none`, {
      hint: 'Connect with AuthScheme=OAuth, OAuthClientId and OAuthClientSecret (and CallbackURL), with InitiateOAuth=GETANDREFRESH to keep and refresh the tokens.',
    });
  }
  return session;
}

const expiresIn = (s: Parameters<typeof remainingSeconds>[0]): string => String(remainingSeconds(s) ?? -1);

export async function getOAuthAuthorizationUrl(ctx: GatewayStatementContext, args: CallArgs): Promise<ResultRow> {
  const oauth1 = oauth1ConsumerOf(ctx.jsm);
  if (oauth1) return oauth1AuthorizationUrl(ctx, oauth1, args);
  const session = sessionFor(ctx, args);
  const { url, pending } = await session.startAuthorization({ callbackUrl: args.text('CallbackUrl'), scope: args.text('Scope'), state: args.text('State') });
  return { URL: url, AuthToken: pending.state, AuthKey: pending.codeVerifier };
}

export async function getOAuthAccessToken(ctx: GatewayStatementContext, args: CallArgs): Promise<ResultRow> {
  const oauth1 = oauth1ConsumerOf(ctx.jsm);
  if (oauth1) return oauth1AccessTokenRow(ctx, oauth1, args);
  const session = sessionFor(ctx, args);
  const mode = (args.text('AuthMode') ?? 'APP').toUpperCase();
  if (mode !== 'APP' && mode !== 'WEB') throw new PgError(SqlState.InvalidParameterValue, `AuthMode must be APP or WEB, not ${JSON.stringify(args.text('AuthMode'))}`);
  const verifier = args.text('Verifier');
  let s;
  if (verifier) {
    s = await session.completeAuthorization(
      { code: verifier, state: args.text('AuthToken'), codeVerifier: args.text('AuthKey'), callbackUrl: args.text('CallbackUrl') },
      ctx.signal,
    );
  } else if (mode === 'WEB') {
    throw new PgError(SqlState.NotNullViolation, `procedure ${args.proc.name} needs a value for parameter Verifier with AuthMode WEB`, {
      hint: 'The Verifier is the code in the address the browser was sent to after approving the URL of GetOAuthAuthorizationURL (the whole address works too).',
    });
  } else {
    // APP: a gateway opens no browser; the token it holds (refreshed if expired) is the answer, or the error says how to get one
    await session.ready(ctx.signal);
    s = await session.current();
  }
  return {
    OAuthAccessToken: s.accessToken,
    OAuthAccessTokenSecret: null,
    OAuthRefreshToken: s.refreshToken,
    CloudId: s.cloudId,
    ExpiresIn: expiresIn(s),
  };
}

export async function refreshOAuthAccessToken(ctx: GatewayStatementContext, args: CallArgs): Promise<ResultRow> {
  const session = sessionFor(ctx, args);
  const s = await session.refreshWith(args.text('OAuthRefreshToken')!, ctx.signal);
  return { OAuthAccessToken: s.accessToken, OAuthRefreshToken: s.refreshToken, ExpiresIn: expiresIn(s) };
}
