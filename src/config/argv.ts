// Command-line flags of `jsm-pg serve`: server options, `--config`, `--connection` and
// one flag per connection property (`--url`, `--include-custom-fields`, ...).
import { PgError, SqlState } from '../errors/index.ts';
import { isBoolWord } from './coerce.ts';
import { didYouMean } from './naming.ts';
import type { PropertyDef } from './property-types.ts';
import { CONNECTION_PROPERTIES, propertyByFlag } from './registry.ts';
import { SERVER_OPTIONS, serverOptionByFlag, type ServerOptionDef } from './server-options.ts';

/** Bad command-line usage; the CLI exits with status 2 for these. */
export class UsageError extends PgError {
  constructor(message: string, hint = 'Run "jsm-pg --help" for usage.') {
    super(SqlState.InvalidParameterValue, message, { hint });
  }
}

export const CONFIG_FLAG = '--config';
export const CONNECTION_FLAG = '--connection';

export interface ParsedArgs {
  configPath?: string;
  /** In command-line order; later strings override earlier ones. */
  connectionStrings: string[];
  server: Array<[ServerOptionDef, string]>;
  connection: Array<[PropertyDef, string]>;
}

/** Every flag `serve` accepts, for "did you mean" suggestions and --help. */
export function knownServeFlags(): string[] {
  return [CONFIG_FLAG, CONNECTION_FLAG, ...SERVER_OPTIONS.map((o) => o.flag), ...CONNECTION_PROPERTIES.map((d) => d.flag)];
}

/** Split argv (without the subcommand) into `--flag value` / `--flag=value` pairs. */
export function parseServeArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { connectionStrings: [], server: [], connection: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument "${arg}"`);
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const serverDef = serverOptionByFlag(flag);
    const propDef = serverDef ? undefined : propertyByFlag(flag);
    const isSwitch = serverDef ? serverDef.valueName === undefined : propDef?.type === 'bool';
    const known = serverDef !== undefined || propDef !== undefined || flag === CONFIG_FLAG || flag === CONNECTION_FLAG;
    if (!known) {
      throw new UsageError(`unknown option ${flag}.${didYouMean(flag, knownServeFlags(), (s) => s)}`);
    }
    let value: string;
    if (inline !== undefined) {
      value = inline;
    } else if (isSwitch) {
      // `--demo false` is a common spelling; only a boolean word is taken as the switch's value.
      const next = argv[i + 1];
      value = next !== undefined && isBoolWord(next) ? argv[++i] : 'true';
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`option ${flag} needs a value`);
      }
      value = next;
      i++;
    }
    if (flag === CONFIG_FLAG) parsed.configPath = value;
    else if (flag === CONNECTION_FLAG) parsed.connectionStrings.push(value);
    else if (serverDef) parsed.server.push([serverDef, value]);
    else if (propDef) parsed.connection.push([propDef, value]);
  }
  return parsed;
}
