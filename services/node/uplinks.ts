// A leaf's uplinks: keeps `uplinks` supernodes attached (two by default, so
// losing one loses no searchability), chooses among known supernodes by
// zone, free capacity, score and RTT with power of two choices, re-homes at
// once when an uplink drops, and learns supernodes from its supernodes
// (Welcome, Redirect, Alternatives) and from Pongs, so it keeps finding them
// without the registry. Event-driven: nothing runs while all is well.
import { SuperpeerError } from '../core/errors.js';
import { Leaf } from '../core/leaf.js';
import type { ShareUpdate } from '../core/supernode.js';
import { chooseUplinks, preferredMove, type Candidate } from '../core/selection.js';
import { chooseRebalance } from '../core/rebalance.js';
import { ALTERNATIVES_MAX } from '../core/alternatives.js';
import { jittered } from '../core/control-timing.js';
import type { NodeInfo__Output } from './generated/superpeer/v1/NodeInfo.js';
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

/** A safety look at the uplinks while nothing happens (events do the real work). */
export const UPLINK_CHECK_MS = 10_000;
/** Ping/Pong discovery of supernodes, only while the leaf knows too few: slow. */
export const DISCOVERY_INTERVAL_MS = 60_000;
/** Discovery runs while fewer than uplinks + this many supernodes are known and usable. */
export const DISCOVERY_SPARE = 2;
/** With a registry, the first attach waits this long at most for the directory (zones and loads). */
export const FIRST_DIRECTORY_WAIT_MS = 1_000;
export const DISCOVERY_TTL = 2;
export const ATTACH_BACKOFF_MIN_MS = 200;
export const ATTACH_BACKOFF_MAX_MS = 5_000;
/** Failed attaches in a row after which a supernode is not counted on (the registry is asked). */
export const GIVE_UP_FAILURES = 3;
/** A supernode that redirected us is not asked again for this long, doubling while it keeps doing so... */
export const REDIRECT_BACKOFF_MS = 3_000;
/** ... up to this: a full overlay is not asked every few seconds by every leaf short of an uplink. */
export const REDIRECT_BACKOFF_MAX_MS = 60_000;
/** At most one move back to the own zone this often, so moves settle. */
export const HOME_MOVE_INTERVAL_MS = 3_000;
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
/** After a share update was refused over budget, the whole list goes again this much later. */
export const SHARE_RESEND_MS = 5_000;

interface Known extends Candidate {
  address: string;
  /** Redirects in a row at attach time (it was full). */
  redirects?: number;
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
  private retryTimer: NodeJS.Timeout | undefined;
  private discovery: NodeJS.Timeout | undefined;
  private firstDirectory: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Called with how long a lost uplink took to be replaced. */
  onRehomed: (ms: number) => void = () => {};
  /** Called when the leaf has no uplink and nothing to dial: time to ask the registry. */
  onOrphaned: () => void = () => {};
  /** The leaf was told by a supernode that the election chose it. */
  onRoleHint: () => void = () => {};
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
    this.check();
    this.discovery = setTimeout(() => this.discover(), jittered(DISCOVERY_INTERVAL_MS, cryptoRandom)).unref();
    // With a registry, the directory says zones and loads: the first attach waits for it (bounded).
    if (this.node.config.redis) this.firstDirectory = setTimeout(() => this.tick(), FIRST_DIRECTORY_WAIT_MS).unref();
    else this.tick();
  }

  private check(): void {
    this.timer = setTimeout(() => {
      this.tick();
      this.check();
    }, jittered(UPLINK_CHECK_MS, cryptoRandom)).unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.discovery);
    clearTimeout(this.firstDirectory);
    for (const k of this.known.values()) k.stream?.close();
  }

  /**
   * Whether this leaf needs the registry: 'urgent' with no uplink and nothing
   * to dial, 'some' with fewer uplinks than wanted and nothing to dial,
   * 'none' otherwise (the steady state).
   */
  registryNeed(): 'urgent' | 'some' | 'none' {
    const active = this.active().length;
    if (active >= this.node.config.uplinks) return 'none';
    // Supernodes that failed again and again are not counted on.
    const anyDialable = [...this.known.values()].some((k) => k.pending || (!(k.stream && !k.stream.closed) && k.failures < GIVE_UP_FAILURES));
    if (active === 0) return anyDialable && this.everAttached ? 'none' : 'urgent';
    return anyDialable ? 'none' : 'some';
  }

  private everAttached = false;

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
    clearTimeout(this.firstDirectory);
    this.tick();
    if (!this.moveHome()) this.rebalance();
  }

  /** Supernodes a supernode passed on (Welcome, Redirect, Alternatives): bounded, then acted on as the directory is. */
  learn(list: readonly NodeInfo__Output[], verified = true): void {
    this.addCandidates(
      list
        .slice(0, ALTERNATIVES_MAX * 2)
        .filter((n) => n.zone.length <= 64 && validAddress(n.grpc_address))
        .map((n) => ({ address: n.grpc_address, zone: n.zone, score: n.score, leaves: n.leaves, leafCapacity: n.leaf_capacity || undefined })),
      verified,
    );
  }

  /**
   * Spread load after the fact (core/rebalance.ts): an uplink well above the
   * mean moves to a supernode well below it, now and then, at random.
   */
  private rebalance(): void {
    const now = Date.now();
    if (now - this.lastHomeMove < HOME_MOVE_INTERVAL_MS) return;
    const active = this.active();
    if (active.length < this.node.config.uplinks) return;
    const known = [...this.known.values()];
    const move = chooseRebalance({
      uplinks: active,
      known,
      dialable: new Set(known.filter((k) => !k.pending && k.retryAt <= now && this.dialable(k) && !(k.stream && !k.stream.closed)).map((k) => k.id)),
      self: { zone: this.node.zone },
      random: cryptoRandom,
    });
    if (!move) return;
    const heavy = this.known.get(move.from);
    const light = this.known.get(move.to);
    if (!heavy?.stream || !light) return;
    this.lastHomeMove = now;
    light.leaves++; // so the next leaf's choice sees it filling up
    this.dial(light, () => this.retire(heavy));
  }

  /** After learning loads: move home or rebalance. */
  private reconsider(): void {
    if (!this.moveHome()) this.rebalance();
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
    const waiting = [...this.known.values()].filter((k) => !busy.includes(k) && !this.node.faults.blocks(k.zone) && this.dialable(k));
    const pool = waiting.filter((k) => k.retryAt <= now);
    // Event-driven: wake when the first backoff ends, not on a fixed tick.
    const soonest = Math.min(...waiting.map((k) => k.retryAt));
    if (pool.length < need && Number.isFinite(soonest)) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.tick(), Math.max(10, soonest - now)).unref();
    }
    if (busy.length === 0 && (pool.length === 0 || !this.everAttached)) this.onOrphaned();
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
            k.redirects = (k.redirects ?? 0) + 1;
            k.retryAt = Date.now() + jittered(Math.min(REDIRECT_BACKOFF_MAX_MS, REDIRECT_BACKOFF_MS * 2 ** Math.min(k.redirects - 1, 5)), cryptoRandom);
            k.leaves = k.leafCapacity;
            this.learn(msg.redirect?.alternatives ?? [], k.verified);
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
          k.redirects = 0;
          k.zone = peer.zone;
          k.score = Math.min(MAX_SCORE, Math.max(0, peer.score));
          k.leaves = msg.welcome.supernode?.leaves ?? k.leaves;
          k.rttMs = Date.now() - (k.sentAt ?? Date.now());
          this.everAttached = true;
          this.node.streams.set(s.id, s);
          this.core.uplinkUp(s.id, peer);
          for (const m of shareMessages({ add: this.node.shares?.files() ?? [], remove: [], reset: true })) s.write(m);
          const lost = this.lostAt.shift();
          if (lost !== undefined) this.onRehomed(Date.now() - lost);
          onWelcome?.();
          this.learn(msg.welcome.alternatives, k.verified);
          // After the uplink is counted, so a move home sees it.
          if (!onWelcome) setImmediate(() => this.reconsider());
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
            this.learn(msg.redirect?.alternatives ?? [], k.verified);
            k.retryAt = Date.now() + REDIRECT_BACKOFF_MS;
            call.cancel();
            return;
          case 'alternatives':
            this.learn(msg.alternatives?.supernodes ?? [], k.verified);
            this.reconsider();
            return;
          case 'role_hint':
            if (msg.role_hint?.role === 'supernode') this.onRoleHint();
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
    call.write({
      hello: {
        node: peerToWire(this.node.info()),
        secret: this.node.config.secret ?? '',
        wire_version: WIRE_VERSION,
        elected: this.node.config.role === 'auto',
        last_role_change_ms: this.node.registry?.lastChangeMs ?? 0,
      },
    });
  }

  /**
   * Pings through the uplinks; every supernode that answers becomes a
   * candidate. Only while the leaf knows too few usable supernodes: its
   * supernodes' alternatives usually tell it enough.
   */
  discover(): void {
    if (this.stopped) return;
    this.discovery = setTimeout(() => this.discover(), jittered(DISCOVERY_INTERVAL_MS, cryptoRandom)).unref();
    const now = Date.now();
    const usable = [...this.known.values()].filter((k) => k.retryAt <= now).length;
    if (this.active().length === 0 || usable >= this.node.config.uplinks + DISCOVERY_SPARE) return;
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

function validAddress(address: string): boolean {
  try {
    checkAddress(address);
    return true;
  } catch {
    return false;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
