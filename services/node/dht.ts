// dht mode on a real node: a supernode is a member of a Chord ring of
// supernodes (services/core/chord-member.ts), with several ring positions,
// announces a provider record for every file it indexes (its leaves' and
// its own) through the incremental publisher, and answers Locate by a Chord
// lookup that falls back along the key's replicas. Keyword search still
// travels the supernode tier: Chord finds exact content hashes only.
import { createHash } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { LOOKUP_TIMEOUT_MS, chordId, isMaintenance, type ChordMessage, type ChordRef } from '../core/chord.js';
import { ChordMember, DEFAULT_VIRTUAL_NODES } from '../core/chord-member.js';
import { ChordPublisher, type Announcement } from '../core/chord-publisher.js';
import { Supernode } from '../core/supernode.js';
import { chordFromWire, chordToWire, formatProvider, parseProvider, MAX_PROVIDERS, type Provider } from './chord-codec.js';
import type { SuperpeerNode } from './node.js';

/** Stabilise period per ring position: with 8 positions, ≈ 3 ring messages per member per second at steady state. */
export const DHT_STABILIZE_MS = 5_000;
/** One finger refreshed per position per period: fingers only shorten paths. */
export const DHT_FINGER_MS = 30_000;
/** How often new or withdrawn files are announced (only what changed goes out). */
export const PUBLISH_CHECK_MS = 5_000;
/**
 * After our neighbourhood of the ring changed (joins, failures, a ring
 * still forming) and then stayed quiet this long, every record is announced
 * again with fresh lookups: records placed while lookups could still end at
 * the wrong member move to their arcs. A quiet ring never triggers it.
 */
export const RESETTLE_MS = 10_000;
export const CHORD_SEND_TIMEOUT_MS = 2_000;
/** Call metadata that carries the overlay secret on Chord calls. */
export const SECRET_METADATA = 'superpeer-secret';
/** How often a member alone on its ring looks for others to join. */
export const JOIN_CHECK_MS = 2_000;

export class DhtMember {
  readonly member: ChordMember;
  readonly publisher: ChordPublisher;
  private publishTimer: NodeJS.Timeout | undefined;
  private joinCheck: NodeJS.Timeout | undefined;
  private joined = false;
  private reannouncedAt = 0;
  private stopped = false;
  /** Chord messages this member sent to other members, for cost per lookup and maintenance rate. */
  sent = 0;
  maintenanceSent = 0;

  constructor(private readonly node: SuperpeerNode) {
    this.member = new ChordMember(
      node.grpcAddress,
      node.zone,
      positionIds(node.config.id),
      {
        now: () => Date.now(),
        send: (to, m, failed, from) => this.send(to, m, failed, from),
        setTimer: (ms, fire) => {
          const t = setTimeout(fire, ms);
          t.unref();
          return { cancel: () => clearTimeout(t) };
        },
        refused: (reason) => node.metrics.refusals.inc({ reason }),
      },
      { stabilizeMs: DHT_STABILIZE_MS, fingerMs: DHT_FINGER_MS, limits: { maxKeys: node.config.chordMaxKeys } },
    );
    this.publisher = new ChordPublisher(this.member, () => Date.now());
  }

  /** The member's first position (status, tests). */
  get chord(): ChordMember['nodes'][number] {
    return this.member.nodes[0];
  }

  start(): void {
    this.joinCheck = setInterval(() => this.ensureJoined(), JOIN_CHECK_MS).unref();
    this.publishTimer = setInterval(() => this.publishAll(), PUBLISH_CHECK_MS).unref();
    this.ensureJoined();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.joinCheck);
    clearInterval(this.publishTimer);
    this.member.stop();
  }

  /**
   * Every member joins through one bootstrap: the supernode with the smallest
   * ring ID in the registry's directory (seeds when there is no registry).
   * Concurrent joins through different members can leave Chord in several
   * loops; so a joined member also checks, now and then, that the bootstrap's
   * ring finds it, and joins again through the bootstrap when it does not.
   */
  private ensureJoined(): void {
    const self = this.chord.self;
    const directory = (this.node.registry?.cachedDirectory() ?? []).map((e) => ({ id: ringId(e.id), address: e.grpcAddress }));
    let bootstrap: ChordRef | undefined = [...directory, self].sort((a, b) => a.id - b.id)[0];
    if (directory.length === 0) {
      const seed = this.node.config.seeds.find((a) => a !== this.node.grpcAddress);
      bootstrap = seed ? { id: 0, address: seed } : self;
    }
    if (bootstrap.address === self.address) {
      if (!this.joined) this.member.join(null, () => this.joinedRing());
      return;
    }
    // A directory entry names the member's first position; a seed is dialled by address alone.
    const target: ChordRef = directory.length === 0 ? { id: 0, address: bootstrap.address } : bootstrap;
    if (!this.joined) {
      this.member.join(target, (ok) => ok && this.joinedRing());
      return;
    }
    this.chord.findVia(target, self.id, (found) => {
      if (found && found.id !== self.id) {
        this.node.log.info({ via: target.address }, 'not in the bootstrap ring: joining again');
        this.member.join(target, () => undefined);
      }
    });
  }

  private joinedRing(): void {
    if (this.joined) return;
    this.joined = true;
    this.publishAll();
  }

  /** Announces what changed in the files this supernode indexes; records due for refresh go along. */
  publishAll(): void {
    const core = this.node.core;
    if (this.stopped || !this.joined || !(core instanceof Supernode)) return;
    const all: Announcement[] = [];
    for (const { peer, file } of core.holdings()) {
      const provider: Provider = { nodeId: peer.nodeId, httpAddress: peer.firewalled ? '' : peer.httpAddress, zone: peer.zone, size: file.size, name: file.name };
      all.push({ sha256: file.sha256, provider: formatProvider(provider) });
    }
    this.publisher.set(all);
    const changed = this.member.lastChangeAt;
    if (changed > this.reannouncedAt && Date.now() - changed >= RESETTLE_MS) {
      this.reannouncedAt = Date.now();
      this.publisher.reannounce();
    }
    this.publisher.flush();
  }

  locate(sha256: string, timeoutMs: number): Promise<{ providers: Provider[]; hops: number }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ providers: [], hops: 0 }), timeoutMs);
      this.member.locate(sha256, (providers, hops) => {
        clearTimeout(timer);
        const parsed: Provider[] = [];
        for (const p of (providers ?? []).slice(0, MAX_PROVIDERS)) {
          try {
            parsed.push(parseProvider(p));
          } catch {
            // a malformed record is skipped, not served
          }
        }
        resolve({ providers: parsed, hops });
      });
    });
  }

  private send(to: ChordRef, m: ChordMessage, failed: (() => void) | undefined, from: ChordRef): void {
    if (to.address === this.node.grpcAddress) {
      // Between our own positions: no network needed; answers come back to the sender as on a call.
      setImmediate(() => !this.stopped && this.member.receive(to.id, m, (answer) => this.member.receive(from.id, answer)));
      return;
    }
    this.sent++;
    const maintenance = isMaintenance(m);
    if (maintenance) this.maintenanceSent++;
    this.node.metrics.dhtMessages.inc({ purpose: maintenance ? 'maintenance' : 'lookup' });
    // A find_successor may travel the whole path before its answer comes back.
    const timeoutMs = m.type === 'find_successor' ? LOOKUP_TIMEOUT_MS : CHORD_SEND_TIMEOUT_MS;
    const metadata = new grpc.Metadata();
    if (this.node.config.secret) metadata.set(SECRET_METADATA, this.node.config.secret);
    this.node.dialer.overlayClient(to.address).Chord(chordToWire(m, to), metadata, { deadline: new Date(Date.now() + timeoutMs) }, (err, ack) => {
      if (this.stopped) return;
      if (err) return failed?.();
      if (!ack?.reply) return;
      try {
        const reply = chordFromWire(ack.reply);
        // Only answers settle our requests; anything else in a reply is ignored.
        if (reply.type === 'found' || reply.type === 'state' || reply.type === 'providers') this.member.receive(from.id, reply);
      } catch (e) {
        this.node.log.debug({ from: to.address, err: String(e) }, 'malformed Chord answer');
      }
    });
  }
}

export function ringId(nodeId: string): number {
  return chordId(createHash('sha256').update(nodeId).digest('hex'));
}

const positionCache = new Map<string, number[]>();
/** Node IDs whose positions are remembered (every incoming notify checks the directory). */
const POSITION_CACHE_SIZE = 4_096;

/** A member's ring positions: the first is its node ID's, so the directory names it. */
export function positionIds(nodeId: string): number[] {
  let ids = positionCache.get(nodeId);
  if (!ids) {
    if (positionCache.size >= POSITION_CACHE_SIZE) positionCache.clear();
    ids = Array.from({ length: DEFAULT_VIRTUAL_NODES }, (_, v) => ringId(v === 0 ? nodeId : `${nodeId}#${v}`));
    positionCache.set(nodeId, ids);
  }
  return ids;
}
