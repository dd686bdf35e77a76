import { createHash, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { loadModule } from 'libpg-query';
import type { UserStore } from '../auth/index.ts';
import { clientGrantsDdl, sessionDdl, schemaDdl } from '../catalog/ddl.ts';
import { getCatalog, type Catalog } from '../catalog/registry.ts';
import { exposureDdl, exposureFor } from '../catalog/exposure.ts';
import { catalogWithSchemaFiles } from '../catalog/schema-files.ts';
import { connectionPropsDdl, noProps, sysTablesDdl } from '../catalog/sys-tables.ts';
import { CONNECTION_PROPERTIES } from '../config/index.ts';
import type { GatewayConfig } from '../config/index.ts';
import { PgError, SqlState } from '../errors/index.ts';
import { refuseUnsupported } from '../config/support.ts';
import { EnginePool } from '../engine/pool.ts';
import { schemaSnapshot } from '../engine/snapshot.ts';
import { serveMetrics } from '../observability/metrics-server.ts';
import { GatewayMetrics } from '../observability/metrics.ts';
import { Session } from '../session/session.ts';
import { engineWarmUpSql, startupMessages } from '../session/startup.ts';
import { UserViews, userViewsSchemaName } from '../userviews/index.ts';
import { serveConnection, type ConnectionContext } from './connection.ts';
import { dropQueueViewsDdl, Identities, type Identity } from './identities.ts';
import { jsmClientFromConfig } from './jsm-from-config.ts';
import { listen, type Listener } from './listener.ts';
import { LoginLimits } from './login-limits.ts';
import { refreshing } from './refreshing.ts';
import { tlsServerEndPoint } from './scram.ts';
import { catalogWithCustomFields, queueViewsForSite } from './site-discovery.ts';

export interface RunningGateway {
  host: string;
  port: number;
  close(): Promise<void>;
  /** Live sessions, for tests and sys tables. */
  sessionCount(): number;
  /** Engines booted and waiting for a session. */
  idleEngines(): number;
  /** Port of the Prometheus metrics listener (--metrics-port), when there is one. */
  metricsPort?: number;
}

export async function startGateway(opts: { config: GatewayConfig; users: UserStore; logger: Logger; listener?: Listener }): Promise<RunningGateway> {
  const { config, users, logger } = opts;
  refuseUnsupported(config); // a property the gateway cannot honour stops it here, not silently later (issue 13)
  const t0 = performance.now();
  if (config.server.passthrough && !config.server.tlsRequired) {
    throw new PgError(SqlState.InvalidParameterValue, 'server option --passthrough needs --tls-required (with --tls-cert and --tls-key)', {
      detail: 'In passthrough mode clients send their JSM API token as the password, in clear: only TLS may carry it.',
    });
  }
  // schema files in Location (src/catalog/schema-files.ts): a bad one stops the start naming its file and line;
  // Location's default is the seed's Windows folder, so only a folder the operator named is read
  const schema = await catalogWithSchemaFiles(getCatalog(), config.explicit.has('Location') ? config.connection.Location : undefined);
  if (schema.files.length) logger.info({ files: schema.files, added: schema.added, replaced: schema.replaced }, 'schema files loaded from Location');
  // user-defined views (src/userviews): a shared views file is read first, so a bad one stops the start naming it
  const userViews = new UserViews({ path: config.connection.UserDefinedViews, schema: userViewsSchemaName(config.connection.UserViewsSchemaName), logger });
  await userViews.start();
  // the port first: a taken one fails at once with a hint, not after the warm-up (issue 15)
  const listener = opts.listener ?? (await listen(config.server.host, config.server.port));
  const metrics = config.server.metricsPort === undefined ? undefined : new GatewayMetrics();
  const metricsServer = metrics && (await serveMetrics({ host: config.server.metricsHost, port: config.server.metricsPort!, metrics, logger }).catch(async (err) => {
    await listener.close();
    throw err;
  }));
  let started: Awaited<ReturnType<typeof warmUp>>;
  try {
    started = await warmUp(config, logger, metrics, schema.catalog);
  } catch (err) {
    await listener.close();
    await metricsServer?.close();
    throw err;
  }
  const { conn, jsm, catalog, pool, perSession, queueViewsDdl, tls, bootedBare } = started;
  const identities = new Identities(config, { jsm, queueViews: queueViewsDdl, propsDdl: '', own: false }, logger, metrics);

  const sessions = new Map<number, Session>();
  const { server: opt } = config;
  const limits = new LoginLimits({
    maxSessions: opt.maxSessions,
    maxHandshakes: opt.maxHandshakes,
    authFailureLimit: opt.authFailureLimit,
    authFailureWindowMs: opt.authFailureWindow * 1000,
  });
  let nextPid = randomInt(1000, 30000);
  // What a session uses unless it SETs otherwise; every property has its value (its default at least).
  const defaults = {
    cacheTtlMs: conn.CacheTTL * 1000,
    timeoutMs: conn.Timeout * 1000,
    pageSize: conn.PageSize,
    concurrency: conn.MaxConcurrency,
    maxApiCalls: conn.MaxApiCallsPerStatement,
    maxRows: conn.MaxRows,
    serviceDeskId: conn.ServiceDeskID,
  };

  /**
   * An engine from the pool, with the identity's queue views and connection properties and the
   * client's startup settings. Engines boot with the gateway identity's queue views: a user with
   * an identity of their own gets theirs instead, so no queue name of one identity reaches another.
   */
  async function sessionEngine(params: Record<string, string>, identity: Identity) {
    const engine = await pool.acquire();
    try {
      const views = await identity.queueViews();
      if (identity.own) await engine.exec(`${dropQueueViewsDdl(engine.prepared)}\n${identity.propsDdl}\n${views}`);
      else if (views && !engine.prepared.includes(views)) await engine.exec(views).catch((err) => logger.warn({ err }, 'queue views not created'));
      const startup = await startupMessages(engine, params);
      // What decides how this engine resolves a statement's names (StatementCaches' scope). An
      // engine booted before the queue views were read got them just now, as one booted with them
      // has them; one booted with other views (the queues changed since) may keep views of its own.
      const viewsState = identity.own ? ['own', identity.propsDdl, views]
        : views && (engine.prepared === bootedBare || engine.prepared.includes(views)) ? ['site', views] : ['booted', engine.prepared, views];
      const scope = [params.user ?? '', identity.jsm.identityKey, viewsState, startup.settings.filter(([k]) => k.toLowerCase() !== 'application_name')];
      return { engine, startup, scope };
    } catch (err) {
      await pool.release(engine);
      throw err;
    }
  }

  const ctx: ConnectionContext = {
    logger,
    tls: tls && createSecureContext(tls),
    tlsRequired: opt.tlsRequired,
    channelBinding: tls ? tlsServerEndPoint(tls.cert) : undefined,
    maxMessageSize: opt.maxMessageSize,
    authTimeoutMs: opt.authTimeout * 1000,
    limits,
    verifier: (user) => users.lookup(user),
    passthrough: opt.passthrough ? (user, password) => identities.login(user, password, AbortSignal.timeout(opt.authTimeout * 1000)) : undefined,
    metrics,
    async openSession(params, login) {
      const identity = (login as Identity | undefined) ?? identities.of(params.user ?? '', users.connectionOf(params.user ?? ''));
      const { engine, startup, scope } = await sessionEngine(params, identity);
      try {
        const views = await userViews.session(params.user ?? '', logger);
        await views.install(engine);
        const planScope = createHash('sha256').update(JSON.stringify([...scope, views.version])).digest('base64');
        const pid = nextPid++;
        const session = new Session({
          engine, catalog, jsm: identity.jsm, logger: logger.child({ backendPid: pid }), pid, secret: randomInt(1, 2 ** 31 - 1), defaults,
          restore: (e) => e.exec(perSession),
          release: async () => {
            sessions.delete(pid);
            await pool.release(engine);
          },
          renew: async () => (await sessionEngine(params, identity)).engine,
          userViews: views,
          planScope,
          // the user's views were created after the connect read the view names
          connectRead: { settings: startup.sessionSettings, viewNames: views.installed ? undefined : startup.viewNames },
        });
        sessions.set(pid, session);
        return { session, startup: [...startup.status, startup.keyData(session.pid, session.secret), startup.ready] };
      } catch (err) {
        await pool.release(engine);
        throw err;
      }
    },
    cancel(pid, secret) {
      const s = sessions.get(pid);
      if (s && s.secret === secret) {
        logger.info({ backendPid: pid }, 'cancel request');
        s.cancel();
      }
    },
  };

  const sockets = new Set<Socket>();
  listener.serve((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    serveConnection(socket, ctx);
  });
  // After listening, errors are about accepting one connection (EMFILE under a flood): log, keep serving.
  listener.server.on('error', (err) => logger.warn({ err: err.message }, 'accept failed'));
  metrics?.observe({ sessions: () => sessions.size, idleEngines: () => pool.stats().idle, bootingEngines: () => pool.stats().warming });
  const addr = { address: listener.host, port: listener.port };
  logger.info({ host: addr.address, port: addr.port, tls: Boolean(tls), startMs: Math.round(performance.now() - t0) }, 'jsm-pg gateway listening');
  return {
    host: addr.address,
    port: addr.port,
    sessionCount: () => sessions.size,
    idleEngines: () => pool.stats().idle,
    metricsPort: metricsServer?.port,
    async close() {
      const closing = listener.close();
      for (const s of sockets) s.destroy();
      await closing;
      await Promise.all([...sessions.values()].map((s) => s.close()));
      await pool.close();
      await identities.close();
      await userViews.close();
      await metricsServer?.close();
    },
  };
}

/**
 * Everything before the first session: the JSM client, the catalog (with the site's custom fields
 * when asked), the SQL parser, the schema snapshot and one warm engine, side by side where they can.
 * The snapshot holds nothing of the connection (sys-tables.ts), so every start with the same schema
 * loads the same cached file; each engine gets the connection's sys_connection_props when it boots.
 */
async function warmUp(config: GatewayConfig, logger: Logger, metrics: GatewayMetrics | undefined, base: Catalog) {
  const conn = config.connection;
  const jsm = jsmClientFromConfig(conn, logger, metrics);
  try {
    const tls = config.server.tlsCert && config.server.tlsKey
      ? { cert: await readFile(config.server.tlsCert), key: await readFile(config.server.tlsKey) }
      : undefined;
    const userViewsSchema = conn.UserViewsSchemaName;
    const catalogReady = conn.IncludeCustomFields ? catalogWithCustomFields(jsm, base, logger) : Promise.resolve(base);
    const [catalog, snapshot] = await Promise.all([
      catalogReady,
      catalogReady.then((cat) => snapshotFor(cat, userViewsSchema, logger)),
      loadModule(),
    ]);
    // Tables, Views, BrowsableSchemas, PseudoColumns, Other: checked against the catalog now, applied per engine
    const exposure = exposureFor(catalog, conn);
    // rebuilt at most once per CacheTTL, in the background: queues change rarely, sessions open often
    const queueViews = refreshing(() => queueViewsForSite(jsm, logger, exposure.keepQueueView), conn.CacheTTL * 1000);
    // The site's queue views go into engines as they boot (~90 ms of DDL, too slow for a connect);
    // an engine booted before they were read, or before they changed, gets them from a session.
    let viewsSql = '';
    const queueViewsDdl = async () => {
      const views = await queueViews().catch((err: unknown) => {
        logger.warn({ err }, 'queue views not read');
        return '';
      });
      viewsSql = views ? views + clientGrantsDdl() : '';
      return viewsSql;
    };
    // Start reading the queues now, while the engines warm, so the first client does not wait for it.
    void queueViewsDdl();
    const perSession = sessionDdl(catalog);
    const props = `${connectionPropsDdl({ defs: CONNECTION_PROPERTIES, values: conn, explicit: config.explicit, origins: config.origins })}\n${exposureDdl(exposure)}`;
    // One engine first, alone, and the gateway serves once it is up: booted side by side with the
    // rest it came up later on a busy machine (2 cores: ~2.5 s to the first query instead of ~3 s).
    const poolSize = config.server.poolSize;
    // the warm-up last, after every DDL (which would invalidate the catalog caches it loads)
    const warmUp = engineWarmUpSql(catalog.tables[0]?.name);
    const bootSql = (views: string) => `${perSession}\n${props}\n${views}\n${warmUp}`;
    const pool = new EnginePool({ snapshot, size: poolSize, prepare: () => bootSql(viewsSql), logger });
    await pool.warm(Math.min(1, poolSize));
    // then the rest, one boot per core at a time: no session runs yet, so the refill's wait for an idle core does not apply
    pool.warm().catch((err: unknown) => logger.error({ err }, 'engine warm-up failed'));
    return { conn, jsm, catalog, pool, perSession, queueViewsDdl, tls, bootedBare: bootSql('') };
  } catch (err) {
    await jsm.close().catch(() => undefined);
    throw err;
  }
}

/** The schema snapshot, from the cache or built (seconds: said on the log, as the first start waits for it). */
async function snapshotFor(catalog: Catalog, userViewsSchema: string, logger: Logger): Promise<Blob> {
  const ddl = [schemaDdl(catalog, userViewsSchema), sysTablesDdl(catalog, noProps(CONNECTION_PROPERTIES), { userViewsSchema }), clientGrantsDdl()].join('\n');
  const t0 = performance.now();
  let built = false;
  const snapshot = await schemaSnapshot(ddl, {
    onBuild: () => {
      built = true;
      logger.info('building the SQL engine snapshot (first start, ~5 s)…');
    },
  });
  const schema = createHash('sha256').update(ddl).digest('hex').slice(0, 16);
  logger.info({ schema, built, ms: Math.round(performance.now() - t0) }, built ? 'SQL engine snapshot built and cached' : 'SQL engine snapshot loaded from the cache');
  return snapshot;
}
