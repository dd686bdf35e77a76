import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/catalog/registry.ts';
import type { TableDecl } from '../../src/catalog/types.ts';
import { narrowingParams } from '../../src/executor/fetch-scan.ts';
import type { Row } from '../../src/executor/row-mapper.ts';
import { ScanCache, scanCacheFor, type CacheUse } from '../../src/executor/scan-cache.ts';
import type { ApiCall } from '../../src/planner/scan-plan.ts';

const requests = getCatalog().table('Requests')!;
const desks = getCatalog().table('ServiceDesks')!;

const listOf = (table: TableDecl, binding: Record<string, string> = {}, extra: Record<string, string> = {}): ApiCall =>
  ({ endpoint: 'list', decl: table.list, binding, extra });
const call = (c: ApiCall, limit?: number, table = requests) => ({ table, call: c, narrowing: narrowingParams(table), limit });
const use = (o: Partial<CacheUse> = {}): CacheUse => ({ signal: new AbortController().signal, cacheTtlMs: 60_000, cacheMode: 'use', ...o });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fetch that counts its runs, answers `rows` rows tagged with the run, after `ms`, and counts the aborts it saw. */
function fetcher(rows = 2, ms = 0) {
  const state = { runs: 0, aborted: 0 };
  const fetch = async (signal: AbortSignal): Promise<Row[]> => {
    const run = ++state.runs;
    if (ms) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          state.aborted++;
          reject(new Error('aborted'));
        }, { once: true });
      });
    }
    return Array.from({ length: rows }, (_, i) => ({ run, i }));
  };
  return Object.assign(fetch, { state });
}

describe('ScanCache: one cache per JSM identity', () => {
  it('serves a repeated call to every session of the identity, never to another identity', async () => {
    const id = `id-${Math.random()}`;
    expect(scanCacheFor(id)).toBe(scanCacheFor(id));
    const f = fetcher();
    const first = await scanCacheFor(id).rows(call(listOf(requests)), use(), f);
    expect(await scanCacheFor(id).rows(call(listOf(requests)), use(), f)).toBe(first);
    expect(f.state.runs).toBe(1);
    await scanCacheFor(`${id}-other`).rows(call(listOf(requests)), use(), f);
    expect(f.state.runs).toBe(2);
  });

  it('serves the same or stricter filters from a wider result, never wider, other or unexpanded ones', async () => {
    const cache = new ScanCache();
    const f = fetcher();
    await cache.rows(call(listOf(requests)), use(), f);
    await cache.rows(call(listOf(requests, { serviceDeskId: '1' })), use(), f);
    expect(f.state.runs).toBe(1);
    // a pseudo parameter (requestStatus) changes which rows come back: not a narrowing of the unfiltered list
    await cache.rows(call(listOf(requests, { requestStatus: 'OPEN_REQUESTS' })), use(), f);
    // an expand the cached result did not ask for
    await cache.rows(call(listOf(requests, {}, { expand: 'participant' })), use(), f);
    expect(f.state.runs).toBe(3);

    const narrow = new ScanCache();
    await narrow.rows(call(listOf(requests, { serviceDeskId: '1' })), use(), f);
    await narrow.rows(call(listOf(requests, { serviceDeskId: '2' })), use(), f);
    await narrow.rows(call(listOf(requests)), use(), f);
    expect(f.state.runs).toBe(6);
  });

  it('reuses a result fetched under a LIMIT only for the same call and limit; a full result serves any limit', async () => {
    const cache = new ScanCache();
    const f = fetcher();
    await cache.rows(call(listOf(requests), 3), use(), f);
    await cache.rows(call(listOf(requests), 3), use(), f);
    expect(f.state.runs).toBe(1);
    await cache.rows(call(listOf(requests, { serviceDeskId: '1' }), 3), use(), f);
    await cache.rows(call(listOf(requests)), use(), f);
    expect(f.state.runs).toBe(3);
    await cache.rows(call(listOf(requests), 5), use(), f);
    expect(f.state.runs).toBe(3);
  });

  it('keeps a result for its TTL; a TTL of 0 stores nothing', async () => {
    const cache = new ScanCache();
    const f = fetcher();
    await cache.rows(call(listOf(requests)), use({ cacheTtlMs: 40 }), f);
    await cache.rows(call(listOf(requests)), use(), f);
    expect(f.state.runs).toBe(1);
    await sleep(80);
    await cache.rows(call(listOf(requests)), use({ cacheTtlMs: 0 }), f);
    await cache.rows(call(listOf(requests)), use({ cacheTtlMs: 0 }), f);
    expect(f.state.runs).toBe(3);
    expect(cache.size).toBe(0);
  });

  it('bypass fetches even when cached, and stores what it fetched', async () => {
    const cache = new ScanCache();
    const f = fetcher();
    await cache.rows(call(listOf(requests)), use(), f);
    const fresh = await cache.rows(call(listOf(requests)), use({ cacheMode: 'bypass' }), f);
    expect(fresh[0]).toMatchObject({ run: 2 });
    expect(await cache.rows(call(listOf(requests)), use(), f)).toBe(fresh);
  });

  it('clears one relation or all of them', async () => {
    const cache = new ScanCache();
    const f = fetcher();
    await cache.rows(call(listOf(requests)), use(), f);
    await cache.rows(call(listOf(desks), undefined, desks), use(), f);
    cache.clear('Requests');
    await cache.rows(call(listOf(desks), undefined, desks), use(), f);
    expect(f.state.runs).toBe(2);
    await cache.rows(call(listOf(requests)), use(), f);
    expect(f.state.runs).toBe(3);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('a fetch in flight when the cache is cleared is joined by no later caller and not stored', async () => {
    const cache = new ScanCache();
    const f = fetcher(2, 60);
    const before = cache.rows(call(listOf(requests)), use(), f);
    await sleep(10);
    cache.clear('Requests');
    const after = cache.rows(call(listOf(requests)), use(), f);
    expect((await before)[0]).toMatchObject({ run: 1 });
    expect((await after)[0]).toMatchObject({ run: 2 });
    expect(await cache.rows(call(listOf(requests)), use(), f)).toBe(await after);
    expect(f.state.runs).toBe(2);
  });

  it('hands out frozen rows: no session can change what another reads', async () => {
    const rows = await new ScanCache().rows(call(listOf(requests)), use(), fetcher());
    expect(() => rows.push({})).toThrow(TypeError);
    expect(() => {
      rows[0]!.run = 99;
    }).toThrow(TypeError);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new ScanCache({ maxEntries: 2 });
    const f = fetcher();
    const desk = (id: string) => call(listOf(requests, { serviceDeskId: id }));
    await cache.rows(desk('1'), use(), f);
    await cache.rows(desk('2'), use(), f);
    await cache.rows(desk('1'), use(), f);
    await cache.rows(desk('3'), use(), f);
    expect(cache.size).toBe(2);
    await cache.rows(desk('1'), use(), f);
    expect(f.state.runs).toBe(3);
    await cache.rows(desk('2'), use(), f);
    expect(f.state.runs).toBe(4);
  });

  it('stays within maxCells and does not store a result larger than the whole budget', async () => {
    const width = requests.columns.length;
    const cache = new ScanCache({ maxCells: 5 * width });
    const desk = (id: string) => call(listOf(requests, { serviceDeskId: id }));
    await cache.rows(desk('1'), use(), fetcher(3));
    await cache.rows(desk('2'), use(), fetcher(3));
    expect(cache.size).toBe(1);
    expect(cache.cells).toBe(3 * width);
    await cache.rows(desk('3'), use(), fetcher(6));
    expect(cache.size).toBe(1);
    expect(cache.cells).toBe(3 * width);
  });
});

describe('ScanCache: identical calls in flight are made once', () => {
  it('shares one fetch between the callers asking at the same time', async () => {
    const cache = new ScanCache();
    const f = fetcher(2, 50);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => cache.rows(call(listOf(requests)), use({ cacheMode: 'bypass' }), f)));
    expect(f.state.runs).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(cache.coalesced).toBe(2);
  });

  it('one caller cancelling neither fails the others nor stops their fetch', async () => {
    const cache = new ScanCache();
    const f = fetcher(2, 80);
    const ac = new AbortController();
    const cancelled = cache.rows(call(listOf(requests)), use({ signal: ac.signal }), f);
    const kept = cache.rows(call(listOf(requests)), use(), f);
    await sleep(10);
    ac.abort();
    await expect(cancelled).rejects.toMatchObject({ code: '57014' });
    await expect(kept).resolves.toHaveLength(2);
    expect(f.state).toEqual({ runs: 1, aborted: 0 });
  });

  it('stops the fetch once every caller has gone, and a newcomer starts a new one', async () => {
    const cache = new ScanCache();
    const f = fetcher(2, 200);
    const ac = new AbortController();
    const waiting = [1, 2].map(() => cache.rows(call(listOf(requests)), use({ signal: ac.signal }), f));
    await sleep(10);
    ac.abort();
    expect(await Promise.allSettled(waiting)).toMatchObject([{ status: 'rejected' }, { status: 'rejected' }]);
    expect(f.state.aborted).toBe(1);
    const fresh = fetcher(2);
    expect((await cache.rows(call(listOf(requests)), use(), fresh))[0]).toMatchObject({ run: 1 });
    expect(fresh.state.runs).toBe(1);
  });
});
