// The single connection-property registry: spec data plus derived names, ordinals and the schema
// of the whole connection configuration. sys_connection_props, --help, the env/flag mappings and
// validation all read it.
import { z } from 'zod';
import { boolSchema, enumSchema, intSchema, stringSchema, urlSchema } from './coerce.ts';
import { camel, didYouMean, kebab, upperSnake } from './naming.ts';
import { AUTH_PROPERTIES, SSO_PROPERTIES } from './properties-auth.ts';
import { OAUTH_PROPERTIES } from './properties-oauth.ts';
import { GATEWAY_PROPERTIES, MISC_PROPERTIES, PROXY_PROPERTIES, SCHEMA_PROPERTIES, SSL_PROPERTIES } from './properties-other.ts';
import {
  PROPERTY_CATEGORIES,
  type PropertyDef,
  type PropertySpec,
  type PropertyValues,
} from './property-types.ts';
import type { PropertyValue } from './property-values.ts';

const SPECS = [
  ...AUTH_PROPERTIES,
  ...SSO_PROPERTIES,
  ...OAUTH_PROPERTIES,
  ...SSL_PROPERTIES,
  ...PROXY_PROPERTIES,
  ...SCHEMA_PROPERTIES,
  ...MISC_PROPERTIES,
  ...GATEWAY_PROPERTIES,
] as const;

/** The connection configuration: every property, keyed by its seed name exactly, typed by its spec. */
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
    ...(spec.unsupported ? { unsupported: spec.unsupported } : {}),
    ...(spec.setting ? { setting: spec.setting } : {}),
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

/** What one property's values are validated with: text (flags, environment, connection strings) or typed YAML values. */
function valueSchema(def: PropertyDef): z.ZodType<PropertyValue, z.ZodTypeDef, unknown> {
  switch (def.type) {
    case 'bool':
      return boolSchema;
    case 'int':
      return intSchema({ min: def.min, max: def.max });
    case 'enum':
      return enumSchema(def.values);
    case 'string':
      return def.format === 'url' ? urlSchema : stringSchema;
  }
}

type ConnectionShape = { readonly [K in ConnectionPropertyName]: z.ZodType<ConnectionProperties[K], z.ZodTypeDef, unknown> };

/**
 * Raw values by seed name → the complete, typed connection configuration, each property's default
 * filling what is absent (and validated like any value). Object.fromEntries cannot carry each key's
 * own type, so ConnectionShape states it: valueSchema yields the spec's type (bool → boolean, enum →
 * one of its values).
 */
export const connectionSchema = z.object(
  Object.fromEntries<z.ZodTypeAny>(CONNECTION_PROPERTIES.map((d) => [d.name, valueSchema(d).default(d.default)])) as ConnectionShape,
);

/** Every property at its default value. */
export function defaultConnectionProperties(): ConnectionProperties {
  return connectionSchema.parse({});
}

export function isSensitive(def: PropertyDef): boolean {
  return def.sensitivity === 'SENSITIVE';
}
