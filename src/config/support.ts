// Properties the gateway cannot honour yet are refused when it starts, with the reason, instead of
// being accepted and ignored (issue 13). A property opts in by `unsupported: '<why>'` in its spec;
// the work that implements it deletes that line. Other's sub-properties are checked here too.
import { PgError, SqlState } from '../errors/index.ts';
import type { GatewayConfig } from './load-config.ts';
import { parseOther } from './property-lists.ts';
import { CONNECTION_PROPERTIES } from './registry.ts';

/** Properties given a value other than their default that the gateway does not implement: name → reason. */
export function unsupportedSettings(cfg: GatewayConfig): { name: string; reason: string; origin: string }[] {
  const values = cfg.connection as Readonly<Record<string, unknown>>;
  return CONNECTION_PROPERTIES.filter((d) => d.unsupported && cfg.origins.has(d.name) && values[d.name] !== d.default).map((d) => ({
    name: d.name,
    reason: d.unsupported!,
    origin: cfg.origins.get(d.name)!,
  }));
}

/** Throws 0A000 naming every unsupported property that was set, and why; also validates Other. */
export function refuseUnsupported(cfg: GatewayConfig): void {
  const refused = unsupportedSettings(cfg);
  if (refused.length) {
    const first = refused[0]!;
    throw new PgError(SqlState.FeatureNotSupported, `connection property ${first.name} (set by ${first.origin}) is not supported yet: ${first.reason}`, {
      ...(refused.length > 1 ? { detail: `Also not supported yet: ${refused.slice(1).map((r) => r.name).join(', ')}.` } : {}),
      hint: `Remove ${refused.map((r) => r.name).join(', ')} from the configuration; the gateway refuses to start rather than ignore ${refused.length > 1 ? 'them' : 'it'}.`,
    });
  }
  parseOther(cfg.connection.Other);
}
