// A supernode's links to other supernodes: dials its seeds (and later the
// registry's directory), accepts inbound links up to a bound, keeps one link
// per neighbour pair, and redials with backoff when a link drops. It also
// tells its leaves which other supernodes they may use, and sheds leaves
// when it holds far more than the overlay's mean.
import { SuperpeerError } from '../core/errors.js';
import { Supernode } from '../core/supernode.js';
import { WIRE_VERSION, peerFromWire, peerToWire } from './codec.js';
import type { LinkMessage, LinkMessage__Output } from './generated/superpeer/v1/LinkMessage.js';
import type { NodeInfo } from './generated/superpeer/v1/NodeInfo.js';
import type { AnyStream, SuperpeerNode } from './node.js';
import type { SupernodeEntry } from '../registry/registry.js';
import { chooseLinks } from '../core/link-choice.js';
import { shedCount } from '../core/shedding.js';
import { alternativesFingerprint, chooseAlternatives, type Alternative } from '../core/alternatives.js';
import { jittered } from '../core/control-timing.js';
import { onLinkMessage, refuseOtherVersion, rejectIn } from './overlay-server.js';
import { PeerStream } from './peer-stream.js';
import { cryptoRandom } from './runtime-env.js';
import { DEFAULT_QRT_BITS, QueryRouteTable } from '../core/query-route-table.js';
import { MAX_ADVERT_NEIGHBOURS } from '../core/neighbourhood.js';
import { MAX_NODE_ID_CHARS } from '../core/limits.js';
import type { Neighbourhood__Output } from './generated/superpeer/v1/Neighbourhood.js';

/** Route tables on the wire: 2^16 bits = 8 KiB, well inside one message. */
export const WIRE_QRT_MAX_BITS = 16;

/** A safety look at the links while nothing happens; a failed dial schedules its own retry. */
export const LINK_CHECK_MS = 10_000;
/** Leaves hear of load-only changes in their alternatives at most this often (a supernode coming or going: at once). */
export const ALTERNATIVES_MIN_INTERVAL_MS = 10_000;
export const LINK_BACKOFF_MIN_MS = 250;
export const LINK_BACKOFF_MAX_MS = 10_000;
/** QRP: how often a supernode checks whether its route table changed and resends it. */
export const ROUTE_TABLE_INTERVAL_MS = 2_000;

interface Target {
  address: string;
  failures: number;
  retryAt: number;
  pending: boolean;
  stream?: AnyStream;
  self?: boolean;
  /** Learnt from its hello; a zone cut off by fault injection is not dialled. */
  zone?: string;
}

function alternativeToWire(a: Alternative): NodeInfo {
  return { node_id: a.id, grpc_address: a.address, zone: a.zone, score: a.score, role: 'supernode', leaf_capacity: a.leafCapacity, leaves: a.leaves };
}

function wireToAlternative(n: NodeInfo): Alternative {
  return { id: n.node_id ?? '', address: n.grpc_address ?? '', zone: n.zone ?? '', score: Number(n.score ?? 0), leaves: n.leaves ?? 0, leafCapacity: n.leaf_capacity ?? 0 };
}

export class Neighbours {
  private readonly targets = new Map<string, Target>();
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDue = 0;
  /** The directory as last seen (other supernodes), for alternatives. */
  private directory: SupernodeEntry[] = [];
  /** What each zone's leaves were last told, and when. */
  private readonly told = new Map<string, { membership: string; loads: string; at: number }>();
  private qrtTimer: NodeJS.Timeout | undefined;
  /** The route table last sent, encoded, to tell whether it changed. */
  private sentTable: Buffer | undefined;
  /** The neighbourhood advert last sent, and its key to tell whether it changed. */
  private sentAdvert: { key: string; msg: LinkMessage } | undefined;
  private stopped = false;

  constructor(private readonly node: SuperpeerNode) {}

  private get core(): Supernode {
    if (!(this.node.core instanceof Supernode)) throw new SuperpeerError('NOT_SUPERNODE', 'not a supernode');
    return this.node.core;
  }

  start(): void {
    this.addCandidates(this.node.config.seeds);
    this.check();
    this.qrtTimer = setInterval(() => this.shareRouteTable(), ROUTE_TABLE_INTERVAL_MS).unref();
    this.tick();
  }

  private check(): void {
    this.timer = setTimeout(() => {
      this.tick();
      this.check();
    }, jittered(LINK_CHECK_MS, cryptoRandom)).unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    clearInterval(this.qrtTimer);
    for (const t of this.targets.values()) t.stream?.close();
  }

  /** Addresses of supernodes worth linking to. */
  addCandidates(addresses: Iterable<string>): void {
    for (const address of addresses) {
      if (address === this.node.grpcAddress || this.targets.has(address)) continue;
      this.targets.set(address, { address, failures: 0, retryAt: 0, pending: false });
    }
  }

  /**
   * Links from the directory: the supernodes whose IDs follow ours on a ring
   * of IDs, so every supernode picks different ones and the graph stays
   * connected; links to supernodes gone from the directory are dropped.
   */
  useDirectory(entries: SupernodeEntry[], changed = true): void {
    this.directory = entries;
    if (changed) this.tellLeaves();
    // Flood mode keeps the random graph it was given, as Gnutella servents did.
    if (entries.length === 0 || this.node.config.mode === 'flood') return;
    if (changed) {
      this.addCandidates(chooseLinks(this.node.config.id, entries, this.node.config.maxLinks).map((e) => e.grpcAddress));
      this.tick();
    }
    const listed = new Set(entries.map((e) => e.grpcAddress));
    for (const [address, t] of this.targets) {
      if (!listed.has(address) && !this.node.config.seeds.includes(address)) {
        t.stream?.close();
        this.targets.delete(address);
      }
    }
    this.shed(entries);
  }

  /**
   * A supernode far above the average load redirects its newest leaves, so
   * leaves that herded onto it spread out again (they avoid it for a while).
   */
  private shed(entries: SupernodeEntry[]): void {
    const excess = shedCount(this.core.leafCount, entries.map((e) => e.leaves));
    if (excess <= 0) return;
    const leaves = [...this.node.streams.values()].filter((s) => s.kind === 'leaf').slice(-excess);
    for (const s of leaves) {
      s.write({ redirect: { reason: 'load above the overlay average', alternatives: this.alternatives(s.peer.zone) } });
      s.close();
    }
  }

  /** Fault injection healed: dial every missing link now rather than after its backoff. */
  retryNow(): void {
    for (const t of this.targets.values()) {
      t.failures = 0;
      t.retryAt = 0;
    }
    this.tick();
  }

  count(): number {
    return this.core.neighbourList().length;
  }

  /**
   * Registers a link from either end. Throws CAPACITY, or DUPLICATE_LINK when
   * a link to that node ID is up: a node ID is bound to the link that holds
   * it and a newcomer claiming it is refused, never the holder dropped. Two
   * supernodes dialling each other at once may both lose theirs; each
   * redials after a random backoff, so the next try finds one link up.
   */
  admit(stream: AnyStream): void {
    const core = this.core;
    const selfId = this.node.config.id;
    const existing = [...this.node.streams.values()].find((s) => s.kind === 'neighbour' && s.peer.nodeId === stream.peer.nodeId);
    if (existing) {
      throw new SuperpeerError('DUPLICATE_LINK', `${selfId} is already linked to ${stream.peer.nodeId}`);
    } else if (!stream.outbound && this.count() >= this.node.config.maxLinks) {
      throw new SuperpeerError('CAPACITY', `${selfId} holds ${this.node.config.maxLinks} links, its maximum`);
    }
    this.node.streams.set(stream.id, stream);
    core.linkUp(stream.id, stream.peer);
    // After the current turn: an accepting supernode writes its hello right after
    // admit(), and the dialler takes anything else first for a broken link.
    const table = this.sentTable;
    const advert = this.sentAdvert?.msg;
    if (table || advert) {
      setImmediate(() => {
        if (table) stream.write(this.routeTableMessage(table));
        if (advert) stream.write(advert);
      });
    }
    this.node.log.debug({ peer: stream.peer.nodeId, outbound: stream.outbound }, 'link up');
  }

  closed(stream: AnyStream): void {
    if (this.node.streams.get(stream.id) !== stream) return;
    this.node.streams.delete(stream.id);
    if (this.node.core instanceof Supernode) this.node.core.linkDown(stream.id);
    this.node.log.debug({ peer: stream.peer.nodeId }, 'link down');
  }

  private drop(stream: AnyStream): void {
    this.closed(stream);
    stream.close();
  }

  /**
   * QRP (Gnutella's query routing protocol): neighbours learn which keywords
   * this supernode's index can match, so a query on its last hop goes only
   * where it may hit. Sent to every neighbour when it changes.
   */
  private shareRouteTable(): void {
    if (this.stopped || !(this.node.core instanceof Supernode)) return;
    this.shareNeighbourhood();
    const table = Buffer.from(this.core.routeTable().encode().table);
    if (this.sentTable?.equals(table)) return;
    this.sentTable = table;
    const msg = this.routeTableMessage(table);
    for (const s of this.node.streams.values()) if (s.kind === 'neighbour') s.write(msg);
  }

  /**
   * Tells neighbours what lies behind this supernode (core/neighbourhood.ts),
   * when it changed. Built from the tables neighbours sent, so it follows
   * theirs by one interval. Flood mode keeps Gnutella's plain forwarding.
   */
  private shareNeighbourhood(): void {
    if (this.node.config.mode === 'flood') return;
    const advert = this.core.neighbourhood(DEFAULT_QRT_BITS);
    const behind = advert.behind ? Buffer.from(advert.behind.encode().table) : Buffer.alloc(0);
    const neighbours = [...advert.neighbours].sort();
    const key = `${neighbours.join(' ')}|${behind.toString('base64')}`;
    if (this.sentAdvert?.key === key) return;
    const msg: LinkMessage = { neighbourhood: { neighbours, bits: advert.behind ? DEFAULT_QRT_BITS : 0, behind } };
    this.sentAdvert = { key, msg };
    for (const s of this.node.streams.values()) if (s.kind === 'neighbour') s.write(msg);
  }

  /** A neighbour's advert arrived. Throws BAD_FIELD when malformed. */
  neighbourhoodFrom(stream: AnyStream, n: Neighbourhood__Output): void {
    if (n.neighbours.length > MAX_ADVERT_NEIGHBOURS) throw new SuperpeerError('BAD_FIELD', `at most ${MAX_ADVERT_NEIGHBOURS} neighbours in an advert`);
    if (n.neighbours.some((id) => id.length === 0 || id.length > MAX_NODE_ID_CHARS)) throw new SuperpeerError('BAD_FIELD', 'neighbour ID missing or too long');
    if (n.bits > WIRE_QRT_MAX_BITS) throw new SuperpeerError('BAD_FIELD', `route tables above ${WIRE_QRT_MAX_BITS} bits are refused`);
    const behind = n.bits === 0 ? undefined : QueryRouteTable.decode({ bits: n.bits, table: n.behind });
    this.core.setNeighbourhood(stream.id, { neighbours: n.neighbours, behind });
  }

  private routeTableMessage(table: Buffer): LinkMessage {
    return { route_table: { bits: DEFAULT_QRT_BITS, table } };
  }

  /** A neighbour's route table arrived. Throws BAD_FIELD when malformed. */
  routeTableFrom(stream: AnyStream, bits: number, table: Buffer): void {
    if (bits > WIRE_QRT_MAX_BITS) throw new SuperpeerError('BAD_FIELD', `route tables above ${WIRE_QRT_MAX_BITS} bits are refused`);
    this.core.setNeighbourRouteTable(stream.id, QueryRouteTable.decode({ bits, table }));
  }

  /**
   * Supernodes a leaf of `zone` may use instead of (or besides) this one:
   * from the directory (with loads) and the linked neighbours, same zone and
   * room first (core/alternatives.ts). `withSelf` adds this supernode with
   * its load now, so leaves see their uplink's load too.
   */
  alternatives(zone: string, withSelf = false): NodeInfo[] {
    const known = new Map<string, Alternative>();
    for (const n of this.core.neighbourList()) {
      const p = n.peer;
      known.set(p.nodeId, { id: p.nodeId, address: p.grpcAddress, zone: p.zone, score: p.score, leaves: 0, leafCapacity: p.leafCapacity });
    }
    for (const e of this.directory) known.set(e.id, { id: e.id, address: e.grpcAddress, zone: e.zone, score: e.score, leaves: e.leaves, leafCapacity: e.leafCapacity });
    known.delete(this.node.config.id);
    const list = chooseAlternatives([...known.values()], zone).map(alternativeToWire);
    if (withSelf) list.unshift({ ...peerToWire(this.node.info()), leaves: this.core.leafCount });
    return list;
  }

  /**
   * Leaves hear when their alternatives change: at once when a supernode
   * came or went, at most every ALTERNATIVES_MIN_INTERVAL_MS when only loads
   * moved, never when nothing did.
   */
  private tellLeaves(): void {
    const now = Date.now();
    const lists = new Map<string, NodeInfo[] | null>();
    for (const s of this.node.streams.values()) {
      if (s.kind !== 'leaf') continue;
      const zone = s.peer.zone;
      if (!lists.has(zone)) {
        const list = this.alternatives(zone, true);
        const f = alternativesFingerprint(list.map(wireToAlternative));
        const last = this.told.get(zone);
        const news = !last || last.membership !== f.membership || (last.loads !== f.loads && now - last.at >= ALTERNATIVES_MIN_INTERVAL_MS);
        if (news) this.told.set(zone, { ...f, at: now });
        lists.set(zone, news ? list : null);
      }
      const list = lists.get(zone);
      if (list) s.write({ alternatives: { supernodes: list } });
    }
  }

  /** Before leaving: every leaf is told where to go instead. */
  handOverLeaves(): void {
    for (const s of this.node.streams.values()) {
      if (s.kind !== 'leaf') continue;
      s.write({ redirect: { reason: 'supernode leaving', alternatives: this.alternatives(s.peer.zone) } });
      s.close();
    }
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    let budget = this.node.config.maxLinks - this.count();
    for (const t of this.targets.values()) {
      if (budget <= 0) break;
      if (t.self || t.pending || t.retryAt > now || this.node.faults.blocks(t.zone)) continue;
      if (t.stream && !t.stream.closed) continue;
      if (this.linkedTo(t)) continue;
      budget--;
      this.dial(t);
    }
  }

  private linkedTo(t: Target): boolean {
    return this.core.neighbourList().some((n) => n.peer.grpcAddress === t.address);
  }

  private dial(t: Target): void {
    t.pending = true;
    const call = this.node.dialer.overlayClient(t.address).Link();
    let stream: PeerStream<LinkMessage> | undefined;
    const fail = () => {
      t.pending = false;
      if (stream) this.closed(stream);
      t.stream = undefined;
      stream = undefined;
      t.failures++;
      // Random, so two supernodes that refused each other's links do not redial in step.
      const backoff = Math.min(LINK_BACKOFF_MAX_MS, LINK_BACKOFF_MIN_MS * 2 ** Math.min(t.failures, 6));
      const wait = backoff / 2 + cryptoRandom() * backoff;
      t.retryAt = Date.now() + wait;
      // Event-driven redial: when this backoff ends, not on a fixed tick.
      if (!this.stopped && !(this.retryTimer && this.retryDue <= t.retryAt)) {
        clearTimeout(this.retryTimer);
        this.retryDue = t.retryAt;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.tick();
        }, wait).unref();
      }
    };
    call.on('data', (msg: LinkMessage__Output) => {
      try {
        if (!stream) {
          if (msg.body !== 'hello' || !msg.hello) throw new SuperpeerError('BAD_FIELD', 'expected a hello');
          refuseOtherVersion(this.node, msg.hello.wire_version, t.address);
          const peer = peerFromWire(msg.hello.node);
          if (peer.nodeId === this.node.config.id) {
            t.self = true;
            call.cancel();
            return;
          }
          t.zone = peer.zone;
          if (this.node.faults.blocks(peer.zone)) {
            call.cancel();
            return;
          }
          const s = new PeerStream<LinkMessage>(this.node.newStreamId('link'), 'neighbour', peer, call, true);
          this.admit(s);
          stream = s;
          t.stream = s;
          t.pending = false;
          t.failures = 0;
          return;
        }
        onLinkMessage(this.node, stream, msg);
      } catch (err) {
        if (stream) rejectIn(stream, err);
        else call.cancel();
      }
    });
    call.on('error', fail);
    call.on('end', fail);
    call.write({ hello: { node: peerToWire(this.node.info()), mode: this.node.config.mode, secret: this.node.config.secret ?? '', wire_version: WIRE_VERSION } });
  }
}
