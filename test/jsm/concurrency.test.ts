import { afterEach, describe, expect, it } from 'vitest';
import { JsmClient } from '../../src/jsm/index.ts';
import { Semaphore } from '../../src/jsm/semaphore.ts';
import { agent, delay, json, startFakeJsm, type FakeJsm } from './fake-jsm.ts';

let fake: FakeJsm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('per-origin concurrency cap', () => {
  it('is shared by every client of the origin, whatever their identity', async () => {
    fake = await startFakeJsm(async (_c, res) => {
      await delay(40);
      json(res, 200, {});
    });
    const a = new JsmClient({ baseUrl: fake.baseUrl, credentials: agent, maxConcurrency: 3 });
    const b = new JsmClient({
      baseUrl: fake.baseUrl,
      credentials: { authScheme: 'Basic', user: 'other', password: 'pw' },
      maxConcurrency: 3,
    });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).get(`/rest/servicedeskapi/x/${i}`)),
    );
    expect(fake.calls).toHaveLength(12);
    expect(fake.maxConcurrent).toBe(3);
  });

  it('a request cancelled while queued never reaches the server', async () => {
    fake = await startFakeJsm(async (_c, res) => {
      await delay(100);
      json(res, 200, {});
    });
    const c = new JsmClient({ baseUrl: fake.baseUrl, credentials: agent, maxConcurrency: 1 });
    const ac = new AbortController();
    const first = c.get('/rest/servicedeskapi/one');
    const queued = c.get('/rest/servicedeskapi/two', {}, { signal: ac.signal });
    await delay(20);
    ac.abort();
    await expect(queued).rejects.toMatchObject({ code: '57014' });
    await first;
    expect(fake.calls.map((x) => x.pathname)).toEqual(['/rest/servicedeskapi/one']);
  });
});

describe('Semaphore', () => {
  it('grants in FIFO order and caps active holders', async () => {
    const sem = new Semaphore(2);
    const order: number[] = [];
    const releases = await Promise.all([sem.acquire(), sem.acquire()]);
    const waiters = [1, 2, 3].map((n) => sem.acquire().then((release) => (order.push(n), release)));
    expect(sem.active).toBe(2);
    expect(sem.waiting).toBe(3);
    releases[0]();
    releases[0]();
    releases[1]();
    const [r1, r2] = await Promise.all(waiters.slice(0, 2));
    expect(order).toEqual([1, 2]);
    r1();
    r2();
    (await waiters[2])();
    expect(order).toEqual([1, 2, 3]);
    expect(sem.active).toBe(0);
  });

  it('removes an aborted waiter from the queue', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const ac = new AbortController();
    const waiting = sem.acquire(ac.signal);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ code: '57014' });
    expect(sem.waiting).toBe(0);
    release();
    expect(sem.active).toBe(0);
  });

  it('raising the limit wakes waiters', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const next = sem.acquire();
    sem.setLimit(2);
    await expect(next).resolves.toBeTypeOf('function');
  });
});
