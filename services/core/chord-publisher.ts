// What a member announces to the ring (dht mode): the provider records of
// the files it indexes. Incremental: a record goes out when it is new and
// again only before it would expire at its replicas; a withdrawn record is
// not chased, it expires. One lookup finds the arc a key falls in and its r
// replicas; every other due key in that arc goes with it, and records are
// sent batched per member. Replicas repair themselves when members come and
// go (chord.ts), so a publisher does not re-send on churn.
import { CHORD_BITS, chordId, inHalfOpen, replicasFrom, type ChordRef, type LookupCallback } from './chord.js';
import { RECORD_TTL_MS, type ChordRecord } from './chord-store.js';

/** An arc learnt from a lookup is reused this long (members that joined since are covered by replica fallback). */
export const ARC_CACHE_MS = 60_000;

export interface Announcement {
  sha256: string;
  provider: string;
}

export interface PublisherHost {
  lookup(key: number, done: LookupCallback, maintenance: boolean): void;
  sendRecords(to: ChordRef, records: readonly ChordRecord[]): void;
  readonly replicas: number;
}

interface Arc {
  from: number;
  to: number;
  replicas: ChordRef[];
  at: number;
}

const RING = 2 ** CHORD_BITS;
const keyOf = (a: Announcement): string => `${a.sha256}\n${a.provider}`;

export class ChordPublisher {
  /** Announcements and when they last went out. */
  private readonly announced = new Map<string, Announcement & { at: number }>();
  private readonly due = new Map<string, Announcement>();
  private arcs: Arc[] = [];
  private flushing = false;
  /** Records sent and lookups made, for the cost of publishing. */
  recordsSent = 0;
  lookups = 0;

  constructor(
    private readonly host: PublisherHost,
    private readonly now: () => number,
    private readonly refreshMs = RECORD_TTL_MS / 2,
  ) {}

  get size(): number {
    return this.announced.size + this.due.size;
  }

  /** The whole set this member announces now: new entries become due, vanished ones are dropped (they expire). */
  set(entries: Iterable<Announcement>): void {
    const next = new Map<string, Announcement>();
    for (const e of entries) next.set(keyOf(e), e);
    for (const k of [...this.announced.keys()]) if (!next.has(k)) this.announced.delete(k);
    for (const k of [...this.due.keys()]) if (!next.has(k)) this.due.delete(k);
    for (const [k, e] of next) if (!this.announced.has(k)) this.due.set(k, e);
  }

  /** Makes every announcement due again, with fresh lookups (a young ring: records placed before it settled). */
  reannounce(): void {
    this.arcs = [];
    for (const [k, a] of this.announced) this.due.set(k, { sha256: a.sha256, provider: a.provider });
  }

  /** Sends what is due (new, or about to expire); `done` when every record went out or the ring did not answer. */
  flush(done: () => void = () => {}): void {
    if (this.flushing) return done();
    const now = this.now();
    for (const [k, a] of this.announced) if (now - a.at >= this.refreshMs) this.due.set(k, a);
    if (this.due.size === 0) return done();
    this.flushing = true;
    let pending = [...this.due.values()];
    this.due.clear();
    this.arcs = this.arcs.filter((a) => now - a.at < ARC_CACHE_MS);
    const batches = new Map<string, { to: ChordRef; records: Map<string, string[]> }>();
    const placed: Announcement[] = [];
    const step = (): void => {
      const left: Announcement[] = [];
      for (const e of pending) {
        const key = chordId(e.sha256);
        const arc = this.arcs.find((a) => inHalfOpen(key, a.from, a.to));
        if (!arc) {
          left.push(e);
          continue;
        }
        for (const to of arc.replicas) {
          let b = batches.get(to.address);
          if (!b) batches.set(to.address, (b = { to, records: new Map() }));
          const list = b.records.get(e.sha256);
          if (list) list.push(e.provider);
          else b.records.set(e.sha256, [e.provider]);
        }
        placed.push(e);
      }
      pending = left;
      if (pending.length === 0) return finish();
      this.lookups++;
      this.host.lookup(
        chordId(pending[0].sha256),
        (node, _hops, detail) => {
          if (!node || !detail) {
            // The ring did not answer: what is left waits for the next flush.
            for (const e of pending) this.due.set(keyOf(e), e);
            pending = [];
            return finish();
          }
          const arc = { from: detail.arcStart, to: node.id, replicas: replicasFrom(node, detail, this.host.replicas), at: now };
          // An answer from a member that does not yet know its arc covers this key alone.
          if (!inHalfOpen(chordId(pending[0].sha256), arc.from, arc.to)) arc.from = (chordId(pending[0].sha256) + RING - 1) % RING;
          this.arcs.push(arc);
          step();
        },
        true,
      );
    };
    const finish = (): void => {
      for (const { to, records } of batches.values()) {
        const list = [...records].map(([sha256, providers]) => ({ sha256, providers }));
        this.recordsSent += list.length;
        this.host.sendRecords(to, list);
      }
      for (const e of placed) this.announced.set(keyOf(e), { ...e, at: now });
      this.flushing = false;
      done();
    };
    step();
  }
}
