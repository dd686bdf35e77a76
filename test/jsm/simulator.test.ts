import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsmClient } from '../../src/jsm/index.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { collect } from './fake-jsm.ts';

const credentials = { authScheme: 'APIToken', user: 'agent@example.com', apiToken: 'agent-token' } as const;
type Req = { issueKey: string };
// Agents see only their own requests by default; ALL_REQUESTS gives a multi-page scan.
const ALL = { requestOwnership: 'ALL_REQUESTS' };
const keys = (pages: Req[][]): string[] => pages.flat().map((r) => r.issueKey);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 'small' });
});
afterAll(async () => {
  await sim.close();
});

describe('against the JSM simulator', () => {
  it('paginates /rest/servicedeskapi/request sequentially and in parallel to the same rows', async () => {
    const client = new JsmClient({ baseUrl: sim.url, credentials });
    const sequential = keys(await collect(client.paginate<Req>('/rest/servicedeskapi/request', ALL, { parallel: 1 })));
    expect(sequential.length).toBeGreaterThan(50);
    expect(new Set(sequential).size).toBe(sequential.length);

    const parallel = keys(
      await collect(client.paginate<Req>('/rest/servicedeskapi/request', ALL, { pageSize: 8, parallel: 4 })),
    );
    expect(parallel).toEqual(sequential);

    const limited = keys(await collect(client.paginate<Req>('/rest/servicedeskapi/request', ALL, { maxRows: 7 })));
    expect(limited).toEqual(sequential.slice(0, 7));
  });

  it('retries through injected rate limiting and rejects a wrong token', async () => {
    const client = new JsmClient({ baseUrl: sim.url, credentials, retryBaseMs: 5, maxRetries: 8 });
    const baseline = keys(await collect(client.paginate<Req>('/rest/servicedeskapi/request', ALL, { parallel: 1 })));
    sim.setFaults({ rateLimitPerSecond: 2 });
    try {
      const throttled = keys(
        await collect(client.paginate<Req>('/rest/servicedeskapi/request', ALL, { pageSize: 20, parallel: 4 })),
      );
      expect(throttled).toEqual(baseline);
      expect(client.stats().retries).toBeGreaterThan(0);
    } finally {
      sim.setFaults({ rateLimitPerSecond: 0 });
    }
    const wrong = new JsmClient({ baseUrl: sim.url, credentials: { ...credentials, apiToken: 'wrong-token' } });
    await expect(wrong.get('/rest/servicedeskapi/request')).rejects.toMatchObject({ code: '28000' });
  });
});
