// A leaf's uplinks: keeps `uplinks` supernodes attached (two by default, so
// losing one loses no searchability), chooses among known supernodes by
// zone, free capacity, score and RTT with power of two choices, re-homes at
// once when an uplink drops, and learns supernodes from Pongs so it keeps
// finding them without the registry.
import { SuperpeerError } from '../core/errors.js';
import { Leaf } from '../core/leaf.js';
import type { ShareUpdate } from '../core/supernode.js';
import { chooseUplinks, type Candidate } from '../core/selection.js';
import { peerFromWire, peerToWire } from './codec.js';
import type { LeafMessage } from './generated/superpeer/v1/LeafMessage.js';
import type { SupernodeMessage__Output } from './generated/superpeer/v1/SupernodeMessage.js';
import type { SuperpeerNode } from './node.js';
import { receiveDescriptor, rejectIn } from './overlay-server.js';
import { PeerStream } from './peer-stream.js';
import { cryptoRandom } from './runtime-env.js';

export const UPLINK_TICK_MS = 250;
/** Ping/Pong discovery of supernodes beyond the seeds. */
export const DISCOVERY_INTERVAL_MS = 10_000;
export const DISCOVERY_TTL = 2;
export const ATTACH_BACKOFF_MIN_MS = 200;
export const ATTACH_BACKOFF_MAX_MS = 5_000;
/** A supernode that redirected us is not asked again for this long. */
export const REDIRECT_BACKOFF_MS = 3_000;

interface Known extends Candidate {
  address: string;
  failures: number;
  retryAt: number;
  pending: boolean;
  stream?: PeerStream<LeafMessage>;
  sentAt?: number;
}

export class Uplinks {
  private readonly known = new Map<string, Known>();
  private timer: NodeJS.Timeout | undefined;
  private discovery: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Called with how long a lost uplink took to be replaced. */
  onRehomed: (ms: number) => void = () => {};
  private lostAt: number[] = [];

  constructor(private readonly node: SuperpeerNode) {}

  private get core(): Leaf {
    if (!(this.node.core instanceof Leaf)) throw new SuperpeerError('NOT_SUPERNODE', 'not a leaf');
    return this.node.core;
  }

  start(): void {
    this.addCandidates(this.node.config.seeds.map((address) => ({ address })));
    this.timer = setInterval(() => this.tick(), UPLINK_TICK_MS).unref();
    this.discovery = setInterval(() => this.discover(), DISCOVERY_INTERVAL_MS).unref();
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.discovery);
    for (const k of this.known.values()) k.stream?.close();
  }

  active(): Known[] {
    return [...this.known.values()].filter((k) => k.stream && !k.stream.closed);
  }

  candidates(): Known[] {
    return [...this.known.values()];
  }

  addCandidates(list: Array<Partial<Candidate> & { address: string }>): void {
    for (const c of list) {
      if (!c.address || c.address === this.node.grpcAddress) continue;
      const k = this.known.get(c.address);
      if (k) {
        Object.assign(k, stripUndefined({ score: c.score, zone: c.zone, leaves: c.leaves, leafCapacity: c.leafCapacity, rttMs: c.rttMs }));
        continue;
      }
      this.known.set(c.address, {
        id: c.address,
        address: c.address,
        score: c.score ?? 50,
        zone: c.zone ?? '',
        leaves: c.leaves ?? 0,
        leafCapacity: c.leafCapacity ?? 64,
        rttMs: c.rttMs,
        failures: 0,
        retryAt: 0,
        pending: false,
      });
    }
  }

  sendShares(update: ShareUpdate): void {
    for (const k of this.active()) k.stream?.write(sharesToWire(update));
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    const busy = [...this.known.values()].filter((k) => k.pending || (k.stream && !k.stream.closed));
    const need = this.node.config.uplinks - busy.length;
    if (need <= 0) return;
    const pool = [...this.known.values()].filter((k) => !busy.includes(k) && k.retryAt <= now);
    if (pool.length === 0) return;
    const chosen = chooseUplinks({
      candidates: pool,
      self: { zone: this.node.zone },
      count: need,
      random: cryptoRandom,
    });
    // Candidates not known to have room still get a try when nothing better is left.
    const picks = chosen.length > 0 ? chosen : pool.slice(0, need);
    for (const c of picks) this.dial(this.known.get(c.id)!);
  }

  private dial(k: Known): void {
    k.pending = true;
    k.sentAt = Date.now();
    const call = this.node.dialer.overlayClient(k.address).Attach();
    let stream: PeerStream<LeafMessage> | undefined;
    let redirected = false;
    const down = () => {
      k.pending = false;
      if (stream) {
        const s = stream;
        stream = undefined;
        k.stream = undefined;
        this.node.streams.delete(s.id);
        if (this.node.core instanceof Leaf) this.node.core.uplinkDown(s.id);
        if (!this.stopped) {
          this.lostAt.push(Date.now());
          this.node.metrics.rehomes.inc();
          setImmediate(() => this.tick());
        }
      } else if (!redirected) {
        k.failures++;
        k.retryAt = Date.now() + Math.min(ATTACH_BACKOFF_MAX_MS, ATTACH_BACKOFF_MIN_MS * 2 ** Math.min(k.failures, 5));
      }
    };
    call.on('data', (msg: SupernodeMessage__Output) => {
      try {
        if (!stream) {
          if (msg.body === 'redirect') {
            redirected = true;
            k.retryAt = Date.now() + REDIRECT_BACKOFF_MS;
            k.leaves = k.leafCapacity;
            this.addCandidates((msg.redirect?.alternatives ?? []).map((n) => ({ address: n.grpc_address, zone: n.zone, score: n.score, leafCapacity: n.leaf_capacity })));
            call.cancel();
            setImmediate(() => this.tick());
            return;
          }
          if (msg.body !== 'welcome' || !msg.welcome) throw new SuperpeerError('BAD_FIELD', 'expected a welcome');
          const peer = peerFromWire(msg.welcome.supernode);
          const s = new PeerStream<LeafMessage>(this.node.newStreamId('uplink'), 'uplink', peer, call, true);
          stream = s;
          k.stream = s;
          k.pending = false;
          k.failures = 0;
          k.zone = peer.zone;
          k.score = peer.score;
          k.rttMs = Date.now() - (k.sentAt ?? Date.now());
          this.node.streams.set(s.id, s);
          this.core.uplinkUp(s.id, peer);
          s.write(sharesToWire({ add: this.node.shares?.files() ?? [], remove: [], reset: true }));
          const lost = this.lostAt.shift();
          if (lost !== undefined) this.onRehomed(Date.now() - lost);
          return;
        }
        switch (msg.body) {
          case 'descriptor':
            return receiveDescriptor(this.node, stream, msg.descriptor);
          case 'redirect':
            // The supernode is leaving or shedding load: go elsewhere now.
            redirected = true;
            this.addCandidates((msg.redirect?.alternatives ?? []).map((n) => ({ address: n.grpc_address, zone: n.zone, score: n.score })));
            k.retryAt = Date.now() + REDIRECT_BACKOFF_MS;
            call.cancel();
            return;
          case 'reject':
            this.node.log.debug({ code: msg.reject?.code, message: msg.reject?.message }, 'supernode rejected a message');
            return;
          default:
            return;
        }
      } catch (err) {
        if (stream) rejectIn(stream, err);
        else call.cancel();
      }
    });
    call.on('error', down);
    call.on('end', down);
    call.write({ hello: { node: peerToWire(this.node.info()), secret: this.node.config.secret ?? '' } });
  }

  /** Pings through the uplinks; every supernode that answers becomes a candidate. */
  discover(): void {
    if (this.stopped || this.active().length === 0) return;
    const sentAt = Date.now();
    const id = this.core.ping(DISCOVERY_TTL, (pong) => {
      if (pong.role !== 'supernode') return;
      this.addCandidates([
        { address: pong.grpcAddress, zone: pong.zone, score: pong.score, leaves: pong.leaves, leafCapacity: pong.leafCapacity, rttMs: Date.now() - sentAt },
      ]);
    });
    setTimeout(() => this.core instanceof Leaf && this.core.stopPing(id), 5_000).unref();
  }
}

function sharesToWire(u: ShareUpdate): LeafMessage {
  return { shares: { add: u.add.map((f) => ({ sha256: f.sha256, name: f.name, size: f.size })), remove: u.remove, reset: u.reset } };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
