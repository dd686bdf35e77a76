// The image's health check outside a container: where it resolves the gateway's port from (the
// same flags, environment and config file as serve), and its probe against the real gateway over
// TCP, and against a port that is bound but not yet served (a gateway still starting).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatewayProcess, listenAddress, probe } from '../../src/cli/health-probe.ts';
import { listen } from '../../src/server/listener.ts';
import { useStack } from '../helpers/stack-client.ts';

const cwd = process.cwd();
const at = (args: string[], env: NodeJS.ProcessEnv = {}, dir = cwd) => listenAddress({ args, env, cwd: dir });

describe('where the health check probes', () => {
  it('follows --port, then JSM_PG_PORT, then the default, like serve', () => {
    expect(at(['serve', '--host', '0.0.0.0', '--port', '6543'])).toEqual({ host: '127.0.0.1', port: 6543 });
    expect(at(['serve'], { JSM_PG_PORT: '7000' })).toEqual({ host: '127.0.0.1', port: 7000 });
    expect(at(['--port', '6000'], { JSM_PG_PORT: '7000' }).port).toBe(6000);
    expect(at([]).port).toBe(5432);
  });

  it("follows a config file's server section, relative to the gateway's working directory", () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsm-pg-health-'));
    writeFileSync(join(dir, 'gw.yaml'), 'server:\n  port: 6100\n  host: "::"\n');
    expect(at(['serve', '--config', 'gw.yaml'], {}, dir)).toEqual({ host: '::1', port: 6100 });
  });

  it('refuses what it cannot probe: another command, a port chosen at start', () => {
    expect(() => at(['simulator', '--port', '8080'])).toThrow(/not the gateway/);
    expect(() => at(['serve', '--port', '0'])).toThrow(/--port 0/);
  });

  it('reads a process from /proc only when it runs jsm-pg', () => {
    expect(gatewayProcess(process.pid)).toBeUndefined(); // vitest's worker, not jsm-pg
  });
});

describe('the probe', () => {
  const t = useStack();

  it('passes on a serving gateway (an SSLRequest answered)', async () => {
    await expect(probe('127.0.0.1', t.stack.port, 5000)).resolves.toBeUndefined();
  });

  it('fails on a port nothing listens on, naming it', async () => {
    const closed = await listen('127.0.0.1', 0);
    const port = closed.port;
    await closed.close();
    await expect(probe('127.0.0.1', port, 5000)).rejects.toThrow(`127.0.0.1:${port}`);
  });

  it('fails while the port is bound but the gateway does not serve yet', async () => {
    const starting = await listen('127.0.0.1', 0);
    try {
      await expect(probe('127.0.0.1', starting.port, 300)).rejects.toThrow(/no answer within 300 ms/);
    } finally {
      await starting.close();
    }
  });
});
