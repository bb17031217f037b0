// The virtual network: carries core descriptors between core state machines
// with a latency drawn from the zone model, gives each node its Environment
// (virtual clock, seeded random, send, timers, observations), and attributes
// every descriptor to the search it belongs to by descriptor ID (a QueryHit
// carries its Query's ID), so messages per query are counted exactly.
import type { Descriptor } from '../core/descriptor.js';
import type { Environment, Observation } from '../core/environment.js';
import type { Servent } from '../core/servent.js';
import { EventQueue } from './event-queue.js';
import type { SimParams } from './params.js';

export interface SearchRecord {
  issuedAt: number;
  searcher: number;
  results: number;
  firstHitMs: number | null;
  /** Hops of every result, as the searcher saw them. */
  hops: number[];
  sameZoneResults: number;
  queryMessages: number;
  hitMessages: number;
  /** Supernodes holding a match (floor.ts), where the mode measures it. */
  floor?: number;
  done: boolean;
  /** The searcher left mid-search (churn): excluded from the rates. */
  abandoned?: boolean;
}

export class SimNetwork {
  readonly clock = new EventQueue();
  readonly nodes: NodeTable;
  readonly alive: Uint8Array;
  /** New queries each node processed (supernodes; the load measure). */
  readonly handled: Int32Array;
  readonly sentByKind: Record<string, number> = { ping: 0, pong: 0, push: 0, query: 0, query_hit: 0 };
  private readonly current = new Map<number, SearchRecord>();
  private readonly byDescriptor = new Map<string, SearchRecord>();
  private readonly linkNames: string[] = [];

  constructor(
    private readonly params: SimParams,
    private readonly zone: Uint16Array,
    private readonly accessMs: Float32Array,
    private readonly random: () => number,
    private readonly coreRandom: () => number,
  ) {
    this.alive = new Uint8Array(zone.length).fill(1);
    this.nodes = new NodeTable(zone.length);
    this.handled = new Int32Array(zone.length);
  }

  /** One-way delay: both access links plus the zone distance with jitter. */
  latency(a: number, b: number): number {
    const base = this.zone[a] === this.zone[b] ? this.params.intraZoneMs : this.params.interZoneMs;
    return this.accessMs[a] + this.accessMs[b] + base * (1 + this.params.jitter * (2 * this.random() - 1));
  }

  /** Descriptors node `i` originates from now on belong to this search. */
  beginSearch(i: number, rec: SearchRecord): void {
    this.current.set(i, rec);
  }

  endSearch(i: number): void {
    this.current.delete(i);
  }

  env(i: number): Environment {
    return {
      now: () => this.clock.now,
      random: this.coreRandom,
      setTimer: (ms, fire) => this.clock.schedule(ms, () => this.alive[i] === 1 && fire()),
      send: (link, d) => this.send(i, Number(link), d),
      observe: (o: Observation) => {
        if (o.type === 'query_handled') this.handled[i]++;
      },
    };
  }

  /** Node i's link ID as its peers know it: one string per node, not one per message. */
  linkName(i: number): string {
    return (this.linkNames[i] ??= String(i));
  }

  private send(from: number, to: number, d: Descriptor): void {
    const kind = d.payload.kind;
    this.sentByKind[kind]++;
    if (kind === 'query' && d.hops === 0) {
      const rec = this.current.get(from);
      if (rec) this.byDescriptor.set(d.id, rec);
    }
    const rec = this.byDescriptor.get(d.id);
    if (rec) {
      if (kind === 'query') rec.queryMessages++;
      else if (kind === 'query_hit') rec.hitMessages++;
    }
    this.clock.post(this.latency(from, to), () => {
      if (this.alive[to] !== 1) return;
      try {
        this.nodes.get(to)?.receive(this.linkName(from), d);
      } catch {
        // the core counted it as invalid; the sender carries on, as over gRPC
      }
    });
  }
}

/** Core state machine of each node by index: a dense array, so delivering a descriptor costs no hash lookup. */
export class NodeTable {
  private readonly list: Array<Servent | undefined>;

  constructor(n: number) {
    // Filled up front so the array stays dense (a sparse one degrades to a dictionary).
    this.list = new Array<Servent | undefined>(n).fill(undefined);
  }

  get(i: number): Servent | undefined {
    return this.list[i];
  }

  set(i: number, node: Servent): void {
    this.list[i] = node;
  }
}
