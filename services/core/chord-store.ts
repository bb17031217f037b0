// Provider records one ring member holds (dht mode), shared by its virtual
// nodes: sha256 → provider → expiry. Records expire unless their publisher
// refreshes them, so a provider that left stops being served without anyone
// having to flood deletions. Keys per member and providers per key are
// capped, so a store flood cannot grow memory without bound.

/** A provider record lives this long unless refreshed (publishers refresh at half of it). */
export const RECORD_TTL_MS = 30 * 60_000;
/** Content hashes one member keeps records for; past it a new key is refused (a store flood cannot grow memory). */
export const MAX_KEYS = 100_000;
/** Providers kept per content hash; past it a new provider is refused. */
export const MAX_PROVIDERS_PER_KEY = 64;
/** Expired records are swept at most this often. */
const SWEEP_EVERY_MS = 10_000;

export type StoreRefusal = 'chord_keys' | 'chord_providers';

export interface ChordRecord {
  sha256: string;
  providers: string[];
}

export interface StoreLimits {
  /** Records not refreshed within this are dropped; 0 keeps them until handed over. */
  ttlMs: number;
  maxKeys: number;
  maxProvidersPerKey: number;
}

export class RecordStore {
  private readonly records = new Map<string, Map<string, number>>();
  private readonly limits: StoreLimits;
  private sweptAt = -Infinity;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ttlMs: RECORD_TTL_MS, maxKeys: MAX_KEYS, maxProvidersPerKey: MAX_PROVIDERS_PER_KEY, ...limits };
  }

  /** Keys held. */
  get size(): number {
    return this.records.size;
  }

  /** Provider records over all keys. */
  get providerCount(): number {
    let n = 0;
    for (const set of this.records.values()) n += set.size;
    return n;
  }

  /** Adds or refreshes providers of a record, within the caps; each refusal is reported. */
  put(sha256: string, providers: readonly string[], now: number, refused: (reason: StoreRefusal) => void = () => {}): void {
    let set = this.records.get(sha256);
    if (!set) {
      if (this.records.size >= this.limits.maxKeys) return refused('chord_keys');
      this.records.set(sha256, (set = new Map()));
    }
    const until = this.limits.ttlMs > 0 ? now + this.limits.ttlMs : Infinity;
    for (const p of providers) {
      if (!set.has(p) && set.size >= this.limits.maxProvidersPerKey) {
        refused('chord_providers');
        continue;
      }
      set.set(p, until);
    }
  }

  /** The live providers of a record. */
  providers(sha256: string, now: number): string[] {
    const set = this.records.get(sha256);
    if (!set) return [];
    const live: string[] = [];
    for (const [p, until] of set) if (until > now) live.push(p);
    return live;
  }

  has(sha256: string): boolean {
    return this.records.has(sha256);
  }

  /** Records whose key satisfies `inArc` (a ring interval test on the key's position). */
  select(inArc: (sha256: string) => boolean): ChordRecord[] {
    const out: ChordRecord[] = [];
    for (const [sha256, set] of this.records) if (inArc(sha256)) out.push({ sha256, providers: [...set.keys()] });
    return out;
  }

  /** Drops providers not refreshed in time (at most every few seconds); returns how many keys went away. */
  expire(now: number): number {
    if (now - this.sweptAt < SWEEP_EVERY_MS) return 0;
    this.sweptAt = now;
    let gone = 0;
    for (const [sha256, set] of this.records) {
      for (const [p, until] of set) if (until <= now) set.delete(p);
      if (set.size === 0) {
        this.records.delete(sha256);
        gone++;
      }
    }
    return gone;
  }
}
