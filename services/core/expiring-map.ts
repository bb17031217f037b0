// A map with a size bound and a lifetime per entry. Backs the duplicate table
// and every reverse-route table: a hostile peer can fill it, never grow it.
// Insertion order doubles as age order, so eviction and expiry are O(1)
// amortised without timers: expired entries are dropped as they are met.

export interface ExpiringMapOptions {
  maxEntries: number;
  ttlMs: number;
  now: () => number;
}

export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly options: ExpiringMapOptions;
  private evictedCount = 0;
  /** No entry expires before this (a lower bound; the clock is monotonic), so set() skips the scan until then. */
  private earliestExpiry = Infinity;

  constructor(options: ExpiringMapOptions) {
    if (options.maxEntries < 1) throw new RangeError('maxEntries must be at least 1');
    this.options = options;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries pushed out by the size bound (not by expiry) since creation. */
  get evicted(): number {
    return this.evictedCount;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets (or refreshes) an entry; the newest entry is the last to go. */
  set(key: K, value: V): void {
    const now = this.options.now();
    this.entries.delete(key);
    const expiresAt = now + this.options.ttlMs;
    this.entries.set(key, { value, expiresAt });
    if (expiresAt < this.earliestExpiry) this.earliestExpiry = expiresAt;
    if (this.entries.size > this.options.maxEntries || this.earliestExpiry <= now) this.prune(now);
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Deletes every entry whose value matches, e.g. routes through a closed link. */
  deleteWhere(match: (value: V, key: K) => boolean): number {
    let n = 0;
    for (const [key, entry] of this.entries) {
      if (match(entry.value, key)) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }

  private prune(now: number): void {
    this.earliestExpiry = Infinity;
    for (const [key, entry] of this.entries) {
      if (this.entries.size > this.options.maxEntries) {
        this.entries.delete(key);
        this.evictedCount++;
      } else if (entry.expiresAt <= now) {
        this.entries.delete(key);
      } else {
        // Insertion order is age order: the first live entry expires first.
        this.earliestExpiry = entry.expiresAt;
        break;
      }
    }
  }
}
