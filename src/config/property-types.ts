// Shapes of the connection-property registry. The spec files hold plain data written
// `as const`, which lets ConnectionProperties be derived from them instead of restated.

export type PropertyType = 'string' | 'bool' | 'int' | 'enum';

/** Category order here is the CatOrdinal reported by sys_connection_props. */
export const PROPERTY_CATEGORIES = ['Authentication', 'SSO', 'OAuth', 'SSL', 'Proxy', 'Schema', 'Miscellaneous', 'Gateway'] as const;
export type PropertyCategory = (typeof PROPERTY_CATEGORIES)[number];

export type Sensitivity = 'SENSITIVE' | '';

/** What a spec file states about one property; everything else is derived. */
export interface PropertySpec {
  readonly name: string;
  readonly description: string;
  readonly type: PropertyType;
  readonly default: string | number | boolean;
  readonly category: PropertyCategory;
  /** Allowed values (enums), in their canonical spelling. */
  readonly values?: readonly string[];
  readonly sensitive?: boolean;
  /** Filled in by the connector during the session (e.g. refreshed OAuth tokens). */
  readonly session?: boolean;
  readonly required?: boolean;
  /** Non-empty values must be absolute http(s) URLs. */
  readonly format?: 'url';
  readonly min?: number;
  readonly max?: number;
  /**
   * Why the gateway cannot honour this property yet: a value other than the default is refused at
   * start (src/config/support.ts) rather than accepted and ignored. Delete the line to lift it.
   */
  readonly unsupported?: string;
  /** The jsm.* setting a session SETs to override the property for itself (shown as source SET in sys_connection_props). */
  readonly setting?: string;
}

/** One row of the registry: feeds sys_connection_props, --help and validation. */
export interface PropertyDef {
  readonly name: string;
  readonly description: string;
  readonly type: PropertyType;
  readonly default: string | number | boolean;
  readonly values: readonly string[];
  readonly category: PropertyCategory;
  readonly sensitivity: Sensitivity;
  readonly session: boolean;
  readonly required: boolean;
  readonly format?: 'url';
  readonly min?: number;
  readonly max?: number;
  /** Position in the registry (0-based). */
  readonly ordinal: number;
  /** Position of the category in PROPERTY_CATEGORIES. */
  readonly catOrdinal: number;
  /** `JSM_<UPPER_SNAKE>` */
  readonly envVar: string;
  /** `--kebab-case` */
  readonly flag: string;
  /** camelCase form, the sys_connection_props PropertyName column. */
  readonly propertyName: string;
  /** See PropertySpec.unsupported. */
  readonly unsupported?: string;
  /** See PropertySpec.setting. */
  readonly setting?: string;
}

type SpecValue<S> = S extends { readonly type: 'bool' }
  ? boolean
  : S extends { readonly type: 'int' }
    ? number
    : S extends { readonly type: 'enum'; readonly values: readonly (infer V)[] }
      ? V
      : string;

/** Connection property values keyed by their seed names, typed by their spec. */
export type PropertyValues<Specs extends readonly PropertySpec[]> = {
  readonly [S in Specs[number] as S['name']]: SpecValue<S>;
};
