// OAuth connection properties (including the certificate-store ones the connector
// files under OAuth), in the order and wording of seed 003.
import type { PropertySpec } from './property-types.ts';
import { CERT_STORE_TYPES } from './properties-other.ts';

/** The connector's documented default scope list, verbatim (including its repeated entry). */
export const DEFAULT_OAUTH_SCOPE =
  'read:jira-work write:jira-work manage:jira-configuration read:jira-user write:jira-work manage:jira-project ' +
  'read:servicedesk-request write:servicedesk-request manage:servicedesk-customer offline_access';

export const OAUTH_PROPERTIES = [
  {
    name: 'InitiateOAuth',
    description:
      'Set this property to initiate the process to obtain or refresh the OAuth access token when you connect.',
    type: 'enum',
    values: ['OFF', 'GETANDREFRESH', 'REFRESH'],
    default: 'OFF',
    category: 'OAuth',
  },
  {
    name: 'OAuthVersion',
    description: 'The version of OAuth being used.',
    type: 'enum',
    values: ['1.0', '2.0'],
    default: '2.0',
    category: 'OAuth',
  },
  {
    name: 'OAuthClientId',
    description: 'The client ID assigned when you register your application with an OAuth authorization server.',
    type: 'string',
    default: '',
    category: 'OAuth',
  },
  {
    name: 'OAuthClientSecret',
    description:
      'The client secret assigned when you register your application with an OAuth authorization server.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'OAuthAccessToken',
    description: 'The access token for connecting using OAuth.',
    type: 'string',
    default: '',
    sensitive: true,
    session: true,
    category: 'OAuth',
  },
  {
    name: 'Scope',
    description: 'This determines the scopes that the OAuth application requests from Jira Service Management.',
    type: 'string',
    default: DEFAULT_OAUTH_SCOPE,
    category: 'OAuth',
  },
  {
    name: 'OAuthSettingsLocation',
    description:
      'The location of the settings file where OAuth values are saved when InitiateOAuth is set to GETANDREFRESH or REFRESH. ' +
      "Alternatively, you can hold this location in memory by specifying a value starting with 'memory://'.",
    type: 'string',
    default: '%APPDATA%\\JiraServiceDesk Data Provider\\OAuthSettings.txt',
    category: 'OAuth',
  },
  {
    name: 'CallbackURL',
    description:
      'The OAuth callback URL to return to when authenticating. This value must match the callback URL you specify in your app settings.',
    type: 'string',
    format: 'url',
    default: '',
    category: 'OAuth',
  },
  {
    name: 'CloudId',
    description: 'The Cloud ID for the Atlassian site that was authorized.',
    type: 'string',
    default: '',
    session: true,
    category: 'OAuth',
  },
  {
    name: 'OAuthVerifier',
    description: 'The verifier code returned from the OAuth authorization URL.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'AuthToken',
    description: 'The authentication token used to request and obtain the OAuth Access Token.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'AuthKey',
    description: 'The authentication secret used to request and obtain the OAuth Access Token.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'OAuthRefreshToken',
    description: 'The OAuth refresh token for the corresponding OAuth access token.',
    type: 'string',
    default: '',
    sensitive: true,
    session: true,
    category: 'OAuth',
  },
  {
    name: 'OAuthExpiresIn',
    description: 'The lifetime in seconds of the OAuth AccessToken.',
    type: 'string',
    default: '',
    session: true,
    category: 'OAuth',
  },
  {
    name: 'OAuthTokenTimestamp',
    description: 'The Unix epoch timestamp in milliseconds when the current Access Token was created.',
    type: 'string',
    default: '',
    session: true,
    category: 'OAuth',
  },
  {
    name: 'CertificateStoreType',
    description: 'The type of certificate store used with Jira Service Desk Private Application authentication.',
    type: 'enum',
    values: [
      'User', 'Machine', 'PFXFile', 'PFXBlob', 'JKSFile', 'JKSBlob', 'PEMKeyFile', 'PublicKeyFile',
      'PublicKeyBlob', 'SSHPublicKeyBlob', 'P10BFile', 'SSHPublicKeyFile', 'PPKFile', 'XMLFile', 'XMLBlob',
    ],
    default: 'User',
    category: 'OAuth',
  },
  {
    name: 'CertificateStore',
    description: 'The certificate store used for JIRA Service Desk authentication.',
    type: 'string',
    default: '',
    // a PFXBlob is the private key itself
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'CertificateStorePassword',
    description: 'The password of the certificate store used with Jira Service Desk authentication.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'CertificateSubject',
    description: 'The subject of the certificate used with Jira Service Desk Private Application authentication.',
    type: 'string',
    default: '*',
    category: 'OAuth',
  },
  // OAuth 1.0a (Jira Data Center application links): named in the seed's OAuth 1.0 instructions and
  // the GetOAuthAccessToken outputs, not in its property table, so they follow it.
  {
    name: 'OAuthJWTCert',
    description: 'The private key that signs OAuth 1.0a requests (RSA-SHA1): a file, or a PEM or base64 blob, as OAuthJWTCertType says.',
    type: 'string',
    default: '',
    // a PEMKEY_BLOB is the private key itself
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'OAuthJWTCertType',
    description: 'The type of key store in OAuthJWTCert: PEMKEY_FILE, PEMKEY_BLOB, PFXFILE or PFXBLOB (USER reads a file or blob by its content).',
    type: 'enum',
    values: CERT_STORE_TYPES,
    default: 'USER',
    category: 'OAuth',
  },
  {
    name: 'OAuthJWTCertPassword',
    description: 'The password of the OAuthJWTCert key store, if it is encrypted.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'OAuth',
  },
  {
    name: 'OAuthAccessTokenSecret',
    description: 'The access token secret used for communication with JIRA (OAuth 1.0a).',
    type: 'string',
    default: '',
    sensitive: true,
    session: true,
    category: 'OAuth',
  },
] as const satisfies readonly PropertySpec[];
