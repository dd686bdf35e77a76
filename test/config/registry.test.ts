import { describe, expect, it } from 'vitest';
import {
  CONNECTION_PROPERTIES,
  DEFAULT_OAUTH_SCOPE,
  defaultConnectionProperties,
  findProperty,
  maskedValue,
  PROPERTY_CATEGORIES,
  suggestProperty,
} from '../../src/config/index.ts';

const SEED_NAMES = [
  'AuthScheme', 'URL', 'User', 'Password', 'APIToken',
  'SSOLoginURL', 'SSOProperties', 'SSOExchangeUrl', 'SSOAppName', 'SSOAppPassword',
  'InitiateOAuth', 'OAuthVersion', 'OAuthClientId', 'OAuthClientSecret', 'OAuthAccessToken', 'Scope',
  'OAuthSettingsLocation', 'CallbackURL', 'CloudId', 'OAuthVerifier', 'AuthToken', 'AuthKey',
  'OAuthRefreshToken', 'OAuthExpiresIn', 'OAuthTokenTimestamp', 'CertificateStoreType', 'CertificateStore',
  'CertificateStorePassword', 'CertificateSubject',
  // OAuth 1.0a properties the seed names outside its table (issue 12)
  'OAuthJWTCert', 'OAuthJWTCertType', 'OAuthJWTCertPassword', 'OAuthAccessTokenSecret',
  'SSLClientCert', 'SSLClientCertType', 'SSLClientCertPassword', 'SSLClientCertSubject', 'SSLServerCert',
  'ProxyServer', 'ProxyPort', 'ProxyUser', 'ProxyPassword',
  'Location', 'BrowsableSchemas', 'Tables', 'Views',
  'IncludeCustomFields', 'MaxRows', 'Other', 'PseudoColumns', 'RequestLanguage', 'ServiceDeskID', 'Timeout',
  'UserDefinedViews',
];
const GATEWAY_NAMES = ['CacheTTL', 'MaxConcurrency', 'MaxApiCallsPerStatement', 'PageSize', 'UserViewsSchemaName', 'AttachmentFolders'];

const SENSITIVE = [
  'Password', 'APIToken', 'OAuthClientSecret', 'OAuthAccessToken', 'OAuthRefreshToken', 'SSOAppPassword',
  'CertificateStorePassword', 'SSLClientCertPassword', 'AuthKey', 'AuthToken', 'OAuthVerifier',
  'OAuthJWTCert', 'OAuthJWTCertPassword', 'OAuthAccessTokenSecret', 'ProxyPassword',
  // a PFXBlob is the private application's key itself, as OAuthJWTCert's blob
  'CertificateStore',
  // holds Okta's MFAPassCode and a trusted application's APIToken
  'SSOProperties',
];

const DEFAULTS: Record<string, string | number | boolean> = {
  AuthScheme: 'Auto', URL: '', User: '', Password: '', APIToken: '',
  SSOLoginURL: '', SSOProperties: '', SSOExchangeUrl: '', SSOAppName: '', SSOAppPassword: '',
  InitiateOAuth: 'OFF', OAuthVersion: '2.0', OAuthClientId: '', OAuthClientSecret: '', OAuthAccessToken: '',
  Scope: DEFAULT_OAUTH_SCOPE, OAuthSettingsLocation: '%APPDATA%\\JiraServiceDesk Data Provider\\OAuthSettings.txt',
  CallbackURL: '', CloudId: '', OAuthVerifier: '', AuthToken: '', AuthKey: '', OAuthRefreshToken: '',
  OAuthExpiresIn: '', OAuthTokenTimestamp: '', CertificateStoreType: 'User', CertificateStore: '',
  CertificateStorePassword: '', CertificateSubject: '*',
  OAuthJWTCert: '', OAuthJWTCertType: 'USER', OAuthJWTCertPassword: '', OAuthAccessTokenSecret: '',
  SSLClientCert: '', SSLClientCertType: 'USER', SSLClientCertPassword: '', SSLClientCertSubject: '*', SSLServerCert: '',
  ProxyServer: '', ProxyPort: 80, ProxyUser: '', ProxyPassword: '',
  Location: '%APPDATA%\\JiraServiceDesk Data Provider\\Schema', BrowsableSchemas: '', Tables: '', Views: '',
  IncludeCustomFields: false, MaxRows: -1, Other: '', PseudoColumns: '', RequestLanguage: '', ServiceDeskID: '',
  Timeout: 60, UserDefinedViews: '',
  CacheTTL: 300, MaxConcurrency: 8, MaxApiCallsPerStatement: 1000, PageSize: 100, UserViewsSchemaName: 'userviews', AttachmentFolders: '',
};

describe('CONNECTION_PROPERTIES', () => {
  it('lists every seed property in seed order (with the OAuth 1.0a and proxy ones), then the gateway properties', () => {
    expect(CONNECTION_PROPERTIES.map((d) => d.name)).toEqual([...SEED_NAMES, ...GATEWAY_NAMES]);
  });

  it('pins every default', () => {
    expect(defaultConnectionProperties()).toEqual(DEFAULTS);
    for (const def of CONNECTION_PROPERTIES) expect(def.default, def.name).toEqual(DEFAULTS[def.name]);
  });

  it('marks exactly the secret properties SENSITIVE', () => {
    const sensitive = CONNECTION_PROPERTIES.filter((d) => d.sensitivity === 'SENSITIVE').map((d) => d.name);
    expect(sensitive.sort()).toEqual([...SENSITIVE].sort());
    for (const def of CONNECTION_PROPERTIES) expect(['SENSITIVE', '']).toContain(def.sensitivity);
  });

  it('uses the seed categories plus Gateway, with category ordinals', () => {
    const byName = new Map(CONNECTION_PROPERTIES.map((d) => [d.name, d]));
    expect(byName.get('AuthScheme')?.category).toBe('Authentication');
    expect(byName.get('SSOAppName')?.category).toBe('SSO');
    expect(byName.get('CertificateSubject')?.category).toBe('OAuth');
    expect(byName.get('SSLServerCert')?.category).toBe('SSL');
    expect(byName.get('Views')?.category).toBe('Schema');
    expect(byName.get('Timeout')?.category).toBe('Miscellaneous');
    expect(byName.get('PageSize')?.category).toBe('Gateway');
    for (const def of CONNECTION_PROPERTIES) {
      expect(PROPERTY_CATEGORIES[def.catOrdinal]).toBe(def.category);
    }
  });

  it('numbers ordinals contiguously from 0', () => {
    expect(CONNECTION_PROPERTIES.map((d) => d.ordinal)).toEqual(CONNECTION_PROPERTIES.map((_, i) => i));
  });

  it('derives env var, flag and camelCase names', () => {
    const env = Object.fromEntries(CONNECTION_PROPERTIES.map((d) => [d.name, d.envVar]));
    expect(env).toMatchObject({
      URL: 'JSM_URL',
      AuthScheme: 'JSM_AUTH_SCHEME',
      User: 'JSM_USER',
      Password: 'JSM_PASSWORD',
      APIToken: 'JSM_API_TOKEN',
      OAuthAccessToken: 'JSM_OAUTH_ACCESS_TOKEN',
      IncludeCustomFields: 'JSM_INCLUDE_CUSTOM_FIELDS',
      Timeout: 'JSM_TIMEOUT',
      SSOLoginURL: 'JSM_SSO_LOGIN_URL',
      SSLClientCertType: 'JSM_SSL_CLIENT_CERT_TYPE',
      ServiceDeskID: 'JSM_SERVICE_DESK_ID',
      CacheTTL: 'JSM_CACHE_TTL',
      UserViewsSchemaName: 'JSM_USER_VIEWS_SCHEMA_NAME',
    });
    const auth = findProperty('APIToken');
    expect(auth?.flag).toBe('--api-token');
    expect(auth?.propertyName).toBe('apiToken');
    expect(new Set(CONNECTION_PROPERTIES.map((d) => d.envVar)).size).toBe(CONNECTION_PROPERTIES.length);
    expect(new Set(CONNECTION_PROPERTIES.map((d) => d.flag)).size).toBe(CONNECTION_PROPERTIES.length);
  });

  it('gives every property a description and enums their allowed values', () => {
    for (const def of CONNECTION_PROPERTIES) {
      expect(def.description.length, def.name).toBeGreaterThan(10);
      if (def.type === 'enum') expect(def.values, def.name).toContain(def.default);
      else expect(def.values, def.name).toEqual([]);
    }
    expect(findProperty('AuthScheme')?.values).toEqual(['Auto', 'OAuth', 'APIToken', 'Basic', 'Crowd', 'OKTA', 'PersonalAccessToken']);
    expect(findProperty('InitiateOAuth')?.values).toEqual(['OFF', 'GETANDREFRESH', 'REFRESH']);
  });

  it('is immutable', () => {
    expect(Object.isFrozen(CONNECTION_PROPERTIES)).toBe(true);
    expect(Object.isFrozen(CONNECTION_PROPERTIES[0])).toBe(true);
  });
});

describe('lookups and display', () => {
  it('finds properties case-insensitively', () => {
    expect(findProperty('url')?.name).toBe('URL');
    expect(findProperty(' apitoken ')?.name).toBe('APIToken');
    expect(findProperty('nope')).toBeUndefined();
  });

  it('suggests the closest name', () => {
    expect(suggestProperty('Pasword')).toContain('"Password"');
    expect(suggestProperty('IncludeCustomField')).toContain('"IncludeCustomFields"');
    expect(suggestProperty('zzzzzzzzzz')).toBe('');
  });

  it('masks non-empty sensitive values only', () => {
    const password = findProperty('Password')!;
    expect(maskedValue(password, 'hunter2')).toBe('********');
    expect(maskedValue(password, '')).toBe('');
    expect(maskedValue(findProperty('User')!, 'bob')).toBe('bob');
    expect(maskedValue(findProperty('Timeout')!, 30)).toBe('30');
    expect(maskedValue(findProperty('IncludeCustomFields')!, true)).toBe('true');
  });
});
