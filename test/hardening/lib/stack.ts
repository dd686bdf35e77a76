/**
 * The simulator and the gateway in-process, like test/helpers/gateway.ts startStack, but with a
 * simulator that can be stopped and started again on the same port (the gateway keeps its URL), for
 * the fault run's "simulator restart", and with the process-level failures (uncaught exceptions,
 * unhandled rejections) recorded, so a harness can say the process would have died.
 */
import { UserStore } from '../../../src/auth/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { startGateway, type RunningGateway } from '../../../src/server/gateway.ts';
import { startSimulator, type RunningSimulator, type SimFaults, type SimScale } from '../../../src/simulator/index.ts';
import { freePort } from '../../helpers/free-port.ts';

export interface HardeningStack {
  gateway: RunningGateway;
  /** The simulator currently running (a new object after each restart). */
  readonly sim: RunningSimulator;
  simUrl: string;
  url: string;
  port: number;
  setFaults(f: Partial<SimFaults>): void;
  /** Closes the simulator (dropping its connections), waits `downMs`, starts it again on the same port and seed. */
  restartSimulator(downMs: number): Promise<void>;
  close(): Promise<void>;
}


export async function startHardeningStack(opts: { scale?: SimScale; connection?: string; argv?: string[]; seed?: number } = {}): Promise<HardeningStack> {
  const scale = opts.scale ?? 'small';
  const seed = opts.seed ?? 1;
  const simPort = await freePort();
  let sim = await startSimulator({ port: simPort, scale, seed });
  let faults: Partial<SimFaults> = {};
  const connection = `AuthScheme=APIToken;URL=${sim.url};User=agent@example.com;APIToken=agent-token${opts.connection ? ';' + opts.connection : ''}`;
  const config = loadConfig({ argv: ['--port', '0', '--pool-size', '2', '--connection', connection, ...(opts.argv ?? [])], env: {} });
  const users = await UserStore.inMemory({ demo: 'demo' });
  const logger = createLogger({ level: process.env.JSM_PG_TEST_LOG ?? 'silent' });
  const gateway = await startGateway({ config, users, logger });
  return {
    gateway,
    get sim() {
      return sim;
    },
    simUrl: sim.url,
    port: gateway.port,
    url: `postgresql://demo:demo@127.0.0.1:${gateway.port}/jsm`,
    setFaults(f) {
      faults = { ...faults, ...f };
      sim.setFaults(f);
    },
    async restartSimulator(downMs) {
      await sim.close();
      await new Promise((r) => setTimeout(r, downMs));
      // The port was ours a moment ago; retry briefly in case the OS has not released it yet.
      for (let attempt = 0; ; attempt++) {
        try {
          sim = await startSimulator({ port: simPort, scale, seed, faults });
          return;
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async close() {
      await gateway.close();
      await sim.close();
    },
  };
}

/** Uncaught exceptions and unhandled rejections seen while a harness ran: each would have ended a real gateway process. */
export function watchProcess(): { failures: string[]; stop(): void } {
  const failures: string[] = [];
  const onError = (kind: string) => (err: unknown) => {
    failures.push(`${kind}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  };
  const uncaught = onError('uncaughtException');
  const unhandled = onError('unhandledRejection');
  process.on('uncaughtException', uncaught);
  process.on('unhandledRejection', unhandled);
  return {
    failures,
    stop() {
      process.off('uncaughtException', uncaught);
      process.off('unhandledRejection', unhandled);
    },
  };
}
