import { afterEach, describe, expect, it } from 'vitest';
import { JsmClient } from '../../src/jsm/index.ts';
import { agent, collect, json, pagedHandler, startFakeJsm, type FakeJsm, type Handler } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const ids = (pages: { id: number }[][]): number[] => pages.flat().map((r) => r.id);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const client = (f: FakeJsm, extra: Partial<ConstructorParameters<typeof JsmClient>[0]> = {}): JsmClient =>
  new JsmClient({ baseUrl: f.baseUrl, credentials: agent, ...extra });

/**
 * Pages of 50; the page at start s >= `from` is answered only once the request for the page
 * `ahead` pages after it has arrived (pages near the end, which have none, at once). Only a
 * client keeping `ahead + 1` requests out gets through, however fast or slow the machine; a
 * narrower window waits until the test times out.
 */
function aheadGate(o: { total: number; ahead: number; from: number }): Handler {
  const answer = pagedHandler({ total: o.total });
  const arrived = new Map<number, () => void>();
  const waits = new Map<number, Promise<void>>();
  const arrival = (start: number): Promise<void> => {
    let p = waits.get(start);
    if (!p) {
      p = new Promise<void>((resolve) => arrived.set(start, resolve));
      waits.set(start, p);
    }
    return p;
  };
  return async (call, res, req) => {
    const start = Number(call.query.get('start') ?? 0);
    void arrival(start);
    arrived.get(start)!();
    const awaited = start + o.ahead * 50;
    if (start >= o.from && awaited < o.total) await arrival(awaited);
    await answer(call, res, req);
  };
}

describe('paginate (servicedesk envelope)', () => {
  it('reads every row in order, sequentially', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 237 }));
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { parallel: 1 }));
    expect(ids(pages)).toEqual(range(0, 237));
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 37]);
    expect(fake.calls.map((c) => c.query.get('start'))).toEqual(['0', '50', '100', '150', '200']);
    expect(fake.maxConcurrent).toBe(1);
  });

  it('asks for every page it expects at once when the listing\'s size is known, and none in vain', async () => {
    fake = await startFakeJsm(aheadGate({ total: 1000, ahead: 7, from: 0 }));
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { parallel: 8, expectedRows: 1000 }));
    expect(ids(pages)).toEqual(range(0, 1000));
    // Each page was answered only after the request 7 pages ahead of it had arrived: with fewer
    // than 8 out from the first page on, the scan would never end.
    expect(fake.maxConcurrent).toBe(8);
    expect(fake.calls).toHaveLength(20);
  });

  it('follows the pages when the listing grew or shrank since its size was noted', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 1234 }));
    expect(ids(await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { expectedRows: 1000 })))).toEqual(range(0, 1234));
    await fake.close();
    fake = await startFakeJsm(pagedHandler({ total: 321 }));
    expect(ids(await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { expectedRows: 1000 })))).toEqual(range(0, 321));
  });

  it('of a listing of unknown size, asks for at most a fifth of its pages in vain', async () => {
    for (const pagesInListing of [1, 2, 4, 5, 9, 10, 11, 20, 37]) {
      fake = await startFakeJsm(pagedHandler({ total: pagesInListing * 50 }));
      const pages = await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { parallel: 8 }));
      expect(ids(pages)).toEqual(range(0, pagesInListing * 50));
      expect(fake.calls.length, `${pagesInListing} pages`).toBeLessThanOrEqual(pagesInListing + Math.floor(pagesInListing / 5));
      await fake.close();
      fake = undefined;
    }
  });

  it('scans 10,000 rows of unknown size keeping 8 requests out at every step after the ramp-up', async () => {
    // Wall time against pages ÷ concurrency × latency is measured by bench/scan-wall-time.ts.
    // speculativeWidth reaches 8 after 34 pages: from there, fewer than 8 out would never end.
    fake = await startFakeJsm(aheadGate({ total: 10_000, ahead: 7, from: 35 * 50 }));
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request'));
    expect(ids(pages)).toEqual(range(0, 10_000));
    expect(fake.maxConcurrent).toBe(8);
    // the pages past the end asked for at the last step, unless still queued for a connection when the end came
    expect(fake.calls.length).toBeGreaterThanOrEqual(200);
    expect(fake.calls.length).toBeLessThanOrEqual(200 + 7);
  });

  it('defaults parallelism to maxConcurrency and never exceeds it', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 2000, delayMs: 20 }));
    const pages = await collect(client(fake, { maxConcurrency: 3 }).paginate<{ id: number }>('/rest/servicedeskapi/request'));
    expect(ids(pages)).toEqual(range(0, 2000));
    expect(fake.maxConcurrent).toBe(3);
  });

  it('stops at maxRows without requesting pages beyond it', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 1000 }));
    const pages = await collect(
      client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { maxRows: 120, parallel: 8 }),
    );
    expect(ids(pages)).toEqual(range(0, 120));
    expect(fake.calls.map((c) => c.query.get('start')).sort()).toEqual(['0', '100', '50']);
  });

  it('asks only for maxRows when it is smaller than a page', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 1000 }));
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { maxRows: 7 }));
    expect(ids(pages)).toEqual(range(0, 7));
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].query.get('limit')).toBe('7');
  });

  it('follows the limit the server clamps to, with no gaps', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 205, maxLimit: 20 }));
    const pages = await collect(
      client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { pageSize: 100, parallel: 4 }),
    );
    expect(ids(pages)).toEqual(range(0, 205));
    const starts = fake.calls.map((c) => Number(c.query.get('start')));
    expect(starts.filter((s) => s % 20 !== 0)).toEqual([]);
  });

  it('stops at an empty page and at isLastPage, and honours a caller start offset', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 100 }));
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', { start: 30 }));
    expect(ids(pages)).toEqual(range(30, 100));
  });

  it('reports progress through onPage', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 120 }));
    const seen: { pages: number; rows: number }[] = [];
    await collect(client(fake).paginate('/rest/servicedeskapi/request', {}, { onPage: (p) => seen.push(p) }));
    expect(seen).toEqual([
      { pages: 1, rows: 50 },
      { pages: 2, rows: 100 },
      { pages: 3, rows: 120 },
    ]);
  });

  it('fails the whole scan if any page fails (never a shorter result)', async () => {
    const ok = pagedHandler({ total: 500 });
    fake = await startFakeJsm((call, res, req) =>
      call.query.get('start') === '150' ? json(res, 403, { errorMessage: 'nope' }) : ok(call, res, req),
    );
    const rows: number[] = [];
    const scan = (async () => {
      for await (const page of client(fake as FakeJsm).paginate<{ id: number }>('/rest/servicedeskapi/request')) {
        rows.push(...page.map((r) => r.id));
      }
    })();
    await expect(scan).rejects.toMatchObject({ code: '42501' });
    expect(rows).toEqual(range(0, 150));
  });

  it('aborts speculative requests when the consumer stops early', async () => {
    fake = await startFakeJsm(pagedHandler({ total: 5000, delayMs: 30 }));
    for await (const page of client(fake).paginate<{ id: number }>('/rest/servicedeskapi/request', {}, { parallel: 8 })) {
      expect(page[0].id).toBe(0);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.length).toBeLessThanOrEqual(1 + 8);
  });

  it('rejects a body that is not a page', async () => {
    fake = await startFakeJsm((_call, res) => json(res, 200, { hello: 'world' }));
    await expect(collect(client(fake).paginate('/rest/servicedeskapi/request'))).rejects.toMatchObject({ code: 'HV000' });
  });
});

describe('paginate (platform style)', () => {
  it('pages a plain array with startAt/maxResults until an empty page, continuing after a short page from its size', async () => {
    fake = await startFakeJsm((call, res) => {
      const startAt = Number(call.query.get('startAt'));
      const max = Number(call.query.get('maxResults'));
      const rows = range(startAt, Math.min(startAt + max, 73)).map((id) => ({ id }));
      json(res, 200, rows);
    });
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/api/3/users/search', {}, { pageSize: 25, parallel: 1 }));
    expect(ids(pages)).toEqual(range(0, 73));
    expect(fake.calls.map((c) => c.query.get('startAt'))).toEqual(['0', '25', '50', '73']);
  });

  it('pages {values, isLast}', async () => {
    fake = await startFakeJsm((call, res) => {
      const startAt = Number(call.query.get('startAt'));
      const values = range(startAt, Math.min(startAt + 10, 30)).map((id) => ({ id }));
      json(res, 200, { startAt, maxResults: 10, isLast: startAt + 10 >= 30, values });
    });
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/api/2/x', {}, { pageSize: 10, style: 'platform' }));
    expect(ids(pages)).toEqual(range(0, 30));
    expect(fake.calls).toHaveLength(3);
  });

  it('takes the listing\'s size from a PageBean\'s total and asks for the rest at once', async () => {
    fake = await startFakeJsm(async (call, res) => {
      await new Promise((r) => setTimeout(r, 20));
      const startAt = Number(call.query.get('startAt'));
      const values = range(startAt, Math.min(startAt + 10, 95)).map((id) => ({ id }));
      json(res, 200, { startAt, maxResults: 10, total: 95, isLast: startAt + 10 >= 95, values });
    });
    const pages = await collect(client(fake).paginate<{ id: number }>('/rest/api/2/x', {}, { pageSize: 10, parallel: 8, style: 'platform' }));
    expect(ids(pages)).toEqual(range(0, 95));
    expect(fake.calls).toHaveLength(10);
    expect(fake.maxConcurrent).toBeGreaterThan(1);
  });
});
