import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnginePool, spareCpu } from '../../src/engine/pool.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { buildInThread } from '../../src/engine/engine.ts';

/**
 * The warm pool with real engines: sessions that find it empty are served first come, first served
 * by boots bounded in number, and a refill waits while the process has no core to spare.
 */
describe('EnginePool', () => {
  let snapshot: Blob;
  beforeAll(async () => {
    snapshot = await buildInThread('CREATE TABLE t (x int); INSERT INTO t VALUES (1);');
  }, 120_000);

  const open: Engine[] = [];
  afterAll(async () => {
    await Promise.all(open.map((e) => e.close()));
  });

  it('serves waiting sessions in arrival order, one boot at a time, and refills only when allowed', async () => {
    let allowRefill = false;
    const pool = new EnginePool({ snapshot, size: 1, maxBoots: 1, prepare: () => 'CREATE TEMP TABLE IF NOT EXISTS p (y int)', refillAllowed: () => allowRefill });
    try {
      await pool.warm();
      expect(pool.stats()).toEqual({ idle: 1, warming: 0, waiting: 0 });
      const order: number[] = [];
      const acquired = [0, 1, 2].map((i) => pool.acquire().then((e) => {
        order.push(i);
        open.push(e);
        return e;
      }));
      // the first takes the idle engine; the other two wait for one boot at a time
      await acquired[0];
      expect(pool.stats()).toMatchObject({ idle: 0, warming: 1, waiting: 2 });
      const engines = await Promise.all(acquired);
      expect(order).toEqual([0, 1, 2]);
      expect(new Set(engines).size).toBe(3);
      for (const e of engines) expect((await e.query<{ x: number }>('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
      // nothing waits and the CPU is said to be busy: no refill
      await new Promise((r) => setTimeout(r, 700));
      expect(pool.stats()).toEqual({ idle: 0, warming: 0, waiting: 0 });
      allowRefill = true;
      for (let i = 0; i < 600 && pool.stats().idle < 1; i++) await new Promise((r) => setTimeout(r, 100));
      expect(pool.stats()).toEqual({ idle: 1, warming: 0, waiting: 0 });
    } finally {
      await pool.close();
    }
  }, 180_000);

  it('boots on every core once the oldest waiting session has waited long, and one fewer before', async () => {
    // each boot takes over a second (its prepare sleeps), so the waits grow while boots run
    const peakBoots = async (longWaitMs?: number) => {
      const pool = new EnginePool({ snapshot, size: 0, maxBoots: 1, longWaitMs, prepare: () => 'SELECT pg_sleep(1.2)', refillAllowed: () => false });
      let peak = 0;
      const watch = setInterval(() => (peak = Math.max(peak, pool.stats().warming)), 20);
      try {
        open.push(...(await Promise.all([0, 1, 2].map(() => pool.acquire()))));
        return peak;
      } finally {
        clearInterval(watch);
        await pool.close();
      }
    };
    expect(await peakBoots()).toBe(1);
    // at the first boot's end the second and third sessions have waited past 300 ms: the last two boot side by side
    expect(await peakBoots(300)).toBe(Math.min(2, Math.max(1, availableParallelism())));
  }, 120_000);

  it('a closed pool fails the sessions still waiting', async () => {
    const pool = new EnginePool({ snapshot, size: 0, maxBoots: 1, prepare: () => '', refillAllowed: () => false });
    const waiting = pool.acquire();
    await pool.close();
    await expect(waiting).rejects.toThrow(/closed/);
  }, 60_000);

  it('spareCpu: a core of the machine idle in the last window', () => {
    let wall = 0;
    let idle = 0;
    const spare = spareCpu(2, () => wall, () => idle);
    wall = 100;
    expect(spare()).toBe(false); // too short a window to tell
    wall = 600;
    idle = 700; // 1.17 cores idle over 600 ms
    expect(spare()).toBe(true);
    wall = 1200;
    idle = 700 + 300; // half a core idle
    expect(spare()).toBe(false);
    wall = 60_000; // a window this long is measured afresh
    idle = 100_000;
    expect(spare()).toBe(false);
  });
});
