import { describe, expect, it } from 'vitest';
import { RecentMap } from '../../src/collections/recent-map.ts';

describe('RecentMap', () => {
  it('holds at most maxEntries, dropping the least recently set or got key; peek leaves the order', () => {
    const m = new RecentMap<string, number>(3);
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    expect(m.get('a')).toBe(1); // a is now the most recent
    expect(m.peek('b')).toBe(2); // b stays the least recent
    m.set('d', 4);
    expect(m.size).toBe(3);
    expect(m.has('b')).toBe(false);
    expect([m.has('a'), m.has('c'), m.has('d')]).toEqual([true, true, true]);
    m.set('c', 30); // setting again makes it recent
    m.set('e', 5);
    expect(m.has('a')).toBe(false);
    expect(m.peek('c')).toBe(30);
  });

  it('keeps null and undefined values apart from absent keys', () => {
    const m = new RecentMap<string, number | null>(2);
    m.set('x', null);
    expect(m.has('x')).toBe(true);
    expect(m.get('x')).toBeNull();
    expect(m.get('y')).toBeUndefined();
    m.clear();
    expect(m.size).toBe(0);
  });
});
