// The single connection-property registry: spec data plus derived names and ordinals.
// sys_connection_props, --help, the env/flag mappings and validation all read it.
import { camel, didYouMean, kebab, upperSnake } from './naming.ts';
import { AUTH_PROPERTIES, SSO_PROPERTIES } from './properties-auth.ts';
import { OAUTH_PROPERTIES } from './properties-oauth.ts';
import { GATEWAY_PROPERTIES, MISC_PROPERTIES, SCHEMA_PROPERTIES, SSL_PROPERTIES } from './properties-other.ts';
import {
  PROPERTY_CATEGORIES,
  type PropertyDef,
  type PropertySpec,
  type PropertyValues,
} from './property-types.ts';

const SPECS = [
  ...AUTH_PROPERTIES,
  ...SSO_PROPERTIES,
  ...OAUTH_PROPERTIES,
  ...SSL_PROPERTIES,
  ...SCHEMA_PROPERTIES,
  ...MISC_PROPERTIES,
  ...GATEWAY_PROPERTIES,
] as const;

/** Typed connection property values, keyed by the seed names exactly. */
export type ConnectionProperties = PropertyValues<typeof SPECS>;
export type ConnectionPropertyName = keyof ConnectionProperties;

/** Prefix of every connection-property environment variable. */
export const CONNECTION_ENV_PREFIX = 'JSM_';

function toDef(spec: PropertySpec, ordinal: number): PropertyDef {
  const def: PropertyDef = {
    name: spec.name,
    description: spec.description,
    type: spec.type,
    default: spec.default,
    values: Object.freeze([...(spec.values ?? [])]),
    category: spec.category,
    sensitivity: spec.sensitive ? 'SENSITIVE' : '',
    session: spec.session ?? false,
    required: spec.required ?? false,
    ...(spec.format ? { format: spec.format } : {}),
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    ordinal,
    catOrdinal: PROPERTY_CATEGORIES.indexOf(spec.category),
    envVar: CONNECTION_ENV_PREFIX + upperSnake(spec.name),
    flag: `--${kebab(spec.name)}`,
    propertyName: camel(spec.name),
  };
  return Object.freeze(def);
}

export const CONNECTION_PROPERTIES: readonly PropertyDef[] = Object.freeze(
  (SPECS as readonly PropertySpec[]).map(toDef),
);

const BY_LOWER_NAME = new Map(CONNECTION_PROPERTIES.map((d) => [d.name.toLowerCase(), d]));
const BY_ENV = new Map(CONNECTION_PROPERTIES.map((d) => [d.envVar, d]));
const BY_FLAG = new Map(CONNECTION_PROPERTIES.map((d) => [d.flag, d]));

/** Case-insensitive lookup by the seed name (`url`, `URL` and `Url` are the same property). */
export function findProperty(name: string): PropertyDef | undefined {
  return BY_LOWER_NAME.get(name.trim().toLowerCase());
}

export function propertyByEnvVar(envVar: string): PropertyDef | undefined {
  return BY_ENV.get(envVar);
}

export function propertyByFlag(flag: string): PropertyDef | undefined {
  return BY_FLAG.get(flag);
}

/** ` Did you mean "Password"?` for a misspelt property name, or ''. */
export function suggestProperty(name: string): string {
  return didYouMean(name.trim(), CONNECTION_PROPERTIES.map((d) => d.name));
}

/** Every property at its default value. */
export function defaultConnectionProperties(): ConnectionProperties {
  return Object.fromEntries(CONNECTION_PROPERTIES.map((d) => [d.name, d.default])) as ConnectionProperties;
}

export function isSensitive(def: PropertyDef): boolean {
  return def.sensitivity === 'SENSITIVE';
}
