// The image's health check (dist/healthcheck.js): is the gateway serving on the port it was told to
// listen on? It resolves the port and address from the gateway's own command line, environment and
// working directory (read in /proc), through the same configuration loading as
// `jsm-pg serve`, so `--port`, `JSM_PG_PORT` and a config file's `server.port` are all followed.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { loadConfig } from '../config/index.ts';
import { StartupCode } from '../protocol/frontend-messages.ts';

/** What the probe needs to know of a gateway process. */
export interface GatewayProcess {
  /** Its arguments after the script (bin/jsm-pg.js, dist/main.js): a command and its flags. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const SCRIPT = /(^|\/)(jsm-pg(\.js)?|main\.js)$/;

/** Process `pid` as Linux shows it in /proc, if it runs jsm-pg (undefined for any other process). */
export function gatewayProcess(pid: number): GatewayProcess | undefined {
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
  const script = cmdline.findIndex((a) => SCRIPT.test(a));
  if (script < 0 || !/(^|\/)node$/.test(cmdline[0] ?? '')) return undefined;
  const env: NodeJS.ProcessEnv = {};
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return { args: cmdline.slice(script + 1), env, cwd: readlinkSync(`/proc/${pid}/cwd`) };
}

/** The container's gateway: the oldest jsm-pg process (process 1, or the child of an init such as `docker run --init`). */
export function containerGateway(): GatewayProcess {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    if (pid === process.pid) continue;
    try {
      const found = gatewayProcess(pid);
      if (found) return found;
    } catch {
      // gone, or another user's
    }
  }
  throw new Error('no jsm-pg process found; give the health check the serve flags (e.g. --port)');
}

/** Where `jsm-pg <args>` listens, as serve resolves it; a wildcard address is probed on loopback. */
export function listenAddress(gateway: GatewayProcess): { host: string; port: number } {
  const [first, ...rest] = gateway.args;
  // the CLI's rule: no command, or a flag first, means serve
  const serveArgs = first === undefined || first.startsWith('-') ? gateway.args : first === 'serve' ? rest : undefined;
  if (!serveArgs) throw new Error(`the process runs "jsm-pg ${first}", not the gateway`);
  const { host, port } = loadConfig({ argv: [...serveArgs], env: gateway.env, cwd: gateway.cwd }).server;
  if (port === 0) throw new Error('the gateway listens on a port chosen at start (--port 0); give the health check --port');
  const probeHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return { host: probeHost, port };
}

/**
 * Sends an SSLRequest and waits for the one-byte answer ('S' or 'N'). The gateway answers only once
 * it serves (connections arriving while it starts wait, accepted, see src/server/listener.ts), so
 * an answer means ready; no login is attempted, so nothing is logged as a failed one.
 */
export function probe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`${host}:${port}: ${why}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.on('error', (err) => fail(err.message));
    socket.on('connect', () => {
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(StartupCode.SslRequest, 4);
      socket.write(request);
    });
    socket.once('data', (data) => {
      const answer = String.fromCharCode(data[0]!);
      socket.destroy();
      if (answer === 'S' || answer === 'N') resolve();
      else reject(new Error(`${host}:${port}: not a PostgreSQL answer to SSLRequest`));
    });
  });
}

/** `healthcheck [serve flags]`: with flags, probes where they say; without, where the container's gateway listens. Exit code 0 or 1. */
export async function runHealthcheck(argv: readonly string[], timeoutMs = 4000): Promise<number> {
  try {
    const gateway = argv.length > 0 ? { args: argv, env: process.env, cwd: process.cwd() } : containerGateway();
    const { host, port } = listenAddress(gateway);
    await probe(host, port, timeoutMs);
    return 0;
  } catch (err) {
    process.stderr.write(`jsm-pg health check: ${(err as Error).message}\n`);
    return 1;
  }
}
