// A leaf's uplinks: keeps `uplinks` supernodes attached (two by default, so
// losing one loses no searchability), chooses among known supernodes by
// zone, free capacity, score and RTT with power of two choices, re-homes at
// once when an uplink drops, and learns supernodes from Pongs so it keeps
// finding them without the registry.
import { SuperpeerError } from '../core/errors.js';
import { Leaf } from '../core/leaf.js';
import type { ShareUpdate } from '../core/supernode.js';
import { chooseUplinks, preferredMove, type Candidate } from '../core/selection.js';
import type { SupernodeEntry } from '../registry/registry.js';
import { WIRE_VERSION, peerFromWire, peerToWire } from './codec.js';
import type { LeafMessage } from './generated/superpeer/v1/LeafMessage.js';
import type { SupernodeMessage__Output } from './generated/superpeer/v1/SupernodeMessage.js';
import type { SuperpeerNode } from './node.js';
import { receiveBatch, receiveDescriptor, refuseOtherVersion, rejectIn } from './overlay-server.js';
import { PeerStream } from './peer-stream.js';
import { cryptoRandom } from './runtime-env.js';
import { shareMessages } from './share-parts.js';
import { checkAddress } from '../core/validate.js';

export const UPLINK_TICK_MS = 250;
/** Ping/Pong discovery of supernodes beyond the seeds. */
export const DISCOVERY_INTERVAL_MS = 10_000;
export const DISCOVERY_TTL = 2;
export const ATTACH_BACKOFF_MIN_MS = 200;
export const ATTACH_BACKOFF_MAX_MS = 5_000;
/** A supernode that redirected us is not asked again for this long. */
export const REDIRECT_BACKOFF_MS = 3_000;
/** At most one move back to the own zone this often, so moves settle. */
export const HOME_MOVE_INTERVAL_MS = 3_000;
/** Load rebalancing: move off an uplink above mean × 1.1 to one below mean × 0.9. */
export const REBALANCE_ABOVE_MEAN = 1.1;
export const REBALANCE_BELOW_MEAN = 0.9;
/**
 * Pong poisoning bounds. Candidates only a Pong vouches for ("unverified":
 * not a seed, not in the registry's directory, not named by a supernode we
 * attached to) are kept at most MAX_UNVERIFIED_CANDIDATES, at most
 * MAX_PONG_CANDIDATES_PER_ROUND new ones per discovery round, forgotten after
 * MAX_UNVERIFIED_FAILURES failed attaches, their claimed score and capacity
 * clamped to the best a vouched-for supernode claims, and — when the
 * overlay has a secret — never dialled, since the hello carries the secret.
 */
export const MAX_CANDIDATES = 256;
export const MAX_UNVERIFIED_CANDIDATES = 16;
export const MAX_PONG_CANDIDATES_PER_ROUND = 8;
export const MAX_UNVERIFIED_FAILURES = 3;
/** Scores run from 0 to 100 (core/score.ts). */
const MAX_SCORE = 100;
/** Chance per directory refresh that a leaf on a heavy uplink moves. */
export const REBALANCE_PROBABILITY = 0.2;
/** After a share update was refused over budget, the whole list goes again this much later. */
export const SHARE_RESEND_MS = 5_000;

interface Known extends Candidate {
  address: string;
  failures: number;
  retryAt: number;
  pending: boolean;
  stream?: PeerStream<LeafMessage>;
  sentAt?: number;
  /** We are closing it on purpose (a move), so its loss is no re-home. */
  retiring?: boolean;
  /** Vouched for by a seed, the registry or a supernode we attached to (not only by a Pong). */
  verified: boolean;
}

export class Uplinks {
  private readonly known = new Map<string, Known>();
  private timer: NodeJS.Timeout | undefined;
  private discovery: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Called with how long a lost uplink took to be replaced. */
  onRehomed: (ms: number) => void = () => {};
  private lostAt: number[] = [];
  private lastHomeMove = 0;
  private readonly resending = new WeakSet<object>();

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

  /** Adds or refreshes candidates; `verified` false for what only a Pong vouches for. Returns how many were new. */
  addCandidates(list: Array<Partial<Candidate> & { address: string }>, verified = true): number {
    let added = 0;
    for (const raw of list) {
      if (!raw.address || raw.address === this.node.grpcAddress) continue;
      const c = verified ? clampClaims(raw, MAX_SCORE, Infinity) : this.clampUnverified(raw);
      if (!c) continue;
      const k = this.known.get(c.address);
      if (k) {
        // What a Pong claims never overwrites what a vouched-for source said.
        if (!verified && k.verified) continue;
        Object.assign(k, stripUndefined({ score: c.score, zone: c.zone, leaves: c.leaves, leafCapacity: c.leafCapacity, rttMs: c.rttMs }));
        k.verified ||= verified;
        continue;
      }
      if (this.known.size >= MAX_CANDIDATES || (!verified && this.unverifiedCount() >= MAX_UNVERIFIED_CANDIDATES)) {
        this.node.metrics.refusals.inc({ reason: 'pong_candidates' });
        continue;
      }
      added++;
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
        verified,
      });
    }
    return added;
  }

  private unverifiedCount(): number {
    let n = 0;
    for (const k of this.known.values()) if (!k.verified) n++;
    return n;
  }

  /** A Pong's claims: address must be host:port; score and capacity no higher than the best vouched-for supernode's. */
  private clampUnverified<C extends Partial<Candidate> & { address: string }>(c: C): C | undefined {
    try {
      checkAddress(c.address);
    } catch {
      this.node.metrics.refusals.inc({ reason: 'pong_invalid' });
      return undefined;
    }
    let score = Math.min(MAX_SCORE, this.core.self.score);
    let capacity = 1;
    for (const k of this.known.values()) {
      if (!k.verified) continue;
      score = Math.max(score, k.score);
      capacity = Math.max(capacity, k.leafCapacity);
    }
    return clampClaims(c, score, capacity);
  }

  /** Only a vouched-for supernode gets our hello when it carries the overlay secret. */
  private dialable(k: Known): boolean {
    return k.verified || !this.node.config.secret;
  }

  /**
   * The registry's directory is the truth about who is a supernode: known
   * addresses missing from it are forgotten (unless in use), loads and zones
   * refreshed, and a cross-zone uplink moves home when the zone has room.
   */
  syncDirectory(entries: SupernodeEntry[]): void {
    if (entries.length === 0) return;
    const listed = new Set(entries.map((e) => e.grpcAddress));
    for (const [address, k] of this.known) {
      if (!listed.has(address) && !k.pending && !(k.stream && !k.stream.closed)) this.known.delete(address);
    }
    this.addCandidates(entries.map((e) => ({ address: e.grpcAddress, zone: e.zone, score: e.score, leaves: e.leaves, leafCapacity: e.leafCapacity })));
    if (!this.moveHome()) this.rebalance();
  }

  /**
   * Spread load after the fact: an uplink well above the mean load moves to
   * a same-zone supernode well below it. Each leaf moves only now and then
   * (at random), so the leaves of a busy supernode do not all leave at once.
   */
  private rebalance(): void {
    const now = Date.now();
    if (now - this.lastHomeMove < HOME_MOVE_INTERVAL_MS || cryptoRandom() > REBALANCE_PROBABILITY) return;
    const known = [...this.known.values()];
    const mean = known.reduce((a, k) => a + k.leaves, 0) / Math.max(1, known.length);
    const active = this.active();
    if (active.length < this.node.config.uplinks) return;
    const heavy = active.filter((k) => k.leaves > mean * REBALANCE_ABOVE_MEAN).sort((a, b) => b.leaves - a.leaves)[0];
    if (!heavy?.stream) return;
    const light = known
      .filter((k) => !active.includes(k) && !k.pending && k.retryAt <= now && this.dialable(k) && k.leaves < mean * REBALANCE_BELOW_MEAN && k.leaves < k.leafCapacity)
      .filter((k) => k.zone === heavy.zone || k.zone === this.node.zone)
      .sort((a, b) => a.leaves - b.leaves)[0];
    if (!light) return;
    this.lastHomeMove = now;
    light.leaves++; // so the next leaf's choice sees it filling up
    this.dial(light, () => this.retire(heavy));
  }

  private moveHome(): boolean {
    const now = Date.now();
    if (now - this.lastHomeMove < HOME_MOVE_INTERVAL_MS) return false;
    const active = this.active();
    if (active.length < this.node.config.uplinks) return false;
    const move = preferredMove({
      uplinks: active.map((k) => k.id),
      candidates: [...this.known.values()].filter((k) => k.retryAt <= now && this.dialable(k)),
      self: { zone: this.node.zone },
      count: this.node.config.uplinks,
      random: cryptoRandom,
    });
    if (!move) return false;
    this.lastHomeMove = now;
    const from = this.known.get(move.from);
    const to = this.known.get(move.to);
    if (!from?.stream || !to) return false;
    // Attach at home first; the cross-zone uplink goes once the new one is up.
    this.dial(to, () => this.retire(from));
    return true;
  }

  private retire(k: Known): void {
    k.retiring = true;
    k.stream?.close();
  }

  /** Fault injection healed: forget backoffs so the best uplinks are dialled now. */
  retryNow(): void {
    for (const k of this.known.values()) {
      k.failures = 0;
      k.retryAt = 0;
    }
    this.tick();
  }

  private resendShares(stream: PeerStream<LeafMessage>): void {
    if (this.resending.has(stream)) return;
    this.resending.add(stream);
    setTimeout(() => {
      this.resending.delete(stream);
      if (!stream.closed) for (const m of shareMessages({ add: this.node.shares?.files() ?? [], remove: [], reset: true })) stream.write(m);
    }, SHARE_RESEND_MS).unref();
  }

  sendShares(update: ShareUpdate): void {
    for (const k of this.active()) for (const m of shareMessages(update)) k.stream?.write(m);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    const busy = [...this.known.values()].filter((k) => k.pending || (k.stream && !k.stream.closed));
    const need = this.node.config.uplinks - busy.length;
    if (need <= 0) return;
    const pool = [...this.known.values()].filter((k) => !busy.includes(k) && k.retryAt <= now && !this.node.faults.blocks(k.zone) && this.dialable(k));
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

  private dial(k: Known, onWelcome?: () => void): void {
    if (this.node.faults.blocks(k.zone)) return;
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
        // It may be dead: do not pick it again before it shows up alive in the directory.
        k.retryAt = Date.now() + ATTACH_BACKOFF_MAX_MS;
        if (!this.stopped && !k.retiring) {
          this.lostAt.push(Date.now());
          this.node.metrics.rehomes.inc();
          setImmediate(() => this.tick());
        }
        k.retiring = false;
      } else if (!redirected) {
        k.failures++;
        if (!k.verified && k.failures >= MAX_UNVERIFIED_FAILURES) {
          // Its channel would keep reconnecting in the background otherwise.
          this.known.delete(k.address);
          this.node.dialer.forget(k.address);
        }
        k.retryAt = Date.now() + Math.min(ATTACH_BACKOFF_MAX_MS, ATTACH_BACKOFF_MIN_MS * 2 ** Math.min(k.failures, 5));
        // Try the next candidate now rather than at the next tick.
        if (!this.stopped) setImmediate(() => this.tick());
      }
    };
    call.on('data', (msg: SupernodeMessage__Output) => {
      try {
        if (!stream) {
          if (msg.body === 'redirect') {
            redirected = true;
            k.retryAt = Date.now() + REDIRECT_BACKOFF_MS;
            k.leaves = k.leafCapacity;
            this.addCandidates((msg.redirect?.alternatives ?? []).map((n) => ({ address: n.grpc_address, zone: n.zone, score: n.score, leafCapacity: n.leaf_capacity })), k.verified);
            call.cancel();
            setImmediate(() => this.tick());
            return;
          }
          if (msg.body !== 'welcome' || !msg.welcome) throw new SuperpeerError('BAD_FIELD', 'expected a welcome');
          refuseOtherVersion(this.node, msg.welcome.wire_version, k.address);
          const peer = peerFromWire(msg.welcome.supernode);
          if (this.node.faults.blocks(peer.zone)) {
            k.zone = peer.zone;
            call.cancel();
            return;
          }
          const s = new PeerStream<LeafMessage>(this.node.newStreamId('uplink'), 'uplink', peer, call, true);
          stream = s;
          k.stream = s;
          k.pending = false;
          k.failures = 0;
          k.zone = peer.zone;
          k.score = Math.min(MAX_SCORE, Math.max(0, peer.score));
          k.rttMs = Date.now() - (k.sentAt ?? Date.now());
          this.node.streams.set(s.id, s);
          this.core.uplinkUp(s.id, peer);
          for (const m of shareMessages({ add: this.node.shares?.files() ?? [], remove: [], reset: true })) s.write(m);
          const lost = this.lostAt.shift();
          if (lost !== undefined) this.onRehomed(Date.now() - lost);
          onWelcome?.();
          return;
        }
        switch (msg.body) {
          case 'descriptor':
            return receiveDescriptor(this.node, stream, msg.descriptor);
          case 'batch':
            return receiveBatch(this.node, stream, msg.batch);
          case 'redirect':
            // The supernode is leaving or shedding load: go elsewhere now.
            redirected = true;
            this.addCandidates((msg.redirect?.alternatives ?? []).map((n) => ({ address: n.grpc_address, zone: n.zone, score: n.score })), k.verified);
            k.retryAt = Date.now() + REDIRECT_BACKOFF_MS;
            call.cancel();
            return;
          case 'reject':
            this.node.log.debug({ code: msg.reject?.code, message: msg.reject?.message }, 'supernode rejected a message');
            // A share update over our budget was dropped: send the whole list again once the budget refills.
            if (msg.reject?.code === 'RATE_LIMITED' && msg.reject.descriptor_id.length === 0) this.resendShares(stream);
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
    call.write({ hello: { node: peerToWire(this.node.info()), secret: this.node.config.secret ?? '', wire_version: WIRE_VERSION } });
  }

  /** Pings through the uplinks; every supernode that answers becomes a candidate. */
  discover(): void {
    if (this.stopped || this.active().length === 0) return;
    const sentAt = Date.now();
    let added = 0;
    const id = this.core.ping(DISCOVERY_TTL, (pong) => {
      if (pong.role !== 'supernode') return;
      if (added >= MAX_PONG_CANDIDATES_PER_ROUND && !this.known.has(pong.grpcAddress)) {
        this.node.metrics.refusals.inc({ reason: 'pong_candidates' });
        return;
      }
      added += this.addCandidates(
        [{ address: pong.grpcAddress, zone: pong.zone, score: pong.score, leaves: pong.leaves, leafCapacity: pong.leafCapacity, rttMs: Date.now() - sentAt }],
        false,
      );
    });
    setTimeout(() => {
      const core = this.node.core;
      if (core instanceof Leaf) core.stopPing(id);
    }, 5_000).unref();
  }
}

/** Claimed score within [0, maxScore], capacity within [1, maxCapacity], leaves within [0, capacity]. */
function clampClaims<C extends Partial<Candidate>>(c: C, maxScore: number, maxCapacity: number): C {
  const clamp = (v: number | undefined, lo: number, hi: number) => (v === undefined || !Number.isFinite(v) ? undefined : Math.min(hi, Math.max(lo, v)));
  const leafCapacity = clamp(c.leafCapacity, 1, maxCapacity);
  return { ...c, score: clamp(c.score, 0, maxScore), leafCapacity, leaves: clamp(c.leaves, 0, leafCapacity ?? Infinity) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
