// Chord (Stoica et al. 2001) over the supernodes, for the `dht` search mode:
// consistent hashing of node IDs and content hashes onto a 2^32 ring, finger
// tables, successor lists, and the periodic stabilise / fix-fingers /
// check-predecessor that repair the ring under churn. Recursive lookups:
// each node forwards to its closest preceding finger and the node that knows
// the answer replies to the origin directly. Exact content-hash lookups only:
// a provider record (sha256 → node) lives at the key's successor.
// Pure state machine: messages out through the injected ChordEnv.
import type { Timer } from './environment.js';

/** Ring of 2^32 IDs: enough to keep collisions rare up to millions of supernodes, and fits a JS number. */
export const CHORD_BITS = 32;
const RING = 2 ** CHORD_BITS;
/** Successor-list length r: the ring survives r-1 adjacent failures (Chord §4.4 suggests O(log N)). */
export const SUCCESSOR_LIST_LENGTH = 8;
/** Period of stabilise, fix-fingers and check-predecessor. */
export const STABILIZE_INTERVAL_MS = 1_000;
/** A peer that has not answered in this long is taken as dead. */
export const CHORD_RPC_TIMEOUT_MS = 2_000;
/** A lookup that has not come back in this long fails (dead hop on the recursive path). */
export const LOOKUP_TIMEOUT_MS = 5_000;
/** Content hashes one member keeps records for; past it a new key is refused (a store flood cannot grow memory). */
export const MAX_KEYS = 100_000;
/** Providers kept per content hash; past it a new provider is refused. */
export const MAX_PROVIDERS_PER_KEY = 64;
/** Requests awaiting an answer (own lookups and forwarded ones); past it a forward is dropped. */
export const MAX_PENDING = 10_000;
/** Expired records are swept every this many maintenance rounds. */
const EXPIRE_EVERY_TICKS = 10;

export interface ChordRef {
  id: number;
  address: string;
}

export type ChordMessage =
  | { type: 'find_successor'; req: number; key: number; origin: ChordRef; hops: number }
  | { type: 'found'; req: number; node: ChordRef; hops: number }
  | { type: 'get_state'; req: number; from: ChordRef }
  | { type: 'state'; req: number; predecessor: ChordRef | null; successors: ChordRef[] }
  | { type: 'notify'; from: ChordRef }
  | { type: 'store'; sha256: string; providers: string[] }
  | { type: 'fetch'; req: number; sha256: string; from: ChordRef }
  | { type: 'providers'; req: number; providers: string[] };

export interface ChordEnv {
  now(): number;
  send(to: string, message: ChordMessage): void;
  setTimer(afterMs: number, fire: () => void): Timer;
  /** A record or a forward refused at a cap (the adapter counts it). */
  refused?(reason: ChordRefusal): void;
}

export type ChordRefusal = 'chord_keys' | 'chord_providers' | 'chord_pending';

export interface ChordOptions {
  /** Records not republished within this are dropped; 0 keeps them until handed over. */
  recordTtlMs?: number;
  maxKeys?: number;
  maxProvidersPerKey?: number;
}

/**
 * Answers a request on the connection it came in on. Without one (the
 * simulator), answers go to the address the request names.
 */
export type ChordReply = (message: ChordMessage) => void;

export type LookupCallback = (node: ChordRef | null, hops: number) => void;
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

interface Pending {
  timer: Timer;
  reply: (m: ChordMessage | null) => void;
}

export class ChordNode {
  readonly self: ChordRef;
  predecessor: ChordRef | null = null;
  /** successors[0] is the successor. */
  successors: ChordRef[];
  /** fingers[i] = successor(self.id + 2^i). */
  readonly fingers: (ChordRef | null)[] = new Array<ChordRef | null>(CHORD_BITS).fill(null);
  /** Provider records this node is responsible for: content hash → provider → expiry (ms, Infinity without a TTL). */
  readonly store = new Map<string, Map<string, number>>();
  private readonly pending = new Map<number, Pending>();
  private nextReq = 1;
  private nextFinger = 0;
  private ticker: Timer | undefined;
  private ticks = 0;
  private readonly recordTtlMs: number;
  private readonly maxKeys: number;
  private readonly maxProvidersPerKey: number;

  constructor(
    self: ChordRef,
    private readonly env: ChordEnv,
    options: ChordOptions = {},
  ) {
    this.self = self;
    this.successors = [self];
    this.recordTtlMs = options.recordTtlMs ?? 0;
    this.maxKeys = options.maxKeys ?? MAX_KEYS;
    this.maxProvidersPerKey = options.maxProvidersPerKey ?? MAX_PROVIDERS_PER_KEY;
  }

  get successor(): ChordRef {
    return this.successors[0];
  }

  /** Joins the ring through any member (or starts a new ring with none), then keeps it repaired. */
  join(known: ChordRef | null, done: (ok: boolean) => void = () => {}): void {
    this.startMaintenance();
    if (!known) return done(true);
    const req = this.rpc((m) => {
      if (m?.type !== 'found') return done(false);
      this.successors = [m.node];
      done(true);
    }, LOOKUP_TIMEOUT_MS);
    this.env.send(known.address, { type: 'find_successor', req, key: this.self.id, origin: this.self, hops: 1 });
  }

  /**
   * Asks a given member for the successor of a key. With our own ID as key
   * it tells whether that member's ring contains us (the answer is us).
   */
  findVia(known: ChordRef, key: number, done: LookupCallback): void {
    const req = this.rpc((m) => (m?.type === 'found' ? done(m.node, m.hops) : done(null, 0)), LOOKUP_TIMEOUT_MS);
    this.env.send(known.address, { type: 'find_successor', req, key, origin: this.self, hops: 1 });
  }

  /** Stops the periodic maintenance (the node leaves or the run ends). */
  stop(): void {
    this.ticker?.cancel();
    this.ticker = undefined;
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
  }

  /** The node responsible for a key, and the number of messages the lookup took. */
  lookup(key: number, done: LookupCallback): void {
    if (inHalfOpen(key, this.self.id, this.successor.id)) return done(this.successor, 0);
    const next = this.closestPreceding(key);
    if (next.id === this.self.id) return done(this.successor, 0);
    const req = this.rpc((m) => (m?.type === 'found' ? done(m.node, m.hops) : done(null, 0)), LOOKUP_TIMEOUT_MS);
    this.env.send(next.address, { type: 'find_successor', req, key, origin: this.self, hops: 1 });
  }

  /** Publishes this provider for a content hash at the hash's successor. */
  publish(sha256: string, provider: string): void {
    this.lookup(chordId(sha256), (node) => {
      if (node) this.deliver(node, { type: 'store', sha256, providers: [provider] });
    });
  }

  /** Providers of a content hash: a lookup, then one round trip to the responsible node. */
  locate(sha256: string, done: LocateCallback): void {
    this.lookup(chordId(sha256), (node, hops) => {
      if (!node) return done(null, hops);
      if (node.id === this.self.id) return done(this.providersOf(sha256), hops);
      const req = this.rpc((m) => done(m?.type === 'providers' ? m.providers : null, hops), CHORD_RPC_TIMEOUT_MS);
      this.env.send(node.address, { type: 'fetch', req, sha256, from: this.self });
    });
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
        return this.onFindSuccessor(m, reply);
      case 'get_state':
        return this.answer(m.from, reply, { type: 'state', req: m.req, predecessor: this.predecessor, successors: this.successors });
      case 'notify':
        return this.onNotify(m.from);
      case 'store':
        return this.keep(m.sha256, m.providers);
      case 'fetch':
        return this.answer(m.from, reply, { type: 'providers', req: m.req, providers: this.providersOf(m.sha256) });
      case 'found':
      case 'state':
      case 'providers':
        return this.settle(m.req, m);
    }
  }

  /** One maintenance round: stabilise, fix one finger, check the predecessor. */
  tick(): void {
    this.stabilize();
    this.fixFinger();
    this.checkPredecessor();
    if (this.recordTtlMs > 0 && ++this.ticks % EXPIRE_EVERY_TICKS === 0) this.expire();
  }

  /** Keys held and provider records over all keys. */
  get recordCount(): number {
    let n = 0;
    for (const providers of this.store.values()) n += providers.size;
    return n;
  }

  /** The live providers of a content hash. */
  providersOf(sha256: string): string[] {
    const providers = this.store.get(sha256);
    if (!providers) return [];
    const now = this.env.now();
    const live: string[] = [];
    for (const [p, expires] of providers) if (expires > now) live.push(p);
    return live;
  }

  /** Keeps provider records for a content hash, within the caps. */
  keep(sha256: string, providers: string[]): void {
    let set = this.store.get(sha256);
    if (!set) {
      if (this.store.size >= this.maxKeys) return this.env.refused?.('chord_keys');
      this.store.set(sha256, (set = new Map()));
    }
    const expires = this.recordTtlMs > 0 ? this.env.now() + this.recordTtlMs : Infinity;
    for (const p of providers) {
      if (!set.has(p) && set.size >= this.maxProvidersPerKey) {
        this.env.refused?.('chord_providers');
        continue;
      }
      set.set(p, expires);
    }
  }

  private expire(): void {
    const now = this.env.now();
    for (const [sha, providers] of this.store) {
      for (const [p, expires] of providers) if (expires <= now) providers.delete(p);
      if (providers.size === 0) this.store.delete(sha);
    }
  }

  private answer(to: ChordRef, reply: ChordReply | undefined, m: ChordMessage): void {
    if (reply) reply(m);
    else this.env.send(to.address, m);
  }

  private startMaintenance(): void {
    if (this.ticker) return;
    const loop = (): void => {
      this.ticker = this.env.setTimer(STABILIZE_INTERVAL_MS, () => {
        this.tick();
        loop();
      });
    };
    loop();
  }

  private onFindSuccessor(m: Extract<ChordMessage, { type: 'find_successor' }>, reply?: ChordReply): void {
    const next = inHalfOpen(m.key, this.self.id, this.successor.id) ? this.self : this.closestPreceding(m.key);
    if (next.id === this.self.id) return this.answer(m.origin, reply, { type: 'found', req: m.req, node: this.successor, hops: m.hops });
    if (!reply) return this.env.send(next.address, { ...m, hops: m.hops + 1 });
    // Recursive along the path: the next hop answers us, we answer our caller.
    if (this.pending.size >= MAX_PENDING) return this.env.refused?.('chord_pending');
    const req = this.rpc((found) => {
      if (found?.type === 'found') reply({ ...found, req: m.req });
    }, LOOKUP_TIMEOUT_MS);
    this.env.send(next.address, { ...m, req, origin: this.self, hops: m.hops + 1 });
  }

  private closestPreceding(key: number): ChordRef {
    for (let i = CHORD_BITS - 1; i >= 0; i--) {
      const f = this.fingers[i];
      if (f && inOpen(f.id, this.self.id, key)) return f;
    }
    for (let i = this.successors.length - 1; i >= 0; i--) {
      const s = this.successors[i];
      if (inOpen(s.id, this.self.id, key)) return s;
    }
    return this.self;
  }

  /** Chord stabilise: adopt the successor's predecessor if it sits between us, then notify. */
  private stabilize(): void {
    const succ = this.successor;
    if (succ.id === this.self.id) {
      if (this.predecessor) this.successors = [this.predecessor];
      return;
    }
    const req = this.rpc((m) => {
      if (m?.type !== 'state') return this.dropSuccessor(succ);
      let next = succ;
      if (m.predecessor && inOpen(m.predecessor.id, this.self.id, succ.id)) next = m.predecessor;
      const list = next === succ ? [succ, ...m.successors] : [next, succ, ...m.successors];
      this.successors = dedupe(list.filter((r) => r.id !== this.self.id)).slice(0, SUCCESSOR_LIST_LENGTH);
      if (this.successors.length === 0) this.successors = [this.self];
      this.deliver(this.successor, { type: 'notify', from: this.self });
    }, CHORD_RPC_TIMEOUT_MS);
    this.env.send(succ.address, { type: 'get_state', req, from: this.self });
  }

  private dropSuccessor(dead: ChordRef): void {
    this.successors = this.successors.filter((r) => r.id !== dead.id);
    if (this.successors.length === 0) this.successors = [this.predecessor ?? this.self];
    for (let i = 0; i < CHORD_BITS; i++) if (this.fingers[i]?.id === dead.id) this.fingers[i] = null;
    if (this.predecessor?.id === dead.id) this.predecessor = null;
  }

  private onNotify(from: ChordRef): void {
    if (this.predecessor && !inOpen(from.id, this.predecessor.id, this.self.id)) return;
    this.predecessor = from;
    if (this.successor.id === this.self.id) this.successors = [from];
    // Hand over the records the new predecessor is now responsible for.
    for (const [sha, providers] of this.store) {
      if (!inHalfOpen(chordId(sha), from.id, this.self.id)) {
        this.env.send(from.address, { type: 'store', sha256: sha, providers: [...providers.keys()] });
        this.store.delete(sha);
      }
    }
  }

  private fixFinger(): void {
    const i = this.nextFinger;
    this.nextFinger = (i + 1) % CHORD_BITS;
    this.lookup((this.self.id + 2 ** i) % RING, (node) => {
      if (node) this.fingers[i] = node;
    });
  }

  private checkPredecessor(): void {
    const pred = this.predecessor;
    if (!pred) return;
    const req = this.rpc((m) => {
      if (!m && this.predecessor?.id === pred.id) this.predecessor = null;
    }, CHORD_RPC_TIMEOUT_MS);
    this.env.send(pred.address, { type: 'get_state', req, from: this.self });
  }

  private deliver(to: ChordRef, m: ChordMessage): void {
    if (to.id === this.self.id) this.receive(m);
    else this.env.send(to.address, m);
  }

  private rpc(reply: (m: ChordMessage | null) => void, timeoutMs: number): number {
    const req = this.nextReq++;
    const timer = this.env.setTimer(timeoutMs, () => this.settle(req, null));
    this.pending.set(req, { timer, reply });
    return req;
  }

  private settle(req: number, m: ChordMessage | null): void {
    const p = this.pending.get(req);
    if (!p) return;
    this.pending.delete(req);
    p.timer.cancel();
    p.reply(m);
  }
}

/** Sets every node's successors, predecessor and fingers as a converged ring would have them (for simulations that start from a stable ring). */
export function convergeRing(nodes: readonly ChordNode[]): void {
  const sorted = [...nodes].sort((a, b) => a.self.id - b.self.id);
  const ids = sorted.map((n) => n.self.id);
  const n = sorted.length;
  const successorOf = (key: number): ChordRef => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return sorted[lo % n].self;
  };
  sorted.forEach((node, i) => {
    node.predecessor = sorted[(i - 1 + n) % n].self;
    node.successors = [];
    for (let k = 1; k <= Math.min(SUCCESSOR_LIST_LENGTH, Math.max(1, n - 1)); k++) node.successors.push(sorted[(i + k) % n].self);
    for (let b = 0; b < CHORD_BITS; b++) node.fingers[b] = successorOf((node.self.id + 2 ** b) % RING);
  });
}

function dedupe(list: ChordRef[]): ChordRef[] {
  const seen = new Set<number>();
  return list.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}
