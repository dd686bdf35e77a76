/** GetOAuthAccessToken, GetOAuthAuthorizationURL, RefreshOAuthAccessToken: their flows are not there yet. */
import type { ProcedureDecl } from '../catalog/types.ts';
import { PgError, SqlState } from '../errors/index.ts';

export function oauthNotYet(proc: ProcedureDecl): never {
  throw new PgError(SqlState.FeatureNotSupported, `procedure ${proc.name} is not available yet: jsm-pg's OAuth 2.0 flows arrive with issue 12`, {
    hint: 'Until then connect with AuthScheme=OAuth and an access token obtained elsewhere (OAuthAccessToken), or with APIToken or Basic.',
  });
}
