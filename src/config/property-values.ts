// Validation and display of single connection-property values.
import type { z } from 'zod';
import { PgError, SqlState } from '../errors/index.ts';
import { boolSchema, enumSchema, intSchema, issueText, stringSchema, urlSchema } from './coerce.ts';
import type { PropertyDef } from './property-types.ts';
import { isSensitive } from './registry.ts';

export type PropertyValue = string | number | boolean;

/** Shown instead of a sensitive value anywhere a value is displayed. */
export const MASK = '********';

const schemas = new Map<string, z.ZodType<PropertyValue, z.ZodTypeDef, unknown>>();

function schemaFor(def: PropertyDef): z.ZodType<PropertyValue, z.ZodTypeDef, unknown> {
  let schema = schemas.get(def.name);
  if (schema === undefined) {
    switch (def.type) {
      case 'bool':
        schema = boolSchema;
        break;
      case 'int':
        schema = intSchema({ min: def.min, max: def.max });
        break;
      case 'enum':
        schema = enumSchema(def.values);
        break;
      case 'string':
        schema = def.format === 'url' ? urlSchema : stringSchema;
        break;
    }
    schemas.set(def.name, schema);
  }
  return schema;
}

/**
 * Validate `raw` for `def`. `source` says where it came from ("connection string",
 * "environment variable JSM_TIMEOUT", ...) so the error can name both. Sensitive
 * values are never echoed back.
 */
export function parsePropertyValue(def: PropertyDef, raw: unknown, source: string): PropertyValue {
  const result = schemaFor(def).safeParse(raw);
  if (result.success) return result.data;
  const shown = isSensitive(def) || (typeof raw !== 'string' && typeof raw !== 'number') ? '' : ` "${String(raw)}"`;
  throw new PgError(
    SqlState.InvalidParameterValue,
    `invalid value${shown} for connection property "${def.name}" (from ${source}): ${issueText(result.error)}`,
    { hint: `Run "jsm-pg --help" to see the accepted values of ${def.name}.` },
  );
}

/** Text form of a value, as sys_connection_props and --help show it. */
export function formatPropertyValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** The displayable form of a value: '********' for a non-empty sensitive value. */
export function maskedValue(def: PropertyDef, value: unknown): string {
  const text = formatPropertyValue(value);
  return isSensitive(def) && text !== '' ? MASK : text;
}
