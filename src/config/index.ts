export { loadConfig, withConnectionOverrides, type GatewayConfig, type LoadConfigInput } from './load-config.ts';
export {
  CONNECTION_PROPERTIES,
  CONNECTION_ENV_PREFIX,
  findProperty,
  suggestProperty,
  defaultConnectionProperties,
  isSensitive,
  type ConnectionProperties,
  type ConnectionPropertyName,
} from './registry.ts';
export { maskedValue, formatPropertyValue, parseConnection, MASK, type PropertyValue, type RawValue } from './property-values.ts';
export {
  PROPERTY_CATEGORIES,
  type PropertyDef,
  type PropertyCategory,
  type PropertyType,
  type Sensitivity,
} from './property-types.ts';
export { SERVER_OPTIONS, SERVER_ENV_PREFIX, LOG_LEVELS, SIM_SCALES, type ServerOptions, type ServerOptionDef } from './server-options.ts';
export { UsageError, CONFIG_FLAG, CONNECTION_FLAG } from './argv.ts';
export { CONFIG_ENV_VAR } from './sources.ts';
export { tokenizeConnectionString, parseConnectionString, type ConnectionStringToken } from './connection-string.ts';
export { DEFAULT_OAUTH_SCOPE } from './properties-oauth.ts';
export { didYouMean, closestName } from './naming.ts';
