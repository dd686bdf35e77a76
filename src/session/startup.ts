import type { Engine } from '../engine/engine.ts';
import { CLIENT_ROLE_DDL } from '../catalog/ddl.ts';
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

export async function startupMessages(engine: Engine, params: Record<string, string>) {
  const settings: [string, string][] = [
    ...ADOPTED.filter((k) => params[k] !== undefined).map((k) => [k, params[k]!] as [string, string]),
    ...optionSettings(params.options),
  ];
  for (const [k, v] of settings) {
    try {
      // only what the client role could set itself (user-context and custom settings), never the role
      await engine.query(
        `SELECT set_config(n, $2, false) FROM (SELECT $1::text AS n) s WHERE lower(n) NOT IN ('role', 'session_authorization')
           AND (n LIKE '%.%' OR EXISTS (SELECT 1 FROM pg_catalog.pg_settings WHERE name = lower(n) AND context = 'user'))`,
        [k, v],
      );
    } catch {
      // an unknown or invalid startup setting is ignored, as a pooler would
    }
  }
  // Applied while the engine still runs as its superuser (set_config is not the client role's), then the role is taken for good.
  await engine.exec(CLIENT_ROLE_DDL);
  const res = await engine.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`, [REPORTED],
  );
  const status = res.rows.map((r) => be.parameterStatus(r.name, r.name === 'client_encoding' ? 'UTF8' : r.setting));
  status.push(be.parameterStatus('is_superuser', 'off'), be.parameterStatus('session_authorization', params.user ?? ''));
  return {
    status,
    keyData: (pid: number, secret: number) => be.backendKeyData(pid, secret),
    ready: be.readyForQuery('I'),
  };
}
