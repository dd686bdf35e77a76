import { describe, expect, it } from 'vitest';
import { EngineGate } from '../../src/engine/engine-gate.ts';

/** Issue 14: engine requests at once, first come first served; long ones give their place back. */
describe('EngineGate', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('lets four per core in, the rest in arrival order as places free up', async () => {
    const gate = new EngineGate(1, 60_000);
    const order: number[] = [];
    const releases = await Promise.all([gate.enter(), gate.enter(), gate.enter(), gate.enter()]);
    const later = [2, 3, 4].map((i) => gate.enter().then((release) => (order.push(i), release)));
    await tick();
    expect(gate.queued).toBe(3);
    releases[0]!();
    releases[0]!(); // once only
    await tick();
    expect(order).toEqual([2]);
    releases[1]!();
    await tick();
    expect(order).toEqual([2, 3]);
    for (const r of await Promise.all(later.slice(0, 2))) r();
    await tick();
    expect(order).toEqual([2, 3, 4]);
    (await later[2]!)();
    expect(gate.queued).toBe(0);
  });

  it('a request running past the slice gives its place back while it goes on', async () => {
    const gate = new EngineGate(1, 30);
    for (let i = 0; i < 4; i++) await gate.enter();
    let entered = false;
    const third = gate.enter().then((r) => ((entered = true), r));
    await tick();
    expect(entered).toBe(false);
    (await third)();
    expect(entered).toBe(true);
  });

  it('one per core while a pool says its boots are overdue, four again after', async () => {
    const gate = new EngineGate(2, 60_000);
    const pool = {};
    gate.narrow(pool, true);
    expect(gate.limit).toBe(2);
    const held = await Promise.all([gate.enter(), gate.enter()]);
    let entered = 0;
    const more = [gate.enter(), gate.enter()].map((p) => p.then((r) => (entered++, r)));
    await tick();
    expect(entered).toBe(0);
    gate.narrow(pool, false);
    expect(gate.limit).toBe(8);
    await tick();
    expect(entered).toBe(2);
    for (const r of [...held, ...(await Promise.all(more))]) r();
  });
});
