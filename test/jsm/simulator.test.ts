import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JsmClient } from '../../src/jsm/index.ts';
import { collect } from './fake-jsm.ts';

interface SimulatorModule {
  startSimulator(opts: { port: number; host?: string; seed?: number; scale: 'small' }): Promise<{ url: string; close(): Promise<void> }>;
}

// The simulator is built in parallel with this client; this test runs once its entry point exists.
const entry = fileURLToPath(new URL('../../src/simulator/index.ts', import.meta.url));

describe.skipIf(!existsSync(entry))('against the JSM simulator', () => {
  it('paginates /rest/servicedeskapi/request sequentially and in parallel to the same rows', async () => {
    const { startSimulator } = (await import(/* @vite-ignore */ entry)) as SimulatorModule;
    const sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 1, scale: 'small' });
    try {
      const credentials = { authScheme: 'APIToken', user: 'agent@example.com', apiToken: 'agent-token' } as const;
      const client = new JsmClient({ baseUrl: sim.url, credentials, cacheTtlMs: 0 });
      type Req = { issueKey: string };
      const keys = (pages: Req[][]): string[] => pages.flat().map((r) => r.issueKey);

      const sequential = keys(await collect(client.paginate<Req>('/rest/servicedeskapi/request', {}, { parallel: 1 })));
      expect(sequential.length).toBeGreaterThan(0);
      expect(new Set(sequential).size).toBe(sequential.length);

      // pageSize above the simulator's cap: the client must follow the clamped limit.
      const parallel = keys(
        await collect(client.paginate<Req>('/rest/servicedeskapi/request', {}, { pageSize: 1000, parallel: 4 })),
      );
      expect(parallel).toEqual(sequential);

      const limited = keys(await collect(client.paginate<Req>('/rest/servicedeskapi/request', {}, { maxRows: 7 })));
      expect(limited).toEqual(sequential.slice(0, 7));

      const wrong = new JsmClient({ baseUrl: sim.url, credentials: { ...credentials, apiToken: 'wrong-token' } });
      await expect(wrong.get('/rest/servicedeskapi/request')).rejects.toMatchObject({ code: '28000' });
    } finally {
      await sim.close();
    }
  });
});
