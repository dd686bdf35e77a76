/**
 * Seeded pseudo-random numbers. Everything the simulator invents (data, fault
 * decisions) goes through this so that one seed always yields the same world.
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Up to `n` distinct items, keeping the source order stable for readability. */
  sample<T>(items: readonly T[], n: number): T[];
  /** 24 lower-case hex digits, the shape of an Atlassian account id. */
  hex(len: number): string;
  uuid(): string;
}

/** mulberry32: tiny, fast and good enough for test data (not for crypto). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (len: number) => {
    let out = '';
    while (out.length < len) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
    return out.slice(0, len);
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    sample: (items, n) => {
      if (n >= items.length) return [...items];
      const chosen = new Set<number>();
      while (chosen.size < n) chosen.add(Math.floor(next() * items.length));
      return [...chosen].sort((x, y) => x - y).map((i) => items[i]);
    },
    hex,
    uuid: () => {
      const h = hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}

/** Derives independent streams from one seed so adding draws in one area does not shift another. */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
