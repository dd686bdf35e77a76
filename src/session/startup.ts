import type { Engine } from '../engine/engine.ts';
import { CLIENT_ROLE_DDL } from '../catalog/ddl.ts';
import { quoteLiteral } from '../catalog/sql.ts';
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
 * A plpgsql block that applies each setting the client role could set itself (user-context and
 * custom settings, never the role), each in a block of its own: an unknown or invalid startup
 * setting is ignored, as a pooler would, and the others still apply.
 */
function applySettingsBlock(settings: [string, string][]): string {
  const each = settings.map(([k, v]) => {
    const name = quoteLiteral(k);
    return `BEGIN IF lower(${name}) NOT IN ('role', 'session_authorization') AND (${name} LIKE '%.%' OR EXISTS (SELECT 1 FROM pg_catalog.pg_settings WHERE name = lower(${name}) AND context = 'user')) THEN PERFORM pg_catalog.set_config(${name}, ${quoteLiteral(v)}, false); END IF; EXCEPTION WHEN others THEN NULL; END;`;
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
    `SELECT name, current_setting(name) AS setting FROM unnest(ARRAY[${REPORTED.map(quoteLiteral).join(', ')}]::text[]) AS name`,
  ].join(';\n');
  const results = await engine.execScript<{ name: string; setting: string }>(script);
  const res = { rows: results[results.length - 1] ?? [] };
  const status = res.rows.map((r) => be.parameterStatus(r.name, r.name === 'client_encoding' ? 'UTF8' : r.setting));
  status.push(be.parameterStatus('is_superuser', 'off'), be.parameterStatus('session_authorization', params.user ?? ''));
  return {
    status,
    keyData: (pid: number, secret: number) => be.backendKeyData(pid, secret),
    ready: be.readyForQuery('I'),
  };
}
