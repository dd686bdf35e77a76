export { JsmClient } from './client.ts';
export type {
  AuthSchemeName,
  GetOpts,
  JsmClientOptions,
  JsmClientStats,
  JsmCredentials,
  PageOpts,
  PageProgress,
  PageStyleName,
  QueryInput,
  QueryValue,
  RequestOpts,
} from './types.ts';
export { jsmPath, encodePathSegment } from './url.ts';
export { closeJsmSites } from './site-registry.ts';
