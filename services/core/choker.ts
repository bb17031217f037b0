// BitTorrent-style upload slot scheduler (choking). Pure: time and randomness
// come from the injected environment and it keeps no timers; the unchoke set
// is re-evaluated lazily whenever a request or tick() sees the clock passed
// the next rechoke time.
//
// - At most `slots` uploads run at once.
// - Every rechokeIntervalMs the interested peers that uploaded most to us
//   recently (decayed byte count) get `slots - 1` preferred unchokes
//   (reciprocation first).
// - One optimistic unchoke, rotated every optimisticIntervalMs and chosen at
//   random among interested choked peers, lets newcomers show what they give.
// - Slots are never left idle: a free slot goes to anyone unless an unchoked
//   peer is waiting for it.

import type { Environment } from './environment.js';

/** BitTorrent's 4 concurrent uploads. */
export const DEFAULT_UPLOAD_SLOTS = 4;
/** BitTorrent rechokes every 10 s: longer than TCP ramp-up, short enough to track rates. */
export const RECHOKE_INTERVAL_MS = 10_000;
/** BitTorrent rotates the optimistic unchoke every 30 s (three rechoke rounds). */
export const OPTIMISTIC_INTERVAL_MS = 30_000;
/** What a choked requester is told to wait; about one chunk time on a busy peer. */
export const RETRY_AFTER_S = 2;
/** Half-life of the reciprocation score: "recent rate" spans about two rechoke rounds. */
export const RATE_HALF_LIFE_MS = 20_000;
/** A peer that has not asked for this long is no longer interested. */
export const INTEREST_TTL_MS = 60_000;
/** Bound on remembered peers; the least recently seen are forgotten first. */
export const MAX_TRACKED_PEERS = 4_096;

export interface ChokerOptions {
  slots?: number;
  rechokeIntervalMs?: number;
  optimisticIntervalMs?: number;
  retryAfterS?: number;
  rateHalfLifeMs?: number;
  interestTtlMs?: number;
}

export type ChokerEnv = Pick<Environment, 'now' | 'random'>;

export type SlotGrant = { granted: true; release(): void } | { granted: false; retryAfterS: number };

interface PeerState {
  score: number; // decayed bytes received from this peer
  scoreAt: number;
  lastRequestAt: number;
  active: number; // uploads running to this peer
  waitingSince: number | null; // refused while unchoked, holds a claim on the next free slot
}

export class Choker {
  readonly slots: number;
  private readonly rechokeIntervalMs: number;
  private readonly optimisticIntervalMs: number;
  private readonly retryAfterS: number;
  private readonly halfLifeMs: number;
  private readonly interestTtlMs: number;
  private readonly peers = new Map<string, PeerState>();
  private preferred = new Set<string>();
  private optimistic: string | null = null;
  private nextRechokeAt: number;
  private nextOptimisticAt: number;
  private used = 0;
  private choked = 0;

  constructor(
    private readonly env: ChokerEnv,
    options: ChokerOptions = {},
  ) {
    this.slots = Math.max(0, Math.floor(options.slots ?? DEFAULT_UPLOAD_SLOTS));
    this.rechokeIntervalMs = options.rechokeIntervalMs ?? RECHOKE_INTERVAL_MS;
    this.optimisticIntervalMs = options.optimisticIntervalMs ?? OPTIMISTIC_INTERVAL_MS;
    this.retryAfterS = options.retryAfterS ?? RETRY_AFTER_S;
    this.halfLifeMs = options.rateHalfLifeMs ?? RATE_HALF_LIFE_MS;
    this.interestTtlMs = options.interestTtlMs ?? INTEREST_TTL_MS;
    const now = env.now();
    this.nextRechokeAt = now;
    this.nextOptimisticAt = now;
  }

  get inUse(): number {
    return this.used;
  }

  /** Requests refused since construction. */
  get chokedTotal(): number {
    return this.choked;
  }

  /** Peers currently unchoked (preferred and optimistic). */
  unchoked(): string[] {
    const out = [...this.preferred];
    if (this.optimistic !== null && !this.preferred.has(this.optimistic)) out.push(this.optimistic);
    return out;
  }

  get optimisticPeer(): string | null {
    return this.optimistic;
  }

  /** Bytes WE downloaded from `peerId`: what reciprocation rewards. */
  credit(peerId: string, bytes: number): void {
    if (!(bytes > 0)) return;
    const peer = this.peer(peerId);
    this.decay(peer);
    peer.score += bytes;
  }

  /** Recent download rate from the peer, bytes per second (decayed score / mean lifetime). */
  rate(peerId: string): number {
    const peer = this.peers.get(peerId);
    if (!peer) return 0;
    this.decay(peer);
    return (peer.score * Math.LN2 * 1000) / this.halfLifeMs;
  }

  /** Ask for an upload slot on behalf of `peerId`. */
  request(peerId: string): SlotGrant {
    const now = this.env.now();
    const peer = this.peer(peerId);
    peer.lastRequestAt = now;
    this.tick();
    const free = this.slots - this.used;
    const isUnchoked = this.preferred.has(peerId) || this.optimistic === peerId;
    let grant = false;
    if (free > 0) {
      // Free slots beyond those claimed by waiting unchoked peers go to anyone.
      grant = isUnchoked || free > this.waitingUnchoked(now, peerId);
    }
    if (!grant) {
      this.choked++;
      if (isUnchoked && peer.waitingSince === null) peer.waitingSince = now;
      return { granted: false, retryAfterS: this.retryAfterS };
    }
    peer.waitingSince = null;
    peer.active++;
    this.used++;
    let released = false;
    return {
      granted: true,
      release: () => {
        if (released) return;
        released = true;
        peer.active--;
        this.used--;
      },
    };
  }

  /** Re-evaluate the unchoke set if its interval elapsed. Cheap when not due. */
  tick(): void {
    const now = this.env.now();
    if (now >= this.nextOptimisticAt || (this.optimistic !== null && !this.interested(this.optimistic, now))) {
      this.nextOptimisticAt = now + this.optimisticIntervalMs;
      this.rechoke(now, true);
    } else if (now >= this.nextRechokeAt) {
      this.rechoke(now, false);
    }
  }

  private rechoke(now: number, rotateOptimistic: boolean): void {
    this.nextRechokeAt = now + this.rechokeIntervalMs;
    this.forget(now);
    const interested = [...this.peers.keys()].filter((id) => this.interested(id, now));
    const ranked = interested
      .map((id) => ({ id, rate: this.rate(id) }))
      .filter((p) => p.rate > 0)
      .sort((a, b) => b.rate - a.rate || (a.id < b.id ? -1 : 1));
    this.preferred = new Set(ranked.slice(0, Math.max(0, this.slots - 1)).map((p) => p.id));
    if (rotateOptimistic || (this.optimistic !== null && this.preferred.has(this.optimistic))) {
      const candidates = interested.filter((id) => !this.preferred.has(id) && id !== this.optimistic).sort();
      const pool = candidates.length > 0 ? candidates : interested.filter((id) => !this.preferred.has(id)).sort();
      this.optimistic = pool.length > 0 ? pool[Math.floor(this.env.random() * pool.length)] : null;
    }
    for (const [id, peer] of this.peers) {
      if (peer.waitingSince !== null && !this.preferred.has(id) && this.optimistic !== id) peer.waitingSince = null;
    }
  }

  /** Unchoked peers (other than `except`) that were refused recently and still want a slot. */
  private waitingUnchoked(now: number, except: string): number {
    let n = 0;
    for (const id of this.unchoked()) {
      if (id === except) continue;
      const p = this.peers.get(id);
      if (p && p.waitingSince !== null && p.active === 0 && now - p.waitingSince <= 2 * this.retryAfterS * 1000) n++;
    }
    return n;
  }

  private interested(id: string, now: number): boolean {
    const p = this.peers.get(id);
    return p !== undefined && (p.active > 0 || now - p.lastRequestAt <= this.interestTtlMs);
  }

  private decay(peer: PeerState): void {
    const now = this.env.now();
    if (now > peer.scoreAt) {
      peer.score *= Math.pow(2, -(now - peer.scoreAt) / this.halfLifeMs);
      peer.scoreAt = now;
    }
  }

  private peer(id: string): PeerState {
    let p = this.peers.get(id);
    if (!p) {
      const now = this.env.now();
      if (this.peers.size >= MAX_TRACKED_PEERS) this.forget(now);
      p = { score: 0, scoreAt: now, lastRequestAt: -Infinity, active: 0, waitingSince: null };
      this.peers.set(id, p);
    }
    return p;
  }

  /** Drop idle peers whose score decayed away, then the oldest if still over the bound. */
  private forget(now: number): void {
    for (const [id, p] of this.peers) {
      if (p.active === 0 && !this.interested(id, now) && this.rate(id) < 1) this.peers.delete(id);
    }
    if (this.peers.size < MAX_TRACKED_PEERS) return;
    const idle = [...this.peers.entries()].filter(([, p]) => p.active === 0).sort((a, b) => a[1].lastRequestAt - b[1].lastRequestAt);
    for (const [id] of idle.slice(0, this.peers.size - MAX_TRACKED_PEERS + 1)) this.peers.delete(id);
  }
}
