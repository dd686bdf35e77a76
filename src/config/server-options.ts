// Listener and process options (flags, the config file's "server" section, JSM_PG_*
// environment variables). Kept as data so --help and validation cannot drift apart.
import { z } from 'zod';
import { boolSchema, enumSchema, intSchema, issueText, stringSchema } from './coerce.ts';
import { ENGINE_RSS_MB, MACHINE_LIMITS_RULE, machineLimits, SESSION_BUDGET_MB } from './machine-limits.ts';
import { kebab, upperSnake } from './naming.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SIM_SCALES = ['small', 'medium', 'large'] as const;
export const LOG_FORMATS = ['pretty', 'json'] as const;

export interface ServerOptions {
  host: string;
  port: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsRequired: boolean;
  passthrough: boolean;
  usersFile?: string;
  maxSessions: number;
  maxHandshakes: number;
  authTimeout: number;
  authFailureLimit: number;
  authFailureWindow: number;
  maxMessageSize: number;
  logLevel: string;
  /** Absent: pretty when standard error is a terminal, JSON otherwise. */
  logFormat?: 'pretty' | 'json';
  /** Absent: no metrics listener. */
  metricsPort?: number;
  metricsHost: string;
  poolSize: number;
  demo: boolean;
  simScale: 'small' | 'medium' | 'large';
  simPort: number;
}

export type ServerOptionKey = keyof ServerOptions;

export interface ServerOptionDef {
  readonly key: ServerOptionKey;
  readonly description: string;
  /** Placeholder shown in --help; absent for on/off switches. */
  readonly valueName?: string;
  readonly default?: string | number | boolean;
  /** Relative paths are resolved against the cwd (flags, env) or the config file's folder. */
  readonly isPath?: boolean;
  readonly schema: z.ZodType<string | number | boolean, z.ZodTypeDef, unknown>;
  readonly flag: string;
  readonly envVar: string;
}

export const SERVER_ENV_PREFIX = 'JSM_PG_';

type OptionSpec = Omit<ServerOptionDef, 'flag' | 'envVar'>;

function option(spec: OptionSpec): ServerOptionDef {
  return Object.freeze({ ...spec, flag: `--${kebab(spec.key)}`, envVar: SERVER_ENV_PREFIX + upperSnake(spec.key) });
}

const port = intSchema({ min: 0, max: 65535 });
/** Defaults of --max-sessions and --pool-size, from this machine's memory and cores (machine-limits.ts). */
const MACHINE = machineLimits();
const nonEmpty = stringSchema.pipe(z.string().min(1, 'expected a non-empty value'));

export const SERVER_OPTIONS: readonly ServerOptionDef[] = Object.freeze([
  option({ key: 'host', valueName: 'ADDR', default: '127.0.0.1', schema: nonEmpty, description: 'Address the PostgreSQL listener binds to.' }),
  option({ key: 'port', valueName: 'PORT', default: 5432, schema: port, description: 'TCP port of the PostgreSQL listener (0 picks a free port).' }),
  option({ key: 'tlsCert', valueName: 'PATH', isPath: true, schema: nonEmpty, description: 'PEM certificate for TLS (requires --tls-key).' }),
  option({ key: 'tlsKey', valueName: 'PATH', isPath: true, schema: nonEmpty, description: 'PEM private key for TLS (requires --tls-cert).' }),
  option({ key: 'tlsRequired', default: false, schema: boolSchema, description: 'Refuse clients that do not use TLS (with --tls-cert and --tls-key).' }),
  option({ key: 'passthrough', default: false, schema: boolSchema, description: 'Clients log in with their own JSM login and API token (Data Center: password) as user name and password, checked against JSM; each session reads JSM as that user. Needs --tls-required (the password crosses the wire in clear inside TLS).' }),
  option({ key: 'usersFile', valueName: 'PATH', isPath: true, schema: nonEmpty, description: 'Gateway users file (SCRAM-SHA-256 verifiers), managed with "jsm-pg user".' }),
  option({ key: 'maxSessions', valueName: 'N', default: MACHINE.maxSessions, schema: intSchema({ min: 1, max: 10_000 }), description: `Maximum concurrent client sessions; beyond it a new connection gets SQLSTATE 53300 at once. The default is what this machine's memory holds: ${MACHINE_LIMITS_RULE}, less the warm engines, at most 1000. A login is also refused (53300) while less than ${SESSION_BUDGET_MB} MB of memory is free.` }),
  option({ key: 'maxHandshakes', valueName: 'N', default: 200, schema: intSchema({ min: 1, max: 100_000 }), description: 'Maximum connections still logging in (TLS, startup, password) at once; beyond it new connections get SQLSTATE 53300.' }),
  option({ key: 'authTimeout', valueName: 'SECONDS', default: 60, schema: intSchema({ min: 1, max: 600 }), description: 'A connection that has not logged in by then is closed (like PostgreSQL\'s authentication_timeout).' }),
  option({ key: 'authFailureLimit', valueName: 'N', default: 10, schema: intSchema({ min: 0, max: 100_000 }), description: 'Failed logins from one address within --auth-failure-window after which its logins are refused (SQLSTATE 53300) until the window ends; 0 turns this off.' }),
  option({ key: 'authFailureWindow', valueName: 'SECONDS', default: 60, schema: intSchema({ min: 1, max: 86_400 }), description: 'Length of the window for --auth-failure-limit, from an address\'s first failed login.' }),
  option({ key: 'maxMessageSize', valueName: 'BYTES', default: 64 * 1024 * 1024, schema: intSchema({ min: 65_536, max: 1_073_741_823 }), description: 'Largest protocol message (a query, a Bind, a row of COPY data) a client may send; a bigger one ends the connection with SQLSTATE 54000.' }),
  option({ key: 'logLevel', valueName: 'LEVEL', default: 'info', schema: enumSchema(LOG_LEVELS), description: `Log level: ${LOG_LEVELS.join(', ')}.` }),
  option({ key: 'logFormat', valueName: 'FORMAT', schema: enumSchema(LOG_FORMATS), description: 'Log lines as json (one object a line) or pretty (for people); default: pretty when standard error is a terminal, json otherwise.' }),
  option({ key: 'metricsPort', valueName: 'PORT', schema: port, description: 'Serve Prometheus metrics (GET /metrics, plain HTTP) on this TCP port (0 picks a free port). Without it there is no metrics listener.' }),
  option({ key: 'metricsHost', valueName: 'ADDR', default: '127.0.0.1', schema: nonEmpty, description: 'Address the metrics listener (--metrics-port) binds to.' }),
  option({ key: 'poolSize', valueName: 'N', default: MACHINE.poolSize, schema: intSchema({ min: 0, max: 64 }), description: `Number of warm query engines kept ready (each about ${ENGINE_RSS_MB} MB). The default is an eighth of the sessions the memory holds, at least one per core, at most 16 and at most a quarter of what the memory holds.` }),
  option({ key: 'demo', default: false, schema: boolSchema, description: 'Serve the embedded JSM simulator (also the default when no URL is configured).' }),
  option({ key: 'simScale', valueName: 'SCALE', default: 'small', schema: enumSchema(SIM_SCALES), description: `Size of the demo dataset: ${SIM_SCALES.join(', ')}.` }),
  option({ key: 'simPort', valueName: 'PORT', default: 0, schema: port, description: 'Port of the embedded simulator in demo mode (0 picks a free port).' }),
]);

const BY_FLAG = new Map(SERVER_OPTIONS.map((o) => [o.flag, o]));
const BY_ENV = new Map(SERVER_OPTIONS.map((o) => [o.envVar, o]));
const BY_FILE_KEY = new Map(SERVER_OPTIONS.flatMap((o) => [[o.key.toLowerCase(), o], [kebab(o.key), o]] as const));

export function serverOptionByFlag(flag: string): ServerOptionDef | undefined {
  return BY_FLAG.get(flag);
}

export function serverOptionByEnvVar(envVar: string): ServerOptionDef | undefined {
  return BY_ENV.get(envVar);
}

/** Config-file keys may be camelCase (`usersFile`) or kebab-case (`users-file`). */
export function serverOptionByFileKey(key: string): ServerOptionDef | undefined {
  return BY_FILE_KEY.get(key.toLowerCase());
}

/** Validate one option value; returns an error text instead of throwing so callers add the source. */
export function parseServerOption(def: ServerOptionDef, raw: unknown): { value: string | number | boolean } | { error: string } {
  const result = def.schema.safeParse(raw);
  return result.success ? { value: result.data } : { error: issueText(result.error) };
}
