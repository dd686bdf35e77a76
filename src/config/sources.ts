// Gathers raw values from every configuration source, lowest precedence first:
// environment < config file < connection string(s) < command-line flags.
// Later candidates overwrite earlier ones; validation happens once, on the winner.
import { isAbsolute, resolve } from 'node:path';
import { PgError, SqlState } from '../errors/index.ts';
import { CONFIG_FLAG, parseServeArgs } from './argv.ts';
import { readConfigFile } from './config-file.ts';
import { parseConnectionString } from './connection-string.ts';
import { didYouMean } from './naming.ts';
import type { PropertyDef } from './property-types.ts';
import { CONNECTION_ENV_PREFIX, findProperty, propertyByEnvVar, suggestProperty } from './registry.ts';
import {
  SERVER_ENV_PREFIX,
  SERVER_OPTIONS,
  serverOptionByEnvVar,
  serverOptionByFileKey,
  type ServerOptionDef,
} from './server-options.ts';

/** Where a connection property's value came from, as sys_connection_props shows it (SET: a session's own). */
export type PropertyOrigin = 'default' | 'env' | 'file' | 'connection string' | 'flag' | 'override' | 'SET';

export interface Candidate {
  readonly raw: unknown;
  /** The kind of source, for sys_connection_props (connection properties only). */
  readonly origin?: PropertyOrigin;
  /** Human description of where the value came from, used in error messages. */
  readonly source: string;
  /** Folder relative paths are resolved against. */
  readonly baseDir: string;
}

export interface RawSources {
  readonly connection: Map<PropertyDef, Candidate>;
  readonly server: Map<ServerOptionDef, Candidate>;
}

/** Environment variable naming the config file when --config is absent. */
export const CONFIG_ENV_VAR = `${SERVER_ENV_PREFIX}CONFIG`;

/** Resolve a connection-property name case-insensitively or fail with a suggestion. */
export function requireProperty(name: string, source: string): PropertyDef {
  const def = findProperty(name);
  if (def === undefined) {
    throw new PgError(
      SqlState.InvalidParameterValue,
      `unknown connection property "${name.trim()}" in ${source}.${suggestProperty(name)}`,
      { hint: 'Run "jsm-pg --help" for the list of connection properties.' },
    );
  }
  return def;
}

function fromEnvironment(env: NodeJS.ProcessEnv, cwd: string, out: RawSources): void {
  for (const [key, raw] of Object.entries(env)) {
    // An empty variable is treated as unset, which is what `JSM_URL= jsm-pg` usually means.
    if (raw === undefined || raw === '' || !key.startsWith(CONNECTION_ENV_PREFIX)) continue;
    const source = `environment variable ${key}`;
    const option = key.startsWith(SERVER_ENV_PREFIX) ? serverOptionByEnvVar(key) : undefined;
    if (option) {
      out.server.set(option, { raw, source, baseDir: cwd });
      continue;
    }
    // Other JSM_* variables may belong to tools around the gateway, so they are not errors.
    const def = propertyByEnvVar(key);
    if (def) out.connection.set(def, { raw, source, baseDir: cwd, origin: 'env' });
  }
}

function fromConfigFile(path: string, out: RawSources): void {
  const file = readConfigFile(path);
  const source = `config file ${file.path}`;
  for (const [name, raw] of file.connection) {
    out.connection.set(requireProperty(name, source), { raw, source, baseDir: file.dir, origin: 'file' });
  }
  for (const [key, raw] of file.server) {
    const option = serverOptionByFileKey(key);
    if (option === undefined) {
      const keys = SERVER_OPTIONS.map((o) => o.key);
      throw new PgError(SqlState.ConfigFileError, `${source}: unknown server option "${key}".${didYouMean(key, keys)}`);
    }
    out.server.set(option, { raw, source, baseDir: file.dir });
  }
}

function fromConnectionString(text: string, source: string, cwd: string, out: RawSources): void {
  for (const [name, raw] of parseConnectionString(text, source)) {
    out.connection.set(requireProperty(name, source), { raw, source, baseDir: cwd, origin: 'connection string' });
  }
}

export function collectSources(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): RawSources {
  const args = parseServeArgs(argv);
  const out: RawSources = { connection: new Map(), server: new Map() };
  fromEnvironment(env, cwd, out);
  const configPath = args.configPath ?? env[CONFIG_ENV_VAR];
  if (configPath !== undefined && configPath !== '') {
    fromConfigFile(isAbsolute(configPath) ? configPath : resolve(cwd, configPath), out);
  } else if (args.configPath === '') {
    throw new PgError(SqlState.ConfigFileError, `option ${CONFIG_FLAG} needs a file path`);
  }
  for (const text of args.connectionStrings) fromConnectionString(text, 'connection string (--connection)', cwd, out);
  for (const [option, raw] of args.server) out.server.set(option, { raw, source: `option ${option.flag}`, baseDir: cwd });
  for (const [def, raw] of args.connection) out.connection.set(def, { raw, source: `option ${def.flag}`, baseDir: cwd, origin: 'flag' });
  return out;
}
