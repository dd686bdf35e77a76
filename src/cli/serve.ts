// `jsm-pg serve`: load the configuration, start the simulator in demo mode, start the
// PostgreSQL listener, print how to connect, and shut down cleanly on SIGINT/SIGTERM.
import type pino from 'pino';
import { addUserHint, DEMO_USER, UserStore } from '../auth/index.ts';
import { loadConfig, withConnectionOverrides, type GatewayConfig } from '../config/index.ts';
import { PgError, SqlState } from '../errors/index.ts';
import { createLogger } from '../observability/logger.ts';
import type { Listener } from '../server/listener.ts';
import { psqlCommand } from './connect-hint.ts';
import type { CliIo } from './io.ts';

/** The simulator's fixed agent account; its site accepts exactly these credentials. */
export const DEMO_CONNECTION = Object.freeze({ AuthScheme: 'APIToken', User: 'agent@example.com', APIToken: 'agent-token' });
const DEMO_SEED = 1;

interface Closable {
  close(): Promise<void>;
}
export interface RunningSimulator extends Closable {
  url: string;
  port: number;
}
export interface RunningGateway extends Closable {
  host: string;
  port: number;
}
/** Contract of src/simulator/index.ts as used here. */
export interface SimulatorModule {
  startSimulator(opts: { port: number; host: string; seed: number; scale: GatewayConfig['server']['simScale'] }): Promise<RunningSimulator>;
}
/** Contract of src/server/listener.ts as used here. */
export interface ListenerModule {
  listen(host: string, port: number): Promise<Listener>;
}
/** Contract of src/server/gateway.ts as used here. */
export interface GatewayModule {
  startGateway(opts: { config: GatewayConfig; users: UserStore; logger: pino.Logger; listener?: Listener }): Promise<RunningGateway>;
}

/** Where serve finds the simulator and the gateway; replaceable so the flow can be tested alone. */
export interface ServeModules {
  simulator(): Promise<SimulatorModule>;
  gateway(): Promise<GatewayModule>;
  /** Binds the port before anything slow; without it the gateway binds it itself. */
  listener?(): Promise<ListenerModule>;
}

// Loaded lazily: `user` and `--help` must work without the engine, and demo-only code stays
// unloaded. Literal specifiers, so that `npm run build` bundles them (as chunks loaded on demand).
const DEFAULT_MODULES: ServeModules = {
  simulator: () => import('../simulator/index.ts'),
  gateway: () => import('../server/gateway.ts'),
  listener: () => import('../server/listener.ts'),
};

export interface ServeHandle {
  readonly config: GatewayConfig;
  readonly gateway: RunningGateway;
  readonly simulator?: RunningSimulator;
  readonly logger: pino.Logger;
  /** Close the gateway, then the simulator; errors are logged, not thrown. */
  stop(): Promise<void>;
}

async function loadUsers(cfg: GatewayConfig, logger: pino.Logger): Promise<UserStore> {
  const path = cfg.server.usersFile;
  // passthrough logins are JSM's to check: no gateway users needed
  if (path === undefined && cfg.server.passthrough) return UserStore.inMemory({});
  const refuse = (why: string): PgError =>
    new PgError(SqlState.InvalidAuthorizationSpecification, `${why}, so nobody could log in; refusing to start`, {
      hint: `${addUserHint(path)} and start with --users-file ${path ?? 'PATH'} (or use --demo to try the simulator).`,
    });
  if (path === undefined) throw refuse('no gateway users are configured (--users-file)');
  const users = await UserStore.fromFile(path, { log: logger });
  if (users.size === 0) throw refuse(`users file ${path} has no users`);
  return users;
}

async function closeQuietly(what: string, target: Closable | undefined, logger: pino.Logger): Promise<void> {
  try {
    await target?.close();
  } catch (err) {
    logger.error({ err }, `error while closing the ${what}`);
  }
}

/** Start everything and print the connect line; installs no signal handlers. */
export async function startServe(argv: readonly string[], io: CliIo, modules: ServeModules = DEFAULT_MODULES): Promise<ServeHandle> {
  let cfg = loadConfig({ argv: [...argv], env: io.env, cwd: io.cwd });
  const logger = createLogger({ level: cfg.server.logLevel, format: cfg.server.logFormat });
  const demo = cfg.server.demo;
  let simulator: RunningSimulator | undefined;
  let users: UserStore;
  let gateway: RunningGateway;
  // The port first (a taken one fails in a moment, with a hint), then the simulator, the gateway's
  // code and the users side by side; the gateway warms up and serves what waited on the port.
  const listener = await (await modules.listener?.())?.listen(cfg.server.host, cfg.server.port);
  try {
    const gatewayModule = modules.gateway();
    gatewayModule.catch(() => undefined); // awaited below, unless something before fails first
    if (demo) {
      const { startSimulator } = await modules.simulator();
      const [sim, demoUsers] = await Promise.all([
        startSimulator({ port: cfg.server.simPort, host: '127.0.0.1', seed: DEMO_SEED, scale: cfg.server.simScale }),
        UserStore.inMemory({ [DEMO_USER.name]: DEMO_USER.password }),
      ]);
      simulator = sim;
      logger.info({ url: simulator.url, scale: cfg.server.simScale }, 'demo mode: simulator started');
      cfg = withConnectionOverrides(cfg, { ...DEMO_CONNECTION, URL: simulator.url });
      users = demoUsers;
    } else {
      users = await loadUsers(cfg, logger);
      users.watch(); // users added or removed while the gateway runs count at their next login
    }
    const { startGateway } = await gatewayModule;
    gateway = await startGateway({ config: cfg, users, logger, listener });
  } catch (err) {
    await listener?.close();
    await closeQuietly('simulator', simulator, logger);
    throw err;
  }

  const tls = cfg.server.tlsCert !== undefined;
  io.stdout.write(
    `jsm-pg is ready${demo ? ` (demo mode, simulated site ${simulator?.url ?? ''})` : ''}. Connect with:\n` +
      `  ${psqlCommand({ host: gateway.host, port: gateway.port, tls, demoUser: demo ? DEMO_USER : undefined })}\n`,
  );
  const stop = async (): Promise<void> => {
    users.stopWatching();
    await closeQuietly('gateway', gateway, logger);
    await listener?.close(); // the gateway's close closes it; a replaced gateway module may not
    await closeQuietly('simulator', simulator, logger);
  };
  return { config: cfg, gateway, simulator, logger, stop };
}

/** `jsm-pg serve`: run until SIGINT/SIGTERM, then close gateway and simulator and exit 0. */
export async function runServe(argv: readonly string[], io: CliIo): Promise<number> {
  const handle = await startServe(argv, io);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal means the user does not want to wait for connections to drain.
      process.exit(1);
    }
    stopping = true;
    handle.logger.info({ signal }, 'shutting down');
    void handle.stop().then(() => {
      handle.logger.flush();
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return 0;
}
