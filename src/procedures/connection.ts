/**
 * The connection properties a procedure needs (Location, ServiceDeskID, AttachmentFolders), read
 * from the session's own sys_connection_props, which the gateway fills with the connection's values
 * when the engine boots. The client cannot change that view (it belongs to the engine's superuser);
 * every row is read and picked here, so nothing the client defines takes part in the lookup.
 */
import { JSM_SCHEMA } from '../catalog/registry.ts';
import type { GatewayStatementContext } from '../executor/gateway-statement.ts';

export interface PropertyValue {
  readonly value: string;
  /** Set for this connection, not the default. */
  readonly explicit: boolean;
}

export async function connectionProperty(ctx: GatewayStatementContext, name: string): Promise<PropertyValue> {
  // the simple protocol: a Parse of the unnamed statement would replace the client's
  const [rows = []] = await ctx.engine.execScript<{ name: string; value: string | null; etc: string | null }>(
    `SELECT "name", "value", "etc" FROM ${JSM_SCHEMA}.sys_connection_props`,
  );
  const row = rows.find((r) => r.name === name);
  return { value: row?.value ?? '', explicit: row?.etc === 'explicit' };
}
