import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addUserToFile, type UserStore } from '../../src/auth/index.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { startServe, type GatewayModule, type ServeModules, type SimulatorModule } from '../../src/cli/serve.ts';
import type { GatewayConfig } from '../../src/config/index.ts';

function io(env: NodeJS.ProcessEnv = {}) {
  let out = '';
  const stdout = new PassThrough();
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  const value: CliIo = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env, cwd: process.cwd() };
  return { io: value, stdout: () => out };
}

function fakes() {
  const events: string[] = [];
  const seen: { sim?: Parameters<SimulatorModule['startSimulator']>[0]; config?: GatewayConfig; users?: UserStore } = {};
  const simulator: SimulatorModule = {
    async startSimulator(opts) {
      seen.sim = opts;
      events.push('sim:start');
      return { url: 'http://127.0.0.1:45678', port: 45678, close: async () => void events.push('sim:close') };
    },
  };
  const gateway: GatewayModule = {
    async startGateway(opts) {
      seen.config = opts.config;
      seen.users = opts.users;
      events.push('gw:start');
      return { host: opts.config.server.host, port: 15432, close: async () => void events.push('gw:close') };
    },
  };
  const modules: ServeModules = { simulator: async () => simulator, gateway: async () => gateway };
  return { modules, events, seen };
}

describe('serve', () => {
  it('demo mode points the gateway at the simulator with the demo user', async () => {
    const { modules, events, seen } = fakes();
    const t = io();
    const handle = await startServe(['--log-level', 'silent', '--sim-scale', 'medium', '--sim-port', '0'], t.io, modules);
    expect(seen.sim).toEqual({ port: 0, host: '127.0.0.1', seed: 1, scale: 'medium' });
    expect(seen.config?.connection).toMatchObject({
      AuthScheme: 'APIToken',
      URL: 'http://127.0.0.1:45678',
      User: 'agent@example.com',
      APIToken: 'agent-token',
    });
    expect(seen.config?.server.demo).toBe(true);
    expect(seen.users?.names()).toEqual(['demo']);
    expect(await seen.users?.verify('demo', 'demo')).toBe(true);
    expect(t.stdout()).toContain('psql "postgresql://demo:demo@127.0.0.1:15432/jsm"');
    await handle.stop();
    expect(events).toEqual(['sim:start', 'gw:start', 'gw:close', 'sim:close']);
  });

  it('uses the users file outside demo mode and prints a template line', async () => {
    const { modules, events, seen } = fakes();
    const path = join(mkdtempSync(join(tmpdir(), 'jsm-pg-serve-')), 'users.json');
    await addUserToFile(path, 'alice', 'pw');
    const t = io({ JSM_URL: 'https://example.atlassian.net', JSM_API_TOKEN: 'tok' });
    const handle = await startServe(['--log-level', 'silent', '--users-file', path, '--host', '0.0.0.0'], t.io, modules);
    expect(events).toEqual(['gw:start']);
    expect(seen.config?.connection.URL).toBe('https://example.atlassian.net');
    expect(seen.users?.names()).toEqual(['alice']);
    expect(t.stdout()).toContain('psql "host=127.0.0.1 port=15432 user=<you> dbname=jsm"');
    expect(t.stdout()).not.toContain('tok');
    await handle.stop();
  });

  it('closes the simulator when the gateway fails to start', async () => {
    const { modules, events } = fakes();
    const failing: ServeModules = {
      simulator: modules.simulator,
      gateway: async () => ({
        startGateway: async () => {
          throw new Error('port in use');
        },
      }),
    };
    await expect(startServe(['--log-level', 'silent', '--demo'], io().io, failing)).rejects.toThrow('port in use');
    expect(events).toEqual(['sim:start', 'sim:close']);
  });
});
