// SSL, Schema and Miscellaneous connection properties (seed 003), followed by the
// gateway's own tuning properties, which the commercial connector does not have.
import type { PropertySpec } from './property-types.ts';

/** The seed's key store types, shared by SSLClientCertType and OAuthJWTCertType. */
export const CERT_STORE_TYPES = [
  'USER', 'MACHINE', 'PFXFILE', 'PFXBLOB', 'JKSFILE', 'JKSBLOB', 'PEMKEY_FILE', 'PEMKEY_BLOB',
  'PUBLIC_KEY_FILE', 'PUBLIC_KEY_BLOB', 'SSHPUBLIC_KEY_FILE', 'SSHPUBLIC_KEY_BLOB', 'P7BFILE', 'PPKFILE',
  'XMLFILE', 'XMLBLOB',
];

export const SSL_PROPERTIES = [
  {
    name: 'SSLClientCert',
    description: 'The TLS/SSL client certificate store for SSL Client Authentication (2-way SSL).',
    type: 'string',
    default: '',
    category: 'SSL',
  },
  {
    name: 'SSLClientCertType',
    description: 'The type of key store containing the TLS/SSL client certificate.',
    type: 'enum',
    values: CERT_STORE_TYPES,
    default: 'USER',
    category: 'SSL',
  },
  {
    name: 'SSLClientCertPassword',
    description: 'The password for the TLS/SSL client certificate.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'SSL',
  },
  {
    name: 'SSLClientCertSubject',
    description: 'The subject of the TLS/SSL client certificate.',
    type: 'string',
    default: '*',
    category: 'SSL',
  },
  {
    name: 'SSLServerCert',
    description: 'The certificate to be accepted from the server when connecting using TLS/SSL.',
    type: 'string',
    default: '',
    category: 'SSL',
  },
] as const satisfies readonly PropertySpec[];

/**
 * The proxy towards JSM (the seed's "Use Proxy Settings"). Without ProxyServer the environment's
 * HTTPS_PROXY/HTTP_PROXY and NO_PROXY apply.
 */
export const PROXY_PROPERTIES = [
  {
    name: 'ProxyServer',
    description: 'The host name or IP address of a proxy to reach Jira Service Management through (HTTP CONNECT).',
    type: 'string',
    default: '',
    category: 'Proxy',
  },
  {
    name: 'ProxyPort',
    description: 'The TCP port of ProxyServer.',
    type: 'int',
    default: 80,
    min: 1,
    max: 65535,
    category: 'Proxy',
  },
  {
    name: 'ProxyUser',
    description: 'The user name to authenticate to ProxyServer with (Basic).',
    type: 'string',
    default: '',
    category: 'Proxy',
  },
  {
    name: 'ProxyPassword',
    description: 'The password of ProxyUser.',
    type: 'string',
    default: '',
    sensitive: true,
    category: 'Proxy',
  },
] as const satisfies readonly PropertySpec[];

export const SCHEMA_PROPERTIES = [
  {
    name: 'Location',
    description:
      'A path to the directory that contains the schema files defining tables, views, and stored procedures.',
    type: 'string',
    default: '%APPDATA%\\JiraServiceDesk Data Provider\\Schema',
    category: 'Schema',
  },
  {
    name: 'BrowsableSchemas',
    description: 'This property restricts the schemas reported to a subset of the available schemas. For example, BrowsableSchemas=SchemaA, SchemaB, SchemaC.',
    type: 'string',
    default: '',
    category: 'Schema',
  },
  {
    name: 'Tables',
    description: 'This property restricts the tables reported to a subset of the available tables. For example, Tables=TableA, TableB, TableC.',
    type: 'string',
    default: '',
    category: 'Schema',
  },
  {
    name: 'Views',
    description: 'Restricts the views reported to a subset of the available tables. For example, Views=ViewA, ViewB, ViewC.',
    type: 'string',
    default: '',
    category: 'Schema',
  },
] as const satisfies readonly PropertySpec[];

export const MISC_PROPERTIES = [
  {
    name: 'IncludeCustomFields',
    description: 'A boolean indicating if you would like to include custom fields in the column listing.',
    type: 'bool',
    default: false,
    category: 'Miscellaneous',
  },
  {
    name: 'MaxRows',
    description:
      'Limits the number of rows returned when no aggregation or GROUP BY is used in the query. This takes precedence over LIMIT clauses.',
    type: 'int',
    default: -1,
    min: -1,
    category: 'Miscellaneous',
    setting: 'jsm.max_rows',
  },
  {
    name: 'Other',
    description: 'These hidden properties are used only in specific use cases.',
    type: 'string',
    default: '',
    category: 'Miscellaneous',
  },
  {
    name: 'PseudoColumns',
    description: 'This property indicates whether or not to include pseudo columns as columns to the table.',
    type: 'string',
    default: '',
    category: 'Miscellaneous',
  },
  {
    name: 'RequestLanguage',
    description: 'Use the requestLanguage to have column names translated in a specific language.',
    type: 'string',
    default: '',
    category: 'Miscellaneous',
  },
  {
    name: 'ServiceDeskID',
    description: 'Service Desk ID of the currently authenticated user.',
    type: 'string',
    default: '',
    category: 'Miscellaneous',
  },
  {
    name: 'Timeout',
    description: 'The value in seconds until the timeout error is thrown, canceling the operation.',
    type: 'int',
    default: 60,
    min: 0,
    category: 'Miscellaneous',
    setting: 'jsm.timeout',
  },
  {
    name: 'UserDefinedViews',
    description: 'A filepath pointing to the JSON configuration file containing your custom views.',
    type: 'string',
    default: '',
    category: 'Miscellaneous',
  },
] as const satisfies readonly PropertySpec[];

/** MaxApiCallsPerStatement's default: the planner and executor fall back to it when a session passes none. */
export const DEFAULT_MAX_API_CALLS = 1000;

export const GATEWAY_PROPERTIES = [
  {
    name: 'CacheTTL',
    description: 'The number of seconds cached metadata and responses stay fresh; 0 disables caching.',
    type: 'int',
    default: 300,
    min: 0,
    category: 'Gateway',
    setting: 'jsm.cache_ttl',
  },
  {
    name: 'MaxConcurrency',
    description: 'The maximum number of HTTP requests the gateway sends to Jira Service Management at once.',
    type: 'int',
    default: 8,
    min: 1,
    max: 64,
    category: 'Gateway',
  },
  {
    name: 'MaxApiCallsPerStatement',
    description:
      'The most JSM API calls one statement may make (a paged list counts as one call); beyond it the gateway lists and filters instead of fanning out, or refuses the statement (SQLSTATE 54000). Per session: SET jsm.max_api_calls. 0 means no limit.',
    type: 'int',
    default: DEFAULT_MAX_API_CALLS,
    min: 0,
    category: 'Gateway',
    setting: 'jsm.max_api_calls',
  },
  {
    name: 'PageSize',
    description: 'The number of records requested per page from the Jira Service Management REST API (the API lowers it to its own maximum per endpoint).',
    type: 'int',
    default: 100,
    min: 1,
    max: 100,
    category: 'Gateway',
  },
  {
    name: 'UserViewsSchemaName',
    description: 'The name of the schema that exposes User Defined Views.',
    type: 'string',
    default: 'userviews',
    category: 'Gateway',
  },
  {
    // Procedures run with the gateway's file access on behalf of any client: none unless the operator says so.
    name: 'AttachmentFolders',
    description:
      "Comma-separated folders on the gateway's host from which AttachTemporaryFile may read a file (Source); empty: none (pass the content instead: Content => bytea).",
    type: 'string',
    default: '',
    category: 'Gateway',
  },
] as const satisfies readonly PropertySpec[];
