import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSimulatorArgs, SIMULATOR_USAGE } from '../../src/simulator/cli.ts';

const CLI = fileURLToPath(new URL('../../src/simulator/cli.ts', import.meta.url));

describe('simulator CLI arguments', () => {
  it('has documented defaults', () => {
    expect(parseSimulatorArgs([])).toEqual({ help: false, options: { port: 8080, host: '127.0.0.1', seed: 1, scale: 'small', faults: {} } });
  });

  it('parses every flag, in both --flag value and --flag=value forms', () => {
    const parsed = parseSimulatorArgs([
      '--port', '0', '--seed=42', '--scale', 'medium', '--host', '0.0.0.0',
      '--latency-ms', '25', '--rate-limit=10', '--error-rate', '0.05', '--reset-rate', '0.01', '--slow-body-ms', '100',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        port: 0,
        host: '0.0.0.0',
        seed: 42,
        scale: 'medium',
        faults: { latencyMs: 25, rateLimitPerSecond: 10, errorRate: 0.05, resetRate: 0.01, slowBodyMs: 100 },
      },
    });
    expect(parseSimulatorArgs(['--scale', 'large', '-h'])).toEqual({ help: true });
    expect(SIMULATOR_USAGE).toMatch(/--rate-limit N/);
  });

  it.each([
    [['--port', 'abc']],
    [['--port']],
    [['--scale', 'huge']],
    [['--error-rate', '1.5']],
    [['--latency-ms', '-1']],
    [['--bogus']],
  ])('rejects %j with a usage error', (argv) => {
    expect(() => parseSimulatorArgs(argv)).toThrow(expect.objectContaining({ code: '22023' }));
  });
});

describe('runSimulatorCommand', () => {
  it('serves until SIGTERM, printing the URL and identities', async () => {
    const script = `import(${JSON.stringify(CLI)}).then((m) => m.runSimulatorCommand(['--port', '0', '--seed', '3']))`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match && out.includes('Press Ctrl+C')) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    expect(out).toContain('agent@example.com / API token agent-token');
    expect(out).toContain('customer@example.com / API token customer-token');
    const info = await fetch(`${url}/rest/servicedeskapi/info`);
    expect(info.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('Received SIGTERM');
  });
});
