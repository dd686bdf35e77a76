import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { API, as } from './helpers/client.ts';

let sim: RunningSimulator;
const agent = () => as(sim, 'agent');
const customer = () => as(sim, 'customer');
const R = `${API}/request/TEST-1`;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 1, scale: 'small' });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

describe('customer transitions', () => {
  it('lists the transitions open to the customer, translated on request', async () => {
    const res = await customer().get(`${R}/transition`);
    expect(res.status).toBe(200);
    expect(res.body.values).toEqual([
      { id: '11', name: 'Resolve this issue' },
      { id: '21', name: 'Cancel request' },
      { id: '31', name: 'Respond to support' },
    ]);
    const fr = await customer().get(`${R}/transition?limit=1`, { lang: 'fr' });
    expect(fr.body).toMatchObject({ size: 1, isLastPage: false, values: [{ id: '11', name: 'Résoudre ce problème' }] });
  });

  it('performs a transition with a comment; the status, changelog, comments and SLAs follow', async () => {
    const before = await agent().get(`${R}/status`);
    const done = await customer().post(`${R}/transition`, { id: '11', additionalComment: { body: 'Fixed on my side, thanks.' } });
    expect(done.status).toBe(204);
    expect(done.body).toBeUndefined();
    const request = await agent().get(`${R}?expand=status,sla,comment`);
    expect(request.body.currentStatus).toMatchObject({ status: 'Resolved', statusCategory: 'DONE' });
    expect(request.body.status.size).toBe(before.body.size + 1);
    expect(request.body.comments.values.at(-1)).toMatchObject({ body: 'Fixed on my side, thanks.', public: true });
    const resolution = request.body.sla.values.find((s: { id: string }) => s.id === '2');
    expect(resolution.ongoingCycle).toBeUndefined();
    expect(resolution.completedCycles.length).toBeGreaterThan(0);
    expect((await customer().get(`${R}/transition`)).body.values.map((t: { id: string }) => t.id)).toEqual(['41']);
    const closed = await agent().get(`${API}/request?requestOwnership=ALL_REQUESTS&requestStatus=CLOSED_REQUESTS&limit=100`);
    expect(closed.body.values.map((r: { issueKey: string }) => r.issueKey)).toContain('TEST-1');
  });

  it('rejects transitions that are not available', async () => {
    expect((await customer().post(`${R}/transition`, { id: '41' })).status).toBe(400);
    expect((await customer().post(`${R}/transition`, {})).status).toBe(400);
    expect((await agent().post(`${API}/request/TEST-404/transition`, { id: '11' })).status).toBe(404);
  });
});

describe('SLAs', () => {
  it('lists SLA cycles, ongoing and completed, for agents', async () => {
    const res = await agent().get(`${R}/sla`);
    expect(res.status).toBe(200);
    const [firstResponse, resolution] = res.body.values;
    expect(firstResponse).toMatchObject({ id: '1', name: 'Time to first response', slaDisplayFormat: 'NEW_SLA_FORMAT' });
    expect(firstResponse.completedCycles[0]).toMatchObject({ breached: false, goalDuration: { millis: 14_400_000, friendly: '4h 0m' } });
    expect(firstResponse.completedCycles[0].stopTime.epochMillis).toBeGreaterThan(firstResponse.completedCycles[0].startTime.epochMillis);
    expect(resolution.ongoingCycle).toMatchObject({ paused: true, withinCalendarHours: false });
    const one = await agent().get(`${R}/sla/2`);
    expect(one.body).toEqual(resolution);
    expect((await agent().get(`${R}/sla/77`)).status).toBe(404);
  });

  it('is stable between reads (the simulated clock does not drift)', async () => {
    const a = await agent().get(`${R}/sla`);
    await new Promise((r) => setTimeout(r, 20));
    const b = await agent().get(`${R}/sla`);
    expect(b.body).toEqual(a.body);
  });

  it('translates SLA names and refuses customers with 403', async () => {
    const de = await agent().get(`${R}/sla`, { lang: 'de' });
    expect(de.body.values.map((s: { name: string }) => s.name)).toEqual(['Zeit bis zur ersten Antwort', 'Zeit bis zur Lösung']);
    const refused = await customer().get(`${R}/sla`);
    expect(refused.status).toBe(403);
    expect((await customer().get(`${R}/sla/1`)).status).toBe(403);
  });
});

describe('status changelog', () => {
  it('lists status changes newest first, with categories and dates', async () => {
    const res = await customer().get(`${API}/request/10001/status`);
    expect(res.status).toBe(200);
    expect(res.body.values.map((s: { status: string }) => s.status)).toEqual(['Waiting for customer', 'In progress', 'Waiting for support']);
    expect(res.body.values[2]).toMatchObject({ statusCategory: 'NEW', statusDate: { epochMillis: expect.any(Number) } });
    const fr = await customer().get(`${API}/request/10001/status?start=1&limit=1`, { lang: 'fr' });
    expect(fr.body).toMatchObject({ start: 1, size: 1, isLastPage: false, values: [{ status: 'En cours' }] });
  });
});
