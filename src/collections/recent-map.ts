/**
 * A Map of at most `maxEntries`, dropping the least recently set (or `get`) key first: the caches
 * of parse results, plans and listing sizes. Map order is recency: setting or getting a key moves it
 * to the end, so the first key is the one to drop. `peek` reads without moving it.
 */
export class RecentMap<K, V> {
  readonly #map = new Map<K, V>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.#map.size;
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  get(key: K): V | undefined {
    if (!this.#map.has(key)) return undefined;
    const value = this.#map.get(key) as V;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.maxEntries) this.#map.delete(this.#map.keys().next().value as K);
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}
