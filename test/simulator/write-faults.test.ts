/**
 * Write faults: `writeErrorRate` answers writes 500 without applying them, `lostResponseRate`
 * applies them and then drops the connection. The gateway's "nothing lost, nothing doubled,
 * nothing claimed" tests rely on exactly that split, checked here against /__sim/dataset.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSimulatorArgs } from '../../src/simulator/cli.ts';
import { startSimulator, type RunningSimulator, type SimCall, type SimDataset } from '../../src/simulator/index.ts';
import { admin, API, as, call } from './helpers/client.ts';

let sim: RunningSimulator;
const R = `${API}/request/10001`;
const dataset = async (target = sim): Promise<SimDataset> => (await admin(target, 'GET', 'dataset')).body;
const calls = async (target = sim): Promise<SimCall[]> => (await admin(target, 'GET', 'calls')).body;
const commentsOf = (d: SimDataset, requestId: string) => d.entities['request.comment'].filter((e) => e.parent.requestId === requestId).map((e) => e.item);

/** What the client saw: the status, or 'lost' when the connection ended without a response. */
async function outcome(target: RunningSimulator, method: string, path: string, body?: unknown): Promise<number | 'lost'> {
  try {
    return (await call(target, 'agent', method, path, { body })).status;
  } catch {
    return 'lost';
  }
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

describe('lostResponseRate', () => {
  it('applies the write, then resets the connection before any response', async () => {
    sim.setFaults({ lostResponseRate: 1 });
    await expect(as(sim, 'agent').post(`${R}/comment`, { body: 'Lost but applied', public: false })).rejects.toThrow();
    const added = commentsOf(await dataset(), '10001').filter((c) => c.body === 'Lost but applied');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ public: false, author: { accountId: expect.any(String) } });
    expect((await calls()).at(-1)).toMatchObject({ method: 'POST', path: `${R}/comment`, status: 0, fault: 'lost-response' });
  });

  it('applies creates too: the request exists although the client got nothing', async () => {
    sim.setFaults({ lostResponseRate: 1 });
    const before = (await dataset()).entities.request.length;
    const body = { serviceDeskId: '2', requestTypeId: '12', requestFieldValues: { summary: 'Lost create', customfield_10011: 'Share' } };
    expect(await outcome(sim, 'POST', `${API}/request`, body)).toBe('lost');
    const requests = (await dataset()).entities.request;
    expect(requests).toHaveLength(before + 1);
    expect(requests.filter((e) => e.item.summary === 'Lost create')).toHaveLength(1);
  });

  it('leaves reads and refused writes alone: they answer as usual and are not marked', async () => {
    sim.setFaults({ lostResponseRate: 1 });
    expect((await as(sim, 'agent').get(`${R}/comment`)).status).toBe(200);
    const refused = await as(sim, 'agent').post(`${R}/comment`, { body: '' });
    expect(refused.status).toBe(400);
    expect((await calls()).map((c) => c.fault)).toEqual([undefined, undefined]);
  });
});

describe('writeErrorRate', () => {
  it('answers every kind of write 500 and applies none of them', async () => {
    const before = await dataset();
    sim.setFaults({ writeErrorRate: 1 });
    const writes: Array<[string, string, unknown]> = [
      ['POST', `${R}/comment`, { body: 'Never stored', public: true }],
      ['POST', `${R}/transition`, { id: '31' }],
      ['POST', `${R}/participant`, { accountIds: ['5b10ac8d82e05b22cc7d4ef5'] }],
      ['POST', `${R}/approval/10002`, { decision: 'approve' }],
      ['POST', `${API}/organization`, { name: 'Never created' }],
      ['DELETE', `${API}/organization/1`, undefined],
      ['POST', `${API}/request`, { serviceDeskId: '2', requestTypeId: '12', requestFieldValues: { summary: 'x', customfield_10011: 'y' } }],
    ];
    for (const [method, path, body] of writes) {
      const res = await call(sim, 'agent', method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(500);
      expect(res.body.i18nErrorMessage.i18nKey).toBe('sd.api.simulated.failure');
    }
    expect(await dataset()).toEqual(before);
    const logged = await calls();
    expect(logged).toHaveLength(writes.length);
    expect(logged.every((c) => c.fault === 'write-error' && c.status === 500)).toBe(true);
    // Reads are not writes.
    expect((await as(sim, 'agent').get(`${R}/comment`)).status).toBe(200);
  });
});

describe('determinism and settings', () => {
  const faults = { writeErrorRate: 0.3, lostResponseRate: 0.3 };
  /** 30 sequential comment POSTs: what the client saw for each. */
  const run = async (target: RunningSimulator) => {
    const seen: Array<number | 'lost'> = [];
    for (let i = 0; i < 30; i++) seen.push(await outcome(target, 'POST', `${R}/comment`, { body: `c${i}`, public: true }));
    return seen;
  };

  it('gives the same faults for one seed and call sequence, and applies exactly the 201s and the lost ones', async () => {
    const [a, b, c] = await Promise.all([
      startSimulator({ port: 0, seed: 5, faults }),
      startSimulator({ port: 0, seed: 5, faults }),
      startSimulator({ port: 0, seed: 6, faults }),
    ]);
    try {
      const first = await run(a);
      expect(first).toContain(500);
      expect(first).toContain('lost');
      expect(first).toContain(201);
      expect(await run(b)).toEqual(first);
      expect(await run(c)).not.toEqual(first);

      const stored = commentsOf(await dataset(a), '10001').map((x) => String(x.body)).filter((text) => /^c\d+$/.test(text));
      const expected = first.flatMap((o, i) => (o === 500 ? [] : [`c${i}`]));
      expect(stored).toEqual(expected);
      const marks = (await calls(a)).map((x) => x.fault ?? 'none');
      expect(marks).toEqual(first.map((o) => (o === 500 ? 'write-error' : o === 'lost' ? 'lost-response' : 'none')));

      a.reset();
      a.setFaults(faults);
      expect(await run(a)).toEqual(first);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('keeps the reset/error sequence of a seed whatever the write settings', async () => {
    const [plain, withWrites] = await Promise.all([
      startSimulator({ port: 0, seed: 9, faults: { errorRate: 0.4 } }),
      startSimulator({ port: 0, seed: 9, faults: { errorRate: 0.4, writeErrorRate: 0.5, lostResponseRate: 0.5 } }),
    ]);
    try {
      const statuses = async (target: RunningSimulator) => {
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await call(target, 'agent', 'GET', `${API}/servicedesk`)).status);
        return out;
      };
      const seen = await statuses(plain);
      expect(seen.some((s) => s >= 500)).toBe(true);
      expect(await statuses(withWrites)).toEqual(seen);
    } finally {
      await Promise.all([plain.close(), withWrites.close()]);
    }
  });

  it('takes the new keys through PUT /__sim/faults, as shares between 0 and 1', async () => {
    const put = (body: unknown) => admin(sim, 'PUT', 'faults', body);
    expect((await put({ writeErrorRate: 0.25, lostResponseRate: 1 })).body).toMatchObject({ writeErrorRate: 0.25, lostResponseRate: 1 });
    expect((await put({ writeErrorRate: 1.5 })).status).toBe(400);
    expect((await put({ lostResponseRate: -0.1 })).status).toBe(400);
    expect((await put({ lostResponseRate: 'often' })).status).toBe(400);
    expect((await admin(sim, 'GET', 'faults')).body).toMatchObject({ writeErrorRate: 0.25, lostResponseRate: 1 });
    expect(() => sim.setFaults({ writeErrorRate: 2 })).toThrow(RangeError);
    await admin(sim, 'POST', 'reset');
    expect((await admin(sim, 'GET', 'faults')).body).toMatchObject({ writeErrorRate: 0, lostResponseRate: 0 });
  });

  it('has CLI flags for both', () => {
    const parsed = parseSimulatorArgs(['--write-error-rate', '0.1', '--lost-response-rate=0.05']);
    expect(parsed).toMatchObject({ help: false, options: { faults: { writeErrorRate: 0.1, lostResponseRate: 0.05 } } });
    expect(() => parseSimulatorArgs(['--lost-response-rate', '2'])).toThrow(/--lost-response-rate must be between 0 and 1/);
  });
});
