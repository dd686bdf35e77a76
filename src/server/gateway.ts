import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { loadModule } from 'libpg-query';
import type { UserStore } from '../auth/index.ts';
import { clientGrantsDdl, sessionDdl, schemaDdl } from '../catalog/ddl.ts';
import { getCatalog } from '../catalog/registry.ts';
import { sysTablesDdl } from '../catalog/sys-tables.ts';
import { CONNECTION_PROPERTIES } from '../config/index.ts';
import type { GatewayConfig } from '../config/index.ts';
import { EnginePool } from '../engine/pool.ts';
import { schemaSnapshot } from '../engine/snapshot.ts';
import { serveMetrics } from '../observability/metrics-server.ts';
import { GatewayMetrics } from '../observability/metrics.ts';
import { Session } from '../session/session.ts';
import { startupMessages } from '../session/startup.ts';
import { serveConnection, type ConnectionContext } from './connection.ts';
import { jsmClientFromConfig } from './jsm-from-config.ts';
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

export async function startGateway(opts: { config: GatewayConfig; users: UserStore; logger: Logger }): Promise<RunningGateway> {
  const { config, users, logger } = opts;
  const metrics = config.server.metricsPort === undefined ? undefined : new GatewayMetrics();
  await loadModule();
  const conn = config.connection;
  const jsm = jsmClientFromConfig(conn, logger, metrics);
  const catalog = conn.IncludeCustomFields ? await catalogWithCustomFields(jsm, getCatalog(), logger) : getCatalog();
  const userViewsSchema = conn.UserViewsSchemaName;
  const snapshot = await schemaSnapshot([
    schemaDdl(catalog, userViewsSchema),
    sysTablesDdl(catalog, { defs: CONNECTION_PROPERTIES, values: conn, explicit: config.explicit }, { userViewsSchema }),
    clientGrantsDdl(),
  ].join('\n'));
  // rebuilt at most once per CacheTTL, in the background: queues change rarely, sessions open often
  const queueViews = refreshing(() => queueViewsForSite(jsm, logger), conn.CacheTTL * 1000);
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
  const pool = new EnginePool({ snapshot, size: config.server.poolSize, prepare: () => `${perSession}\n${viewsSql}`, logger });
  await pool.warm();
  const tls = config.server.tlsCert && config.server.tlsKey
    ? { cert: await readFile(config.server.tlsCert), key: await readFile(config.server.tlsKey) }
    : undefined;

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
  };

  /** An engine from the pool, with the site's queue views and the client's startup settings. */
  async function sessionEngine(params: Record<string, string>) {
    const engine = await pool.acquire();
    try {
      const views = await queueViewsDdl();
      if (views && !engine.prepared.endsWith(views)) await engine.exec(views).catch((err) => logger.warn({ err }, 'queue views not created'));
      return { engine, startup: await startupMessages(engine, params) };
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
    metrics,
    async openSession(params) {
      const { engine, startup } = await sessionEngine(params);
      try {
        const pid = nextPid++;
        const session = new Session({
          engine, catalog, jsm, logger: logger.child({ backendPid: pid }), pid, secret: randomInt(1, 2 ** 31 - 1), defaults,
          restore: (e) => e.exec(perSession),
          release: async () => {
            sessions.delete(pid);
            await pool.release(engine);
          },
          renew: async () => (await sessionEngine(params)).engine,
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
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    serveConnection(socket, ctx);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  // After listening, errors are about accepting one connection (EMFILE under a flood): log, keep serving.
  server.on('error', (err) => logger.warn({ err: err.message }, 'accept failed'));
  metrics?.observe({ sessions: () => sessions.size, idleEngines: () => pool.stats().idle, bootingEngines: () => pool.stats().warming });
  const metricsServer = metrics && (await serveMetrics({ host: config.server.metricsHost, port: config.server.metricsPort!, metrics, logger }).catch(async (err) => {
    await new Promise((resolve) => server.close(resolve));
    await pool.close();
    await jsm.close();
    throw err;
  }));
  const addr = server.address() as AddressInfo;
  logger.info({ host: addr.address, port: addr.port, tls: Boolean(tls) }, 'jsm-pg gateway listening');
  return {
    host: addr.address,
    port: addr.port,
    sessionCount: () => sessions.size,
    idleEngines: () => pool.stats().idle,
    metricsPort: metricsServer?.port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await Promise.all([...sessions.values()].map((s) => s.close()));
      await pool.close();
      await jsm.close();
      await metricsServer?.close();
    },
  };
}
