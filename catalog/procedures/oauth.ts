import type { ProcedureDecl } from '../../src/catalog/types.ts';
import { input, output } from './params.ts';

const SCOPE_DEFAULT =
  'The default value is read:jira-work write:jira-work manage:jira-configuration read:jira-user write:jira-work manage:jira-project read:servicedesk-request write:servicedesk-request manage:servicedesk-customer offline_access.';

export const GetOAuthAccessToken: ProcedureDecl = {
  name: 'GetOAuthAccessToken',
  description: 'Gets an authentication token from JIRA.',
  params: [
    input(
      'AuthMode', false,
      'Enter either APP or WEB. The type of authentication mode to use. Set to APP to get authentication tokens via a desktop app. Set to WEB to get authentication tokens via a Web app. The default value is APP.',
    ),
    input('Verifier', false, 'The verifier token returned by JIRA after using the URL obtained with GetOAuthAuthorizationURL. Required for only the Web AuthMode.'),
    input('Scope', false, `A comma-separated list of permissions to request from the user. Please check the Square API for a list of available permissions. ${SCOPE_DEFAULT}`),
    input('CallbackUrl', false, 'The URL the user will be redirected to after authorizing your application. This value must match the Redirect URL in the JIRA app settings.'),
    input('AuthToken', false, 'The request token returned by GetOAuthAuthorizationURL. Required for only the Web AuthMode. Used for OAuth 1.0.'),
    input('AuthKey', false, 'The request token secret returned by GetOAuthAuthorizationURL. Required for only the Web AuthMode. Used for OAuth 1.0.'),
  ],
  result: [
    output('OAuthAccessToken', 'The access token used for communication with JIRA.'),
    output('OAuthAccessTokenSecret', 'The access token secret used for communication with JIRA.'),
    output('OAuthRefreshToken', 'A token that may be used to obtain a new access token.'),
    output('CloudId', 'The Cloud ID for the Atlassian site that was authorized.'),
    output('ExpiresIn', 'The remaining lifetime on the access token. A -1 denotes that it will not expire.'),
  ],
};

export const GetOAuthAuthorizationURL: ProcedureDecl = {
  name: 'GetOAuthAuthorizationURL',
  description:
    'Gets the authorization URL that must be opened separately by the user to grant access to your application. Only needed when developing Web apps. You will request the auth token from this URL.',
  params: [
    input('CallbackUrl', false, 'The URL the user will be redirected to after authorizing your application.'),
    input('Scope', false, `A comma-separated list of permissions to request from the user. Please check the JIRA API for a list of available permissions. ${SCOPE_DEFAULT}`),
    input(
      'State', false,
      'Indicates any state which may be useful to your application upon receipt of the response. Your application receives the same value it sent, as this parameter makes a round-trip to the QuickBooksOnline authorization server and back. Uses include redirecting the user to the correct resource in your site, using nonces, and mitigating cross-site request forgery.',
    ),
  ],
  result: [
    output('URL', 'The authorization URL, entered into a Web browser to obtain the verifier token and authorize your app.'),
    output('AuthToken', 'A token used as input for the GetOAuthAccessToken stored procedure to verify the request and get the access token.'),
    output('AuthKey', 'A key used as input for the GetOAuthAccessToken stored procedure to verify the request and get the secret key.'),
  ],
};

export const RefreshOAuthAccessToken: ProcedureDecl = {
  name: 'RefreshOAuthAccessToken',
  description: 'Refreshes the OAuth access token used for authentication with JiraServiceDesk.',
  params: [input('OAuthRefreshToken', true, 'Set this to the token value that expired.')],
  result: [
    output(
      'OAuthAccessToken',
      'The authentication token returned from JiraServiceDesk. This can be used in subsequent calls to other operations for this particular service.',
    ),
    output('OAuthRefreshToken', 'This is the same as the access token.'),
    output('ExpiresIn', 'The remaining lifetime on the access token.'),
  ],
};
