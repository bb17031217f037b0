// Chord (Stoica et al. 2001) over the supernodes, for the `dht` search mode:
// consistent hashing of node IDs and content hashes onto a 2^32 ring, finger
// tables, successor lists, and the periodic stabilise / fix-fingers /
// check-predecessor that repair the ring under churn. Recursive lookups:
// each node forwards to its closest preceding finger and the node that knows
// the answer replies to the origin directly, with its successor list, so the
// origin can fall back along it. One ChordNode is one ring position (a
// virtual node); the member that runs several shares one RecordStore among
// them (chord-member.ts). A provider record lives on the key's successor
// and the next r−1 distinct members after it, and each position keeps the
// records of its own arc replicated as its successors change.
// Pure state machine: messages out through the injected ChordEnv.
import type { Timer } from './environment.js';
import { RecordStore, type ChordRecord, type StoreLimits, type StoreRefusal } from './chord-store.js';

/** Ring of 2^32 IDs: enough to keep collisions rare up to millions of supernodes, and fits a JS number. */
export const CHORD_BITS = 32;
const RING = 2 ** CHORD_BITS;
/** Replicas r of every provider record, and distinct members in the successor list. */
export const DEFAULT_REPLICAS = 3;
/** Longest successor list kept or accepted: r distinct members plus the member's own positions in between. */
export const MAX_SUCCESSORS = 32;
/** Period of stabilise (the successor list and the successor's notion of its predecessor). */
export const STABILIZE_INTERVAL_MS = 1_000;
/** Period of fixing one finger: fingers only shorten paths, the successor list keeps lookups correct. */
export const FINGER_INTERVAL_MS = 1_000;
/** Maintenance period while the neighbourhood is changing (joins, failures): repair fast, idle slowly. */
export const FAST_MAINTENANCE_MS = 1_000;
/** Rounds of the normal period that a change keeps maintenance fast. */
const FAST_ROUNDS_AFTER_CHANGE = 3;
/** A peer that has not answered in this long is taken as dead. */
export const CHORD_RPC_TIMEOUT_MS = 2_000;
/** A lookup that has not come back in this long fails (dead hop on the recursive path). */
export const LOOKUP_TIMEOUT_MS = 5_000;
/** Dead next hops a lookup steps around at one member before it gives up. */
const MAX_REROUTES = 8;
/** Requests awaiting an answer (own lookups and forwarded ones); past it a forward is dropped. */
export const MAX_PENDING = 10_000;
/** Records per store message: repairs and republishes are batched per member, within a message size. */
export const MAX_STORE_BATCH = 256;

export interface ChordRef {
  id: number;
  address: string;
  /** The member's zone, for proximity finger choice ('' or absent when unknown). */
  zone?: string;
}

export type ChordMessage =
  | { type: 'find_successor'; req: number; key: number; origin: ChordRef; hops: number; maintenance: boolean }
  | { type: 'found'; req: number; node: ChordRef; hops: number; arcStart: number; successors: ChordRef[]; maintenance: boolean }
  | { type: 'get_state'; req: number; from: ChordRef; notify: boolean }
  | { type: 'state'; req: number; predecessor: ChordRef | null; successors: ChordRef[] }
  | { type: 'notify'; from: ChordRef }
  | { type: 'store'; records: ChordRecord[] }
  | { type: 'fetch'; req: number; sha256: string; from: ChordRef }
  | { type: 'providers'; req: number; providers: string[] };

export interface ChordEnv {
  now(): number;
  /** Sends to a ring position; `failed` runs when the transport knows it was not delivered. */
  send(to: ChordRef, message: ChordMessage, failed?: () => void): void;
  setTimer(afterMs: number, fire: () => void): Timer;
  /** Network distance to a member, lower is nearer (measured RTT where known). Default: 0 same zone, 1 otherwise. */
  distance?(to: ChordRef): number;
  /** A record or a forward refused at a cap (the adapter counts it). */
  refused?(reason: ChordRefusal): void;
}

export type ChordRefusal = StoreRefusal | 'chord_pending';

/**
 * Answers a request on the connection it came in on. Without one (the
 * simulator), answers go to the position the request names.
 */
export type ChordReply = (message: ChordMessage) => void;

export interface ChordOptions {
  /** Replicas r of each record (and distinct members in the successor list). */
  replicas: number;
  stabilizeMs: number;
  fingerMs: number;
  /** Proximity neighbour selection: among the members that fit a finger's interval, take the nearest. */
  proximity: boolean;
  /** Shared by the virtual nodes of one member; without one, a store of its own with `limits`. */
  store: RecordStore;
  limits: Partial<StoreLimits>;
}

/** Where a lookup ended: the key's successor, the answering node's successor list (starting with it) and the start of its arc. */
export interface LookupDetail {
  successors: ChordRef[];
  arcStart: number;
}

export type LookupCallback = (node: ChordRef | null, hops: number, detail?: LookupDetail) => void;
export type LocateCallback = (providers: string[] | null, hops: number) => void;

/** The ring position of a hex string (a sha256 of content or of a node ID): its first 32 bits. */
export function chordId(hex: string): number {
  return parseInt(hex.slice(0, 8), 16) >>> 0;
}

/** x in the ring interval (a, b]; (a, a] is the whole ring. */
export function inHalfOpen(x: number, a: number, b: number): boolean {
  if (a < b) return x > a && x <= b;
  if (a > b) return x > a || x <= b;
  return true;
}

/** x in the ring interval (a, b). */
export function inOpen(x: number, a: number, b: number): boolean {
  if (a < b) return x > a && x < b;
  if (a > b) return x > a || x < b;
  return x !== a;
}

/** Messages that keep the ring and its records (everything but a client's lookup, fetch and answer). */
export function isMaintenance(m: ChordMessage): boolean {
  if (m.type === 'find_successor' || m.type === 'found') return m.maintenance;
  return m.type !== 'fetch' && m.type !== 'providers';
}

/** The first r entries with distinct addresses (members), in ring order. */
export function replicaSet(list: readonly ChordRef[], r: number): ChordRef[] {
  const seen = new Set<string>();
  const out: ChordRef[] = [];
  for (const ref of list) {
    if (out.length >= r) break;
    if (seen.has(ref.address)) continue;
    seen.add(ref.address);
    out.push(ref);
  }
  return out;
}

/** The shortest prefix holding r distinct members (a member's own positions may sit in between). */
export function trimSuccessors(list: readonly ChordRef[], r: number): ChordRef[] {
  const seen = new Set<string>();
  const ids = new Set<number>();
  const out: ChordRef[] = [];
  for (const ref of list) {
    if (seen.size >= r || out.length >= MAX_SUCCESSORS) break;
    if (ids.has(ref.id)) continue;
    ids.add(ref.id);
    seen.add(ref.address);
    out.push(ref);
  }
  return out;
}

interface Pending {
  timer: Timer;
  reply: (m: ChordMessage | null) => void;
}

type FindSuccessor = Extract<ChordMessage, { type: 'find_successor' }>;
type Found = Extract<ChordMessage, { type: 'found' }>;

export class ChordNode {
  readonly self: ChordRef;
  predecessor: ChordRef | null = null;
  /** successors[0] is the successor; the list holds r distinct members. */
  successors: ChordRef[];
  /** fingers[i] is a member in [self + 2^i, self + 2^(i+1)), the nearest one when proximity is on. */
  readonly fingers: (ChordRef | null)[] = new Array<ChordRef | null>(CHORD_BITS).fill(null);
  readonly store: RecordStore;
  readonly options: ChordOptions;
  private readonly pending = new Map<number, Pending>();
  private nextReq = 1;
  private nextFinger = 0;
  private tickers: Timer[] = [];
  private running = false;
  private heardFromPredecessor = 0;
  private changedAt = -Infinity;
  /** Members (addresses) this position's arc was last replicated to, and the arc's start then. */
  private replicatedTo = new Set<string>();
  private replicatedFrom: number | null = null;

  constructor(
    self: ChordRef,
    private readonly env: ChordEnv,
    options: Partial<ChordOptions> = {},
  ) {
    this.self = self;
    this.successors = [self];
    this.options = { replicas: DEFAULT_REPLICAS, stabilizeMs: STABILIZE_INTERVAL_MS, fingerMs: FINGER_INTERVAL_MS, proximity: true, limits: {}, ...options, store: options.store ?? new RecordStore(options.limits) };
    this.store = this.options.store;
  }

  get successor(): ChordRef {
    return this.successors[0];
  }

  /** Joins the ring through any member (or starts a new ring with none), then keeps it repaired. */
  join(known: ChordRef | null, done: (ok: boolean) => void = () => {}): void {
    this.changed();
    this.startMaintenance();
    if (!known) return done(true);
    this.findVia(known, this.self.id, (node, _hops, detail) => {
      if (!node) return done(false);
      const after = detail ? detail.successors.slice(detail.successors.findIndex((r) => r.id === node.id) + 1) : [];
      this.successors = trimSuccessors([node, ...after].filter((r) => r.id !== this.self.id), this.options.replicas);
      if (this.successors.length === 0) this.successors = [this.self];
      this.stabilize();
      this.fillFingers();
      done(true);
    });
  }

  /**
   * Asks a given member for the successor of a key. With our own ID as key
   * it tells whether that member's ring contains us (the answer is us).
   */
  findVia(known: ChordRef, key: number, done: LookupCallback): void {
    const req = this.rpc((m) => (m?.type === 'found' ? done(m.node, m.hops, m) : done(null, 0)), LOOKUP_TIMEOUT_MS);
    this.env.send(known, { type: 'find_successor', req, key, origin: this.self, hops: 1, maintenance: true }, () => this.settle(req, null));
  }

  /** Stops the periodic maintenance (the node leaves or the run ends). */
  stop(): void {
    this.running = false;
    for (const t of this.tickers) t.cancel();
    this.tickers = [];
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
  }

  /** Leaves gracefully: hands the records of its arc on to its successor, then stops. */
  leave(): void {
    const pred = this.predecessor;
    if (pred && this.successor.address !== this.self.address) this.sendRecords(this.successor, this.arcRecords(pred.id));
    this.stop();
  }

  /** The node responsible for a key, and the number of messages the lookup took. */
  lookup(key: number, done: LookupCallback, maintenance = false): void {
    const req = this.rpc((m) => (m?.type === 'found' ? done(m.node, m.hops, m) : done(null, 0)), LOOKUP_TIMEOUT_MS);
    this.route({ type: 'find_successor', req, key, origin: this.self, hops: 0, maintenance });
  }

  /** Publishes one provider for a content hash on the r replicas of the hash. */
  publish(sha256: string, provider: string): void {
    this.lookup(
      chordId(sha256),
      (node, _hops, detail) => {
        if (!node || !detail) return;
        for (const to of replicasFrom(node, detail, this.options.replicas)) this.sendRecords(to, [{ sha256, providers: [provider] }]);
      },
      true,
    );
  }

  /** Providers of a content hash: a lookup, then the replicas in ring order until one answers with providers. */
  locate(sha256: string, done: LocateCallback): void {
    this.lookup(chordId(sha256), (node, hops, detail) => {
      if (!node || !detail) return done(null, hops);
      const replicas = replicasFrom(node, detail, this.options.replicas);
      let answered: string[] | null = null;
      const next = (i: number): void => {
        if (i >= replicas.length) return done(answered, hops);
        const to = replicas[i];
        if (to.address === this.self.address) {
          const local = this.providersOf(sha256);
          if (local.length > 0) return done(local, hops);
          answered = local;
          return next(i + 1);
        }
        const req = this.rpc((m) => {
          if (m?.type === 'providers') {
            if (m.providers.length > 0) return done(m.providers, hops);
            answered = m.providers;
          }
          next(i + 1);
        }, CHORD_RPC_TIMEOUT_MS);
        this.env.send(to, { type: 'fetch', req, sha256, from: this.self }, () => this.settle(req, null));
      };
      next(0);
    });
  }

  /** Sends records to a member (in batches); the receiver keeps them until they expire. */
  sendRecords(to: ChordRef, records: readonly ChordRecord[]): void {
    for (let i = 0; i < records.length; i += MAX_STORE_BATCH) this.env.send(to, { type: 'store', records: records.slice(i, i + MAX_STORE_BATCH) });
  }

  /**
   * A message from the network. With `reply`, answers (state, providers,
   * found) go back on the caller's connection, and a forwarded lookup's
   * answer comes back along the path; the addresses a request names are
   * then never dialled to answer it.
   */
  receive(m: ChordMessage, reply?: ChordReply): void {
    switch (m.type) {
      case 'find_successor':
        return this.route(m, 0, reply);
      case 'get_state':
        if (m.notify) this.onNotify(m.from);
        return this.answer(m.from, reply, { type: 'state', req: m.req, predecessor: this.predecessor, successors: this.successors });
      case 'notify':
        return this.onNotify(m.from);
      case 'store':
        for (const r of m.records) this.keep(r.sha256, r.providers);
        return;
      case 'fetch':
        return this.answer(m.from, reply, { type: 'providers', req: m.req, providers: this.providersOf(m.sha256) });
      case 'found':
      case 'state':
      case 'providers':
        return this.settle(m.req, m);
    }
  }

  /** One maintenance round: stabilise, check the predecessor when it has been silent, repair replicas. */
  tick(): void {
    this.stabilize();
    this.checkPredecessor();
    this.store.expire(this.env.now());
  }

  /** Keeps provider records for a content hash, within the caps. */
  keep(sha256: string, providers: readonly string[]): void {
    this.store.put(sha256, providers, this.env.now(), (reason) => this.env.refused?.(reason));
  }

  /** The live providers of a content hash held here. */
  providersOf(sha256: string): string[] {
    return this.store.providers(sha256, this.env.now());
  }

  /** Provider records held over all keys. */
  get recordCount(): number {
    return this.store.providerCount;
  }

  /** Records in this position's arc (pred, self]: those it is the primary for. */
  arcRecords(from: number): ChordRecord[] {
    return this.store.select((sha) => inHalfOpen(chordId(sha), from, this.self.id));
  }

  /** The other members that hold replicas of this position's arc. */
  replicaTargets(): ChordRef[] {
    return replicaSet(
      this.successors.filter((r) => r.address !== this.self.address),
      this.options.replicas - 1,
    );
  }

  /** Takes the state a converged ring gives this position, its arc taken as already replicated. */
  settleConverged(predecessor: ChordRef, successors: ChordRef[]): void {
    this.predecessor = predecessor;
    this.successors = successors.length > 0 ? successors : [this.self];
    this.heardFromPredecessor = this.env.now();
    this.replicatedTo = new Set(this.replicaTargets().map((r) => r.address));
    this.replicatedFrom = predecessor.id;
  }

  /** Starts the periodic maintenance of a position placed by convergeRing. */
  startOnConvergedRing(): void {
    this.startMaintenance();
  }

  /** Finger i from the members that may fill it: the nearest one fitting [self + 2^i, self + 2^(i+1)), else the first. */
  chooseFinger(i: number, candidates: readonly ChordRef[]): ChordRef {
    const fits = candidates.filter((c) => this.fitsFinger(c.id, i));
    if (!this.options.proximity || fits.length < 2) return fits[0] ?? candidates[0];
    let best = fits[0];
    let bestDistance = this.distance(best);
    for (const c of fits.slice(1)) {
      const d = this.distance(c);
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    return best;
  }

  distance(to: ChordRef): number {
    if (this.env.distance) return this.env.distance(to);
    return this.self.zone && to.zone && this.self.zone !== to.zone ? 1 : 0;
  }

  private fitsFinger(id: number, i: number): boolean {
    const d = (id - this.self.id + RING) % RING;
    return d >= 2 ** i && d < 2 ** (i + 1);
  }

  private startMaintenance(): void {
    if (this.running) return;
    this.running = true;
    const every = (normalMs: number, what: () => void): void => {
      const loop = (): void => {
        const fast = this.env.now() - this.changedAt < FAST_ROUNDS_AFTER_CHANGE * this.options.stabilizeMs;
        this.tickers[slot] = this.env.setTimer(fast ? Math.min(FAST_MAINTENANCE_MS, normalMs) : normalMs, () => {
          if (!this.running) return;
          what();
          loop();
        });
      };
      const slot = this.tickers.length;
      loop();
    };
    every(this.options.stabilizeMs, () => this.tick());
    every(this.options.fingerMs, () => this.fixFinger());
  }

  /**
   * find_successor at this node: answer when the key is in (self, successor],
   * else forward, stepping around dead hops. With `reply` the next hop
   * answers us on our call and we answer our caller (recursive along the
   * path); without, the answer goes straight to the origin.
   */
  private route(m: FindSuccessor, attempt = 0, reply?: ChordReply): void {
    let next: ChordRef | null = null;
    if (!inHalfOpen(m.key, this.self.id, this.successor.id)) {
      next = this.closestPreceding(m.key);
      if (next.id === this.self.id) next = null;
    }
    if (!next) {
      const found: Found = { type: 'found', req: m.req, node: this.successor, hops: m.hops, arcStart: this.self.id, successors: [...this.successors], maintenance: m.maintenance };
      if (!reply && m.origin.id === this.self.id && m.origin.address === this.self.address) return this.settle(m.req, found);
      return this.answer(m.origin, reply, found);
    }
    const hop = next;
    if (!reply) {
      this.env.send(hop, { ...m, hops: m.hops + 1 }, () => {
        this.forget(hop);
        if (attempt < MAX_REROUTES) this.route(m, attempt + 1);
      });
      return;
    }
    if (this.pending.size >= MAX_PENDING) return this.env.refused?.('chord_pending');
    const req = this.rpc((found) => {
      if (found?.type === 'found') reply({ ...found, req: m.req });
    }, LOOKUP_TIMEOUT_MS);
    this.env.send(hop, { ...m, req, origin: this.self, hops: m.hops + 1 }, () => {
      if (!this.drop(req)) return;
      this.forget(hop);
      if (attempt < MAX_REROUTES) this.route(m, attempt + 1, reply);
    });
  }

  private answer(to: ChordRef, reply: ChordReply | undefined, m: ChordMessage): void {
    if (reply) reply(m);
    else this.env.send(to, m);
  }

  private closestPreceding(key: number): ChordRef {
    let best: ChordRef = this.self;
    for (let i = CHORD_BITS - 1; i >= 0; i--) {
      const f = this.fingers[i];
      if (f && inOpen(f.id, this.self.id, key)) {
        best = f;
        break;
      }
    }
    // A successor-list entry closer to the key than the best finger is a shorter step.
    for (let i = this.successors.length - 1; i >= 0; i--) {
      const s = this.successors[i];
      if (inOpen(s.id, this.self.id, key)) {
        if (best.id === this.self.id || inOpen(s.id, best.id, key)) best = s;
        break;
      }
    }
    return best;
  }

  /** When the successor list or predecessor last changed (ms). */
  get lastChangeAt(): number {
    return this.changedAt;
  }

  /** The successor list or predecessor changed: maintenance runs fast for a few rounds. */
  private changed(): void {
    this.changedAt = this.env.now();
  }

  /** A member that did not take a message is gone: out of the successor list, fingers and predecessor. */
  private forget(dead: ChordRef): void {
    this.changed();
    this.successors = this.successors.filter((r) => r.id !== dead.id);
    if (this.successors.length === 0) this.successors = [this.predecessor && this.predecessor.id !== dead.id ? this.predecessor : this.self];
    for (let i = 0; i < CHORD_BITS; i++) if (this.fingers[i]?.id === dead.id) this.fingers[i] = null;
    if (this.predecessor?.id === dead.id) this.predecessor = null;
  }

  /** Chord stabilise: adopt the successor's predecessor if it sits between us; the call itself notifies the successor. */
  private stabilize(): void {
    const succ = this.successor;
    if (succ.id === this.self.id) {
      if (this.predecessor) this.successors = [this.predecessor];
      return;
    }
    const req = this.rpc((m) => {
      if (m?.type !== 'state') return this.forget(succ);
      const list = [succ, ...m.successors];
      if (m.predecessor && inOpen(m.predecessor.id, this.self.id, succ.id)) list.unshift(m.predecessor);
      const before = this.successors.map((r) => r.id).join();
      this.successors = trimSuccessors(
        list.filter((r) => r.id !== this.self.id),
        this.options.replicas,
      );
      if (this.successors.length === 0) this.successors = [this.self];
      if (this.successors.map((r) => r.id).join() !== before) this.changed();
      this.replicate();
    }, CHORD_RPC_TIMEOUT_MS);
    this.env.send(succ, { type: 'get_state', req, from: this.self, notify: true }, () => this.settle(req, null));
  }

  private onNotify(from: ChordRef): void {
    if (this.predecessor?.id === from.id) {
      this.heardFromPredecessor = this.env.now();
      return;
    }
    if (this.predecessor && !inOpen(from.id, this.predecessor.id, this.self.id)) return;
    const old = this.predecessor;
    this.predecessor = from;
    this.changed();
    this.heardFromPredecessor = this.env.now();
    if (this.successor.id === this.self.id) this.successors = [from];
    // A member joined inside our arc: it takes over (old, from]; we keep a copy as its replica.
    if (old && from.address !== this.self.address) this.sendRecords(from, this.store.select((sha) => inHalfOpen(chordId(sha), old.id, from.id)));
    this.replicate();
  }

  /** Copies this arc's records to replica members that lack them: new members get the arc, an arc that grew (predecessor died) sends the new part. */
  private replicate(): void {
    const pred = this.predecessor;
    if (!pred) return;
    const targets = this.replicaTargets();
    const fresh = targets.filter((t) => !this.replicatedTo.has(t.address));
    const before = this.replicatedFrom;
    const grew = before !== null && before !== pred.id && inOpen(before, pred.id, this.self.id);
    if (fresh.length > 0) {
      const all = this.arcRecords(pred.id);
      for (const t of fresh) this.sendRecords(t, all);
    }
    if (grew) {
      const added = this.store.select((sha) => inHalfOpen(chordId(sha), pred.id, before));
      for (const t of targets) if (this.replicatedTo.has(t.address)) this.sendRecords(t, added);
    }
    this.replicatedTo = new Set(targets.map((t) => t.address));
    this.replicatedFrom = pred.id;
  }

  /** Fixes the next finger whose interval starts beyond the successor (the ones before it are the successor). */
  private fixFinger(): void {
    for (let n = 0; n < CHORD_BITS; n++) {
      const i = this.nextFinger;
      this.nextFinger = (i + 1) % CHORD_BITS;
      const start = (this.self.id + 2 ** i) % RING;
      if (inHalfOpen(start, this.self.id, this.successor.id)) {
        this.fingers[i] = this.successor;
        continue;
      }
      return this.lookupFinger(i, start);
    }
  }

  /** Every finger at once (after a join). */
  private fillFingers(): void {
    for (let i = 0; i < CHORD_BITS; i++) {
      const start = (this.self.id + 2 ** i) % RING;
      if (inHalfOpen(start, this.self.id, this.successor.id)) this.fingers[i] = this.successor;
      else this.lookupFinger(i, start);
    }
  }

  private lookupFinger(i: number, start: number): void {
    this.lookup(
      start,
      (node, _hops, detail) => {
        if (!node) return;
        const from = detail ? detail.successors.findIndex((r) => r.id === node.id) : -1;
        this.fingers[i] = this.chooseFinger(i, from >= 0 ? detail!.successors.slice(from) : [node]);
      },
      true,
    );
  }

  /** Probes a predecessor that has not stabilised against us lately. */
  private checkPredecessor(): void {
    const pred = this.predecessor;
    if (!pred || this.env.now() - this.heardFromPredecessor < 2 * this.options.stabilizeMs) return;
    const req = this.rpc((m) => {
      if (m) this.heardFromPredecessor = this.env.now();
      else if (this.predecessor?.id === pred.id) this.predecessor = null;
    }, CHORD_RPC_TIMEOUT_MS);
    this.env.send(pred, { type: 'get_state', req, from: this.self, notify: false }, () => this.settle(req, null));
  }

  private rpc(reply: (m: ChordMessage | null) => void, timeoutMs: number): number {
    const req = this.nextReq++;
    const timer = this.env.setTimer(timeoutMs, () => this.settle(req, null));
    this.pending.set(req, { timer, reply });
    return req;
  }

  /** Forgets a request without answering it; false when it was already settled. */
  private drop(req: number): boolean {
    const p = this.pending.get(req);
    if (!p) return false;
    this.pending.delete(req);
    p.timer.cancel();
    return true;
  }

  private settle(req: number, m: ChordMessage | null): void {
    const p = this.pending.get(req);
    if (!p) return;
    this.pending.delete(req);
    p.timer.cancel();
    p.reply(m);
  }
}

/** The r members holding a key's records: its successor and the next distinct members after it. */
export function replicasFrom(node: ChordRef, detail: LookupDetail, r: number): ChordRef[] {
  const at = detail.successors.findIndex((s) => s.id === node.id);
  return replicaSet(at >= 0 ? detail.successors.slice(at) : [node, ...detail.successors], r);
}
