// One member of the dht-mode ring: a supernode holding several ring
// positions (virtual nodes, Chord §6.2 / CFS) that share one record store,
// so that the keys a member holds are the sum of several random arcs and
// the load evens out. A lookup starts at the member's own position nearest
// before the key, which costs nothing and shortens the path.
import { CHORD_BITS, ChordNode, chordId, type ChordEnv, type ChordMessage, type ChordOptions, type ChordRef, type ChordReply, type LocateCallback, type LookupCallback } from './chord.js';
import type { ChordRecord } from './chord-store.js';
import { RecordStore } from './chord-store.js';

/** Positions per member: at 1,000 members the busiest then holds ≈ 2× the mean (one position: ≈ 6×). */
export const DEFAULT_VIRTUAL_NODES = 8;
const RING = 2 ** CHORD_BITS;

export type MemberOptions = Partial<Omit<ChordOptions, 'store'>>;

/** The member's environment: as a position's, with the sending position named (answers on the call go back to it). */
export interface MemberEnv extends Omit<ChordEnv, 'send'> {
  send(to: ChordRef, message: ChordMessage, failed: (() => void) | undefined, from: ChordRef): void;
}

export class ChordMember {
  readonly nodes: ChordNode[];
  readonly store: RecordStore;
  private readonly byId = new Map<number, ChordNode>();

  constructor(
    readonly address: string,
    readonly zone: string,
    ids: readonly number[],
    env: MemberEnv,
    options: MemberOptions = {},
  ) {
    this.store = new RecordStore(options.limits);
    this.nodes = [...new Set(ids)].map((id) => {
      const self: ChordRef = { id, address, zone };
      return new ChordNode(self, { ...env, send: (to, m, failed) => env.send(to, m, failed, self) }, { ...options, store: this.store });
    });
    for (const n of this.nodes) this.byId.set(n.self.id, n);
  }

  get replicas(): number {
    return this.nodes[0].options.replicas;
  }

  /** The position a message is for; a message without a known target (a seed dialled by address) goes to the first. */
  node(id?: number): ChordNode {
    return (id === undefined ? undefined : this.byId.get(id)) ?? this.nodes[0];
  }

  receive(toId: number | undefined, m: ChordMessage, reply?: ChordReply): void {
    this.node(toId).receive(m, reply);
  }

  /** Joins every position through a known member (or starts a ring with none). */
  join(known: ChordRef | null, done: (ok: boolean) => void = () => {}): void {
    const [first, ...rest] = this.nodes;
    let left = this.nodes.length;
    let allOk = true;
    const one = (ok: boolean): void => {
      allOk &&= ok;
      if (--left === 0) done(allOk);
    };
    first.join(known, (ok) => {
      one(ok);
      for (const n of rest) n.join(known ?? first.self, one);
    });
  }

  stop(): void {
    for (const n of this.nodes) n.stop();
  }

  /** When any of our positions last saw its successor list or predecessor change. */
  get lastChangeAt(): number {
    return Math.max(...this.nodes.map((n) => n.lastChangeAt));
  }

  leave(): void {
    for (const n of this.nodes) n.leave();
  }

  /** Our own position nearest before the key: the lookup's free first step. */
  entry(key: number): ChordNode {
    let best = this.nodes[0];
    let bestGap = RING;
    for (const n of this.nodes) {
      const gap = (key - n.self.id + RING) % RING || RING;
      if (gap < bestGap) [best, bestGap] = [n, gap];
    }
    return best;
  }

  lookup(key: number, done: LookupCallback, maintenance = false): void {
    this.entry(key).lookup(key, done, maintenance);
  }

  locate(sha256: string, done: LocateCallback): void {
    this.entry(chordId(sha256)).locate(sha256, done);
  }

  sendRecords(to: ChordRef, records: readonly ChordRecord[]): void {
    this.nodes[0].sendRecords(to, records);
  }
}
