// dht mode on a real node: a supernode is a member of a Chord ring of
// supernodes (services/core/chord.ts), publishes a provider record for every
// file it indexes (its leaves' and its own), and answers Locate by a Chord
// lookup. Keyword search still travels the supernode tier: Chord finds
// exact content hashes only.
import { createHash } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ChordNode, LOOKUP_TIMEOUT_MS, chordId, type ChordMessage, type ChordRef } from '../core/chord.js';
import { Supernode } from '../core/supernode.js';
import { chordFromWire, chordToWire, formatProvider, parseProvider, MAX_PROVIDERS, type Provider } from './chord-codec.js';
import type { SuperpeerNode } from './node.js';

/** Records live on whichever member holds them; republishing heals churn. */
export const REPUBLISH_MS = 15_000;
/** Early republishes while the ring is still converging after a join. */
export const EARLY_REPUBLISH_MS = [1_000, 3_000, 6_000, 10_000];
export const CHORD_SEND_TIMEOUT_MS = 2_000;
/** Call metadata that carries the overlay secret on Chord calls. */
export const SECRET_METADATA = 'superpeer-secret';
/** A record not republished in this long is dropped (three republishes missed). */
export const RECORD_TTL_MS = 4 * REPUBLISH_MS;
/** How often a member alone on its ring looks for others to join. */
export const JOIN_CHECK_MS = 2_000;

export class DhtMember {
  readonly chord: ChordNode;
  private republish: NodeJS.Timeout | undefined;
  private joinCheck: NodeJS.Timeout | undefined;
  private joined = false;
  /** Chord messages this member sent, for cost per lookup. */
  sent = 0;

  constructor(private readonly node: SuperpeerNode) {
    const self: ChordRef = { id: ringId(node.config.id), address: node.grpcAddress };
    this.chord = new ChordNode(self, {
      now: () => Date.now(),
      send: (to, m) => this.send(to, m),
      setTimer: (ms, fire) => {
        const t = setTimeout(fire, ms);
        t.unref();
        return { cancel: () => clearTimeout(t) };
      },
      refused: (reason) => node.metrics.refusals.inc({ reason }),
    }, { recordTtlMs: RECORD_TTL_MS, maxKeys: node.config.chordMaxKeys });
  }

  start(): void {
    this.joinCheck = setInterval(() => this.ensureJoined(), JOIN_CHECK_MS).unref();
    this.republish = setInterval(() => this.publishAll(), REPUBLISH_MS).unref();
    this.ensureJoined();
  }

  stop(): void {
    clearInterval(this.joinCheck);
    clearInterval(this.republish);
    this.chord.stop();
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
      if (!this.joined) this.chord.join(null, () => this.joinedRing());
      return;
    }
    const target = bootstrap;
    if (!this.joined) {
      this.chord.join(target, (ok) => ok && this.joinedRing());
      return;
    }
    this.chord.findVia(target, self.id, (found) => {
      if (found && found.id !== self.id) {
        this.node.log.info({ via: target.address }, 'not in the bootstrap ring: joining again');
        this.chord.join(target, (ok) => ok && this.joinedRing());
      }
    });
  }

  private joinedRing(): void {
    this.joined = true;
    for (const ms of EARLY_REPUBLISH_MS) setTimeout(() => this.publishAll(), ms).unref();
  }

  publishAll(): void {
    const core = this.node.core;
    if (!(core instanceof Supernode)) return;
    for (const { peer, file } of core.holdings()) {
      const provider: Provider = { nodeId: peer.nodeId, httpAddress: peer.firewalled ? '' : peer.httpAddress, zone: peer.zone, size: file.size, name: file.name };
      this.chord.publish(file.sha256, formatProvider(provider));
    }
  }

  locate(sha256: string, timeoutMs: number): Promise<{ providers: Provider[]; hops: number }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ providers: [], hops: 0 }), timeoutMs);
      this.chord.locate(sha256, (providers, hops) => {
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

  private send(address: string, m: ChordMessage): void {
    this.sent++;
    if (address === this.node.grpcAddress) {
      // A member may address itself (a one-member ring); no network needed.
      setImmediate(() => this.chord.receive(m));
      return;
    }
    // A find_successor may travel the whole path before its answer comes back.
    const timeoutMs = m.type === 'find_successor' ? LOOKUP_TIMEOUT_MS : CHORD_SEND_TIMEOUT_MS;
    const metadata = new grpc.Metadata();
    if (this.node.config.secret) metadata.set(SECRET_METADATA, this.node.config.secret);
    this.node.dialer.overlayClient(address).Chord(chordToWire(m), metadata, { deadline: new Date(Date.now() + timeoutMs) }, (err, ack) => {
      if (err || !ack?.reply) return;
      try {
        const reply = chordFromWire(ack.reply);
        // Only answers settle our requests; anything else in a reply is ignored.
        if (reply.type === 'found' || reply.type === 'state' || reply.type === 'providers') this.chord.receive(reply);
      } catch (e) {
        this.node.log.debug({ from: address, err: String(e) }, 'malformed Chord answer');
      }
    });
  }
}

export function ringId(nodeId: string): number {
  return chordId(createHash('sha256').update(nodeId).digest('hex'));
}
