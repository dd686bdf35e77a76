import type { Engine } from '../engine/engine.ts';
import { CLIENT_ROLE_DDL } from '../catalog/ddl.ts';
import { JSM_SCHEMA, ROWS_SCHEMA, engineName, rowsTableName } from '../catalog/registry.ts';
import { quoteIdent } from '../catalog/procedures-ddl.ts';
import { quoteLiteral } from '../catalog/sql.ts';
import { SESSION_SETTINGS_SQL, VIEW_NAMES_SQL, type SettingsRow } from './statement-caches.ts';
import * as be from '../protocol/backend-messages.ts';

/** Startup parameters a client may send that the engine should adopt. */
const ADOPTED = ['application_name', 'DateStyle', 'TimeZone', 'IntervalStyle', 'extra_float_digits', 'search_path', 'statement_timeout'];

/** Reported in ParameterStatus, read from the engine after the client's settings are applied (psycopg2 needs all of them). */
const REPORTED = ['server_version', 'server_encoding', 'client_encoding', 'DateStyle', 'TimeZone', 'integer_datetimes', 'standard_conforming_strings', 'IntervalStyle', 'application_name'];


/** `-c name=value` pairs from the startup `options` parameter (libpq PGOPTIONS). */
function optionSettings(options: string | undefined): [string, string][] {
  if (!options) return [];
  return [...options.matchAll(/(?:-c\s*|--)([\w.]+)=((?:\\ |\S)+)/g)].map((m) => [m[1]!, m[2]!.replace(/\\ /g, ' ')]);
}

/**
 * What an engine runs once at boot, before any client (appended to the pool's prepare): the queries
 * of a connect and of a session's first statements, with their results thrown away. A fresh
 * engine's first statements load its catalog caches and compile its plpgsql functions (tens of
 * milliseconds each, more on a busy machine); done here, in the engine's thread while it waits in
 * the pool, a connect from the pool and its first statements cost only their own work. Leaves no
 * trace: the setting is set to its own value, the role is reset, the rows table stays empty.
 */
export function engineWarmUpSql(firstTable: string | undefined): string {
  const table = firstTable ? engineName(firstTable) : undefined;
  const explain = table ? `EXECUTE ${quoteLiteral(`EXPLAIN (VERBOSE, FORMAT JSON, COSTS OFF) SELECT * FROM ${JSM_SCHEMA}.${quoteIdent(table)}`)};` : '';
  const load = table ? `PERFORM ${ROWS_SCHEMA}.load(${quoteLiteral(rowsTableName(table))}, '[]'::json, false);` : '';
  return [
    settingsBlock([['application_name', "current_setting('application_name')"]]),
    `DO ${quoteLiteral(`BEGIN ${explain} ${load} EXCEPTION WHEN others THEN NULL; END`)}`,
    CLIENT_ROLE_DDL,
    reportedSql(),
    SESSION_SETTINGS_SQL,
    VIEW_NAMES_SQL,
    // what psql's \dt and a BI tool's column listing first read (the client role's privilege checks included)
    'SELECT count(*) FROM pg_catalog.pg_class c WHERE pg_catalog.pg_table_is_visible(c.oid)',
    ...(table ? [`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ${quoteLiteral(JSM_SCHEMA)} AND table_name = ${quoteLiteral(table)}`] : []),
    'RESET ROLE',
  ].join(';\n') + ';';
}

/** The ParameterStatus values a connect reports. */
const reportedSql = () => `SELECT name, current_setting(name) AS setting FROM unnest(ARRAY[${REPORTED.map(quoteLiteral).join(', ')}]::text[]) AS name`;

/**
 * A plpgsql block that applies each setting the client role could set itself (user-context and
 * custom settings, never the role), each in a block of its own: an unknown or invalid startup
 * setting is ignored, as a pooler would, and the others still apply.
 */
function applySettingsBlock(settings: [string, string][]): string {
  return settingsBlock(settings.map(([k, v]) => [k, quoteLiteral(v)]));
}

/** The block of applySettingsBlock, each value an SQL expression. */
function settingsBlock(settings: [string, string][]): string {
  const each = settings.map(([k, value]) => {
    const name = quoteLiteral(k);
    return `BEGIN IF lower(${name}) NOT IN ('role', 'session_authorization') AND (${name} LIKE '%.%' OR EXISTS (SELECT 1 FROM pg_catalog.pg_settings WHERE name = lower(${name}) AND context = 'user')) THEN PERFORM pg_catalog.set_config(${name}, ${value}, false); END IF; EXCEPTION WHEN others THEN NULL; END;`;
  });
  return `DO ${quoteLiteral(`BEGIN ${each.join(' ')} END`)}`;
}

/**
 * The client's startup settings, the client role and the ParameterStatus values, in one script:
 * one round trip to the engine's thread, which a crowd connecting at once waits for in line.
 */
export async function startupMessages(engine: Engine, params: Record<string, string>) {
  const settings: [string, string][] = [
    ...ADOPTED.filter((k) => params[k] !== undefined).map((k) => [k, params[k]!] as [string, string]),
    ...optionSettings(params.options),
  ];
  const script = [
    // applied while the engine still runs as its superuser (set_config is not the client role's), then the role is taken for good
    ...(settings.length ? [applySettingsBlock(settings)] : []),
    CLIENT_ROLE_DDL,
    reportedSql(),
    // what the session's first statement would otherwise ask for in requests of its own
    SESSION_SETTINGS_SQL,
    VIEW_NAMES_SQL,
  ].join(';\n');
  const results = await engine.execScript(script);
  const [reported, sessionSettings, views] = results.slice(-3) as [{ name: string; setting: string }[], SettingsRow[], { relname: string }[]];
  const status = reported.map((r) => be.parameterStatus(r.name, r.name === 'client_encoding' ? 'UTF8' : r.setting));
  status.push(be.parameterStatus('is_superuser', 'off'), be.parameterStatus('session_authorization', params.user ?? ''));
  return {
    /** The client's settings as applied (a plan may depend on them: StatementCaches' scope). */
    settings,
    /** The session's jsm.* settings and its engine's view names, as its caches read them (StatementCaches.seed). */
    sessionSettings: sessionSettings[0]!,
    viewNames: views.map((v) => v.relname),
    status,
    keyData: (pid: number, secret: number) => be.backendKeyData(pid, secret),
    ready: be.readyForQuery('I'),
  };
}
