// Validation and display of connection-property values.
import type { z } from 'zod';
import { PgError, SqlState } from '../errors/index.ts';
import { issueText } from './coerce.ts';
import type { PropertyDef } from './property-types.ts';
import { connectionSchema, findProperty, isSensitive, type ConnectionProperties } from './registry.ts';

export type PropertyValue = string | number | boolean;

/** Shown instead of a sensitive value anywhere a value is displayed. */
export const MASK = '********';

/** A raw value and where it came from ("connection string", "environment variable JSM_TIMEOUT", ...). */
export interface RawValue {
  readonly raw: unknown;
  readonly source: string;
}

/**
 * Validate raw values, by property, into the complete and typed connection configuration, `base`
 * (a configuration already validated) or the defaults filling the rest. The error names the first
 * bad property and its source; sensitive values are never echoed back.
 */
export function parseConnection(values: ReadonlyMap<PropertyDef, RawValue>, base?: ConnectionProperties): ConnectionProperties {
  const byName = new Map([...values].map(([def, value]) => [def.name, value]));
  const result = connectionSchema.safeParse({ ...base, ...Object.fromEntries([...byName].map(([name, value]) => [name, value.raw])) });
  if (result.success) return result.data;
  const name = String(result.error.issues[0]?.path[0]);
  throw invalidValue(findProperty(name)!, byName.get(name)!, result.error);
}

function invalidValue(def: PropertyDef, { raw, source }: RawValue, error: z.ZodError): PgError {
  const shown = isSensitive(def) || (typeof raw !== 'string' && typeof raw !== 'number') ? '' : ` "${String(raw)}"`;
  return new PgError(
    SqlState.InvalidParameterValue,
    `invalid value${shown} for connection property "${def.name}" (from ${source}): ${issueText(error)}`,
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
