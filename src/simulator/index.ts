/**
 * Offline Jira Service Management simulator: a real HTTP server speaking the
 * servicedeskapi (and the platform endpoints around it) over generated data,
 * with fault injection and an admin API. See docs/simulator.md.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CallLog } from './call-log.ts';
import { FaultController } from './faults.ts';
import { SimOAuthServer } from './oauth2-server.ts';
import { prepareSso } from './idp-index.ts';
import { SimOAuth1Provider } from './oauth1-provider.ts';
import { Router } from './router.ts';
import { createAdminHandler } from './routes-admin.ts';
import { registerAttachmentRoutes } from './routes-attachments.ts';
import { registerCustomerRoutes } from './routes-customers.ts';
import { registerDeskRoutes } from './routes-desks.ts';
import { registerKnowledgeAndQueueRoutes } from './routes-knowledge-queues.ts';
import { registerOrganizationRoutes } from './routes-organizations.ts';
import { registerPlatformRoutes } from './routes-platform.ts';
import { registerActivityRoutes } from './routes-request-activity.ts';
import { registerStatusRoutes } from './routes-request-status.ts';
import { registerRequestRoutes } from './routes-requests.ts';
import { createRequestListener, type SimulatorCore } from './server.ts';
import { SpecIndex } from './spec-index.ts';
import { Store } from './store.ts';
import { SIM_SCALES, type RunningSimulator, type SimFaults, type SimulatorOptions } from './types.ts';

export type { RunningSimulator, SimFaults, SimLogger, SimScale, SimulatorOptions } from './types.ts';
export { SIM_IDENTITIES, type SimIdentity } from './identities.ts';
export type { SimDataset, SimDatasetEntry, SimDatasetKind, SimDatasetParents, SimDatasetTemporaryAttachment } from './dataset.ts';
export type { SimCall } from './call-log.ts';
export type { SimOAuth1Consumer, SimOAuth1Control, SimOAuth1Options } from './oauth1-provider.ts';
export { SIM_CLOUD_ID, SIM_OAUTH_APP, type SimOAuthCall, type SimOAuthControl } from './oauth2-server.ts';
export type { RunningCrowd, RunningOkta, RunningSso, SimCrowdOptions, SimOktaOptions, SimSsoOptions } from './idp-types.ts';
export { totp } from './idp-totp.ts';

function buildRouter(spec: SpecIndex): Router {
  const router = new Router((method, template) => spec.isExperimental(method, template));
  for (const register of [
    registerDeskRoutes,
    registerRequestRoutes,
    registerActivityRoutes,
    registerStatusRoutes,
    registerAttachmentRoutes,
    registerOrganizationRoutes,
    registerCustomerRoutes,
    registerKnowledgeAndQueueRoutes,
    registerPlatformRoutes,
  ]) {
    register(router);
  }
  return router;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 'small';
  const host = opts.host ?? '127.0.0.1';
  if (!SIM_SCALES.includes(scale)) throw new Error(`Unknown simulator scale '${scale}'; use ${SIM_SCALES.join(', ')}.`);
  if (!Number.isInteger(seed)) throw new Error(`The simulator seed must be an integer, got ${seed}.`);

  const spec = SpecIndex.load();
  let origin = '';
  const router = buildRouter(spec);
  const sso = opts.sso && prepareSso(opts.sso, router);
  const core: SimulatorCore = {
    store: new Store(seed, scale),
    router,
    sessions: sso?.sessions,
    spec,
    faults: new FaultController(seed, opts.faults),
    calls: new CallLog(),
    logger: opts.logger,
    inlinePageSize: opts.inlinePageSize,
    oauth1: opts.oauth1 ? new SimOAuth1Provider(opts.oauth1) : undefined,
    origin: () => origin,
  };
  const reset = () => {
    core.store.reset();
    core.faults.reset();
    core.calls.clear();
    opts.logger?.info({ seed, scale }, 'simulator reset');
  };
  const listener = createRequestListener(core, createAdminHandler(core, reset));
  // Atlassian's 3LO authorization server and API gateway, in front of the site (oauth2-server.ts)
  const oauth = new SimOAuthServer(() => origin);
  // over TLS when asked (tests of SSLServerCert and client certificates)
  const server = (opts.tls ? createHttpsServer(opts.tls) : createServer()).on('request', (req, res) => {
    oauth.intercept(req, res).then((handled) => (handled ? undefined : listener(req, res))).catch((err: unknown) => {
      opts.logger?.info({ err: String(err) }, 'simulator response failed');
      res.destroy();
    });
  });
  const port = await listen(server, opts.port ?? 0, host);
  origin = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  opts.logger?.info({ url: origin, seed, scale }, 'simulator listening');
  const runningSso = await sso?.start(origin, host);

  return {
    url: origin,
    port,
    setFaults: (f: Partial<SimFaults>) => core.faults.set(f),
    oauth,
    reset,
    oauth1: core.oauth1,
    sso: runningSso,
    close: async () => {
      await sso?.close();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
