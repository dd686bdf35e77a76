import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { clientGrantsDdl } from '../catalog/ddl.ts';
import { connectionPropsDdl } from '../catalog/sys-tables.ts';
import { CONNECTION_PROPERTIES, parseConnectionString, withConnectionOverrides, type GatewayConfig } from '../config/index.ts';
import { PgError, SqlState } from '../errors/index.ts';
import type { JsmClient } from '../jsm/index.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { jsmClientFromConfig } from './jsm-from-config.ts';
import { refreshing } from './refreshing.ts';
import { queueViewsForSite } from './site-discovery.ts';

/** The JSM identity a session reads and writes as, and what its engine needs of it. */
export interface Identity {
  readonly jsm: JsmClient;
  /** The identity's queue views (CREATE VIEW …, with grants), '' when none could be read. */
  readonly queueViews: () => Promise<string>;
  /** SQL that replaces sys_connection_props with this identity's properties (secrets masked); '' for the gateway's own. */
  readonly propsDdl: string;
  /** A user's own identity, not the gateway's. */
  readonly own: boolean;
}

/**
 * The identities of one gateway (DESIGN.md §9): the configured connection, and each connection a
 * gateway user is given in the users file (its properties over the gateway's), built once and
 * shared by that identity's sessions. The cache, coalescing and sys_identity are keyed by the
 * client's identity, so nothing fetched for one reaches another.
 */
export class Identities {
  private readonly own = new Map<string, Identity>();

  constructor(
    private readonly config: GatewayConfig,
    readonly gateway: Identity,
    private readonly logger: Logger,
    private readonly metrics?: GatewayMetrics,
  ) {}

  /** The identity of a gateway user whose users-file entry has `connection` (or the gateway's). */
  of(user: string, connection: string | undefined): Identity {
    if (!connection) return this.gateway;
    return this.build(connection, user, () => {
      try {
        return withConnectionOverrides(this.config, Object.fromEntries(parseConnectionString(connection, `users file entry of ${user}`)));
      } catch (err) {
        // the config layer names the property and never its value
        const why = err instanceof PgError ? err.message : 'it cannot be read';
        throw new PgError(SqlState.InvalidAuthorizationSpecification, `the JSM connection of gateway user "${user}" is invalid: ${why}`, { hint: 'Fix the user\'s connection in the users file (jsm-pg user add NAME --connection-env VAR).' });
      }
    });
  }

  /**
   * A passthrough login (--passthrough): the client's user name and password are a JSM login (an
   * API token on Cloud; the password when the gateway's AuthScheme is Basic), checked by asking
   * JSM who it is. Rejected credentials are 28P01, as a wrong PostgreSQL password.
   */
  async login(user: string, password: string, signal: AbortSignal): Promise<Identity> {
    const basic = this.config.connection.AuthScheme === 'Basic';
    const key = createHash('sha256').update(`passthrough\0${user}\0${password}`).digest('hex');
    const identity = this.build(key, user, () =>
      withConnectionOverrides(this.config, basic ? { AuthScheme: 'Basic', User: user, Password: password } : { AuthScheme: 'APIToken', User: user, APIToken: password }));
    try {
      await identity.jsm.get('/rest/api/2/myself', undefined, { signal });
    } catch (err) {
      this.own.delete(key);
      await identity.jsm.close().catch(() => undefined);
      if (err instanceof PgError && (err.code === SqlState.InvalidAuthorizationSpecification || err.code === SqlState.InvalidPassword)) {
        throw new PgError(SqlState.InvalidPassword, `password authentication failed for user "${user}"`, { detail: 'JSM rejected this login and API token.' });
      }
      throw err;
    }
    return identity;
  }

  private build(key: string, user: string, configOf: () => GatewayConfig): Identity {
    let identity = this.own.get(key);
    if (!identity) {
      const cfg = configOf();
      const conn = cfg.connection;
      const jsm = jsmClientFromConfig(conn, this.logger.child({ identity: user }), this.metrics);
      const views = refreshing(() => queueViewsForSite(jsm, this.logger), conn.CacheTTL * 1000);
      identity = {
        jsm,
        queueViews: async () => {
          const ddl = await views().catch(() => '');
          return ddl ? ddl + clientGrantsDdl() : '';
        },
        propsDdl: connectionPropsDdl({ defs: CONNECTION_PROPERTIES, values: conn, explicit: cfg.explicit }),
        own: true,
      };
      this.own.set(key, identity);
    }
    return identity;
  }

  async close(): Promise<void> {
    await Promise.all([this.gateway, ...this.own.values()].map((i) => i.jsm.close().catch(() => undefined)));
  }
}

/** DROP VIEW for each queue view `ddl` creates: an engine prepared with the gateway's queue views, given to another identity. */
export function dropQueueViewsDdl(ddl: string): string {
  return [...ddl.matchAll(/CREATE OR REPLACE VIEW (.+?) AS SELECT \* FROM \S+\.queuerequests\b/g)].map((m) => `DROP VIEW IF EXISTS ${m[1]};`).join('\n');
}
