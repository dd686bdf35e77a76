/**
 * Response cache shared by every client of the same identity. Bodies are kept
 * as text and parsed per caller, so one adapter mutating a result cannot change
 * what another session reads. Bounded by entry count and by bytes, evicting the
 * least recently used entry first.
 */
interface Entry {
  identity: string;
  text: string;
  expiresAt: number;
}

export interface ResponseCacheLimits {
  maxEntries?: number;
  maxBytes?: number;
}

export class ResponseCache {
  readonly maxEntries: number;
  readonly maxBytes: number;
  // Map iteration order is insertion order: re-inserting on read makes the first key the LRU one.
  readonly #entries = new Map<string, Entry>();
  readonly #keysByIdentity = new Map<string, Set<string>>();
  // Bumped on every invalidation; a fetch started under an older generation must not store its result.
  readonly #generations = new Map<string, number>();
  #bytes = 0;

  constructor(limits: ResponseCacheLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 5_000;
    this.maxBytes = limits.maxBytes ?? 128 * 1024 * 1024;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  static key(identity: string, requestKey: string): string {
    return `${identity}\n${requestKey}`;
  }

  get(identity: string, requestKey: string, now = Date.now()): string | undefined {
    const key = ResponseCache.key(identity, requestKey);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) {
      this.#forget(key, entry);
      return undefined;
    }
    this.#entries.set(key, entry);
    return entry.text;
  }

  generation(identity: string): number {
    return this.#generations.get(identity) ?? 0;
  }

  /** Stores unless the identity was invalidated since `generation` was read. */
  set(identity: string, requestKey: string, text: string, ttlMs: number, generation: number, now = Date.now()): void {
    if (ttlMs <= 0 || generation !== this.generation(identity)) return;
    const size = text.length * 2;
    if (size > this.maxBytes) return;
    const key = ResponseCache.key(identity, requestKey);
    const previous = this.#entries.get(key);
    if (previous) {
      this.#entries.delete(key);
      this.#forget(key, previous);
    }
    this.#entries.set(key, { identity, text, expiresAt: now + ttlMs });
    this.#bytes += size;
    let keys = this.#keysByIdentity.get(identity);
    if (!keys) this.#keysByIdentity.set(identity, (keys = new Set()));
    keys.add(key);
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry];
      this.#entries.delete(oldestKey);
      this.#forget(oldestKey, oldest);
    }
  }

  invalidate(identity: string): void {
    this.#generations.set(identity, this.generation(identity) + 1);
    const keys = this.#keysByIdentity.get(identity);
    if (!keys) return;
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry) {
        this.#entries.delete(key);
        this.#bytes -= entry.text.length * 2;
      }
    }
    this.#keysByIdentity.delete(identity);
  }

  /** Bookkeeping for an entry already removed from #entries. */
  #forget(key: string, entry: Entry): void {
    this.#bytes -= entry.text.length * 2;
    const keys = this.#keysByIdentity.get(entry.identity);
    keys?.delete(key);
    if (keys && keys.size === 0) this.#keysByIdentity.delete(entry.identity);
  }
}

/** The process-wide cache every JsmClient uses. */
export const sharedResponseCache = new ResponseCache();
