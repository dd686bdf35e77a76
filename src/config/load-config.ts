// Builds the immutable GatewayConfig from the gathered sources.
import { resolve } from 'node:path';
import { PgError, SqlState } from '../errors/index.ts';
import type { PropertyDef } from './property-types.ts';
import { parseConnection, type RawValue } from './property-values.ts';
import type { ConnectionProperties } from './registry.ts';
import { parseServerOption, SERVER_OPTIONS, type ServerOptions } from './server-options.ts';
import { collectSources, requireProperty, type PropertyOrigin, type RawSources } from './sources.ts';

export interface GatewayConfig {
  readonly server: Readonly<ServerOptions>;
  /** Keys are the seed names exactly; every property is present, defaults applied. */
  readonly connection: ConnectionProperties;
  /** Connection properties that were set explicitly (sys_connection_props "Value"). */
  readonly explicit: ReadonlySet<string>;
  /** Where each explicitly set property came from (absent: its default). */
  readonly origins: ReadonlyMap<string, PropertyOrigin>;
}

export interface LoadConfigInput {
  /** Arguments after the subcommand, e.g. `['--port', '6543', '--connection', '...']`. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** Base for relative paths given on the command line or in the environment. */
  cwd?: string;
}

function frozenSet(values: Iterable<string>): ReadonlySet<string> {
  const set = new Set(values);
  const reject = (): never => {
    throw new TypeError('GatewayConfig.explicit is read-only');
  };
  // Object.freeze alone does not stop Set mutation, so the mutators are replaced too.
  Object.defineProperties(set, { add: { value: reject }, delete: { value: reject }, clear: { value: reject } });
  return Object.freeze(set);
}

function freezeConfig(server: ServerOptions, connection: ConnectionProperties, origins: ReadonlyMap<string, PropertyOrigin>): GatewayConfig {
  return Object.freeze({
    server: Object.freeze(server),
    connection: Object.freeze(connection),
    explicit: frozenSet(origins.keys()),
    origins: Object.freeze(new Map(origins)),
  });
}

function resolveServer(sources: RawSources, url: string): ServerOptions {
  const values: Record<string, unknown> = {};
  for (const def of SERVER_OPTIONS) {
    const candidate = sources.server.get(def);
    if (candidate === undefined) {
      if (def.default !== undefined) values[def.key] = def.default;
      continue;
    }
    const parsed = parseServerOption(def, candidate.raw);
    if ('error' in parsed) {
      throw new PgError(
        SqlState.InvalidParameterValue,
        `invalid value "${String(candidate.raw)}" for server option ${def.flag} (from ${candidate.source}): ${parsed.error}`,
      );
    }
    values[def.key] = def.isPath ? resolve(candidate.baseDir, String(parsed.value)) : parsed.value;
  }
  const server = values as unknown as ServerOptions;
  if ((server.tlsCert === undefined) !== (server.tlsKey === undefined)) {
    throw new PgError(SqlState.InvalidParameterValue, 'server options --tls-cert and --tls-key must be given together');
  }
  if (server.tlsRequired && !server.tlsCert) {
    throw new PgError(SqlState.InvalidParameterValue, 'server option --tls-required needs --tls-cert and --tls-key');
  }
  // Without a JSM site to talk to, the only useful thing to serve is the simulator.
  server.demo = server.demo || url === '';
  return server;
}

/**
 * Read flags, connection strings, the config file and the environment (in that order of
 * precedence) into a deeply frozen GatewayConfig. Throws PgError naming the property and
 * its source; UsageError (a PgError) for malformed command lines.
 */
export function loadConfig(input: LoadConfigInput): GatewayConfig {
  const cwd = input.cwd ?? process.cwd();
  const sources = collectSources(input.argv, input.env, cwd);
  const connection = parseConnection(sources.connection);
  const server = resolveServer(sources, connection.URL);
  const origins = new Map([...sources.connection].map(([def, c]): [string, PropertyOrigin] => [def.name, c.origin ?? 'override']));
  return freezeConfig(server, connection, origins);
}

/**
 * A copy of `cfg` with some connection properties replaced (names case-insensitive,
 * values validated like any other source). Demo mode uses it to aim at the simulator.
 */
export function withConnectionOverrides(cfg: GatewayConfig, overrides: Record<string, unknown>): GatewayConfig {
  const values = new Map<PropertyDef, RawValue>();
  const origins = new Map(cfg.origins);
  for (const [name, raw] of Object.entries(overrides)) {
    const def = requireProperty(name, 'connection overrides');
    values.set(def, { raw, source: 'connection overrides' });
    origins.set(def.name, 'override');
  }
  return freezeConfig({ ...cfg.server }, parseConnection(values, cfg.connection), origins);
}
