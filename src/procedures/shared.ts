import type { GatewayStatementContext } from '../executor/gateway-statement.ts';

export const SD_API = '/rest/servicedeskapi';

/** Drops the cached rows of relations a procedure changed, so the session's next read (and its identity's) fetches them again. */
export function touched(ctx: GatewayStatementContext, ...relations: string[]): void {
  for (const r of relations) if (ctx.catalog.table(r)) ctx.cache.clear(ctx.catalog.table(r)!.name);
}
