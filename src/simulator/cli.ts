/**
 * `jsm-pg simulator [options]`: runs the simulator on its own until SIGINT or
 * SIGTERM. Bad flags throw the CLI's UsageError so the caller exits with 2.
 */
import { UsageError } from '../config/index.ts';
import { SIM_IDENTITIES, startSimulator } from './index.ts';
import { SIM_SCALES, type SimFaults, type SimScale, type SimulatorOptions } from './types.ts';

export const SIMULATOR_USAGE = `Usage: jsm-pg simulator [options]

Runs an offline Jira Service Management site (servicedeskapi + platform user
endpoints) with generated data, until interrupted. Admin API under /__sim/.

Options:
  --port N            port to listen on (default 8080; 0 = any free port)
  --host H            address to bind (default 127.0.0.1)
  --seed N            data and fault seed (default 1)
  --scale S           ${SIM_SCALES.join(' | ')} (default small)
  --latency-ms N      delay every API call by N ms
  --rate-limit N      allow N calls per second, then answer 429 with Retry-After
  --error-rate F      answer this share (0..1) of calls with a 5xx
  --reset-rate F      drop this share (0..1) of connections without an answer
  --write-error-rate F
                      answer this share (0..1) of writes 500 without applying them
  --lost-response-rate F
                      apply this share (0..1) of writes, then drop the connection
  --slow-body-ms N    trickle every response body over N ms
  -h, --help          show this text
`;

const FAULT_FLAGS: Record<string, keyof SimFaults> = {
  '--latency-ms': 'latencyMs',
  '--rate-limit': 'rateLimitPerSecond',
  '--error-rate': 'errorRate',
  '--reset-rate': 'resetRate',
  '--write-error-rate': 'writeErrorRate',
  '--lost-response-rate': 'lostResponseRate',
  '--slow-body-ms': 'slowBodyMs',
};

function number(flag: string, raw: string | undefined, integer: boolean): number {
  const value = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} needs a non-negative ${integer ? 'integer' : 'number'}, got "${raw ?? ''}".`);
  }
  return value;
}

function splitFlag(arg: string): [flag: string, inline: string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

/** Parses the flags above; accepts `--flag value` and `--flag=value`. */
export function parseSimulatorArgs(argv: readonly string[]): { help: true } | { help: false; options: SimulatorOptions } {
  const options: SimulatorOptions = { port: 8080, host: '127.0.0.1', seed: 1, scale: 'small' };
  const faults: Partial<SimFaults> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]);
    if (flag === '--help' || flag === '-h') return { help: true };
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = number(flag, value(), true);
    else if (flag === '--seed') options.seed = number(flag, value(), true);
    else if (flag === '--host') options.host = value() ?? '';
    else if (flag === '--scale') {
      const scale = value();
      if (!SIM_SCALES.includes(scale as SimScale)) throw new UsageError(`--scale must be one of ${SIM_SCALES.join(', ')}, got "${scale ?? ''}".`);
      options.scale = scale as SimScale;
    } else if (flag in FAULT_FLAGS) faults[FAULT_FLAGS[flag]] = number(flag, value(), false);
    else throw new UsageError(`unknown simulator option "${argv[i]}".`, 'Run "jsm-pg simulator --help" for usage.');
  }
  if (!options.host) throw new UsageError('--host needs a value.');
  const rates = ['--error-rate', '--reset-rate', '--write-error-rate', '--lost-response-rate'];
  const tooHigh = rates.find((flag) => (faults[FAULT_FLAGS[flag]] ?? 0) > 1);
  if (tooHigh) throw new UsageError(`${tooHigh} must be between 0 and 1.`);
  return { help: false, options: { ...options, faults } };
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export async function runSimulatorCommand(argv: string[]): Promise<void> {
  const parsed = parseSimulatorArgs(argv);
  if (parsed.help) {
    process.stdout.write(SIMULATOR_USAGE);
    return;
  }
  const sim = await startSimulator(parsed.options);
  const { agent, customer } = SIM_IDENTITIES;
  process.stdout.write(
    [
      `JSM simulator listening on ${sim.url} (seed ${parsed.options.seed}, scale ${parsed.options.scale})`,
      `  agent:    ${agent.email} / API token ${agent.apiToken}  (Data Center: ${agent.username} / ${agent.password})`,
      `            Bearer PAT ${agent.pat}, OAuth ${agent.oauthToken}`,
      `  customer: ${customer.email} / API token ${customer.apiToken}  (Data Center: ${customer.username} / ${customer.password})`,
      `  admin:    ${sim.url}/__sim/calls, /__sim/faults, /__sim/dataset, POST /__sim/reset`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const signal = await waitForSignal();
  process.stdout.write(`Received ${signal}, stopping the simulator.\n`);
  await sim.close();
}
