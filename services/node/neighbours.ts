// A supernode's links to other supernodes: dials its seeds (and later the
// registry's directory), accepts inbound links up to a bound, keeps one link
// per neighbour pair, and redials with backoff when a link drops.
import { SuperpeerError } from '../core/errors.js';
import { Supernode } from '../core/supernode.js';
import { WIRE_VERSION, peerFromWire, peerToWire } from './codec.js';
import type { LinkMessage, LinkMessage__Output } from './generated/superpeer/v1/LinkMessage.js';
import type { NodeInfo } from './generated/superpeer/v1/NodeInfo.js';
import type { AnyStream, SuperpeerNode } from './node.js';
import type { SupernodeEntry } from '../registry/registry.js';
import { DIRECTORY_LINKS } from './registry-agent.js';
import { onLinkMessage, refuseOtherVersion, rejectIn } from './overlay-server.js';
import { PeerStream } from './peer-stream.js';
import { cryptoRandom } from './runtime-env.js';
import { DEFAULT_QRT_BITS, QueryRouteTable } from '../core/query-route-table.js';
import { MAX_ADVERT_NEIGHBOURS } from '../core/neighbourhood.js';
import { MAX_NODE_ID_CHARS } from '../core/limits.js';
import type { Neighbourhood__Output } from './generated/superpeer/v1/Neighbourhood.js';

/** Route tables on the wire: 2^16 bits = 8 KiB, well inside one message. */
export const WIRE_QRT_MAX_BITS = 16;

/** How often missing links are redialled. */
export const LINK_TICK_MS = 1_000;
export const LINK_BACKOFF_MIN_MS = 250;
export const LINK_BACKOFF_MAX_MS = 10_000;
/** QRP: how often a supernode checks whether its route table changed and resends it. */
export const ROUTE_TABLE_INTERVAL_MS = 2_000;
/** Leaves above this multiple of the mean load (plus one) are redirected. */
export const SHED_ABOVE_MEAN = 1.15;

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

export class Neighbours {
  private readonly targets = new Map<string, Target>();
  private timer: NodeJS.Timeout | undefined;
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
    this.timer = setInterval(() => this.tick(), LINK_TICK_MS).unref();
    this.qrtTimer = setInterval(() => this.shareRouteTable(), ROUTE_TABLE_INTERVAL_MS).unref();
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
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
  useDirectory(entries: SupernodeEntry[]): void {
    // Flood mode keeps the random graph it was given, as Gnutella servents did.
    if (entries.length === 0 || this.node.config.mode === 'flood') return;
    const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : 1));
    const after = sorted.filter((e) => e.id > this.node.config.id);
    const ring = [...after, ...sorted.filter((e) => e.id < this.node.config.id)];
    const want = ring.slice(0, Math.min(DIRECTORY_LINKS, this.node.config.maxLinks));
    this.addCandidates(want.map((e) => e.grpcAddress));
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
    const core = this.core;
    const loads = [...entries.map((e) => e.leaves), core.leafCount];
    const mean = loads.reduce((a, b) => a + b, 0) / loads.length;
    const limit = Math.ceil(mean * SHED_ABOVE_MEAN) + 1;
    const excess = core.leafCount - limit;
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

  /** Neighbour supernodes a redirected leaf may try, same zone first. */
  alternatives(zone: string): NodeInfo[] {
    return this.core
      .neighbourList()
      .map((n) => n.peer)
      .sort((a, b) => Number(b.zone === zone) - Number(a.zone === zone))
      .slice(0, 8)
      .map(peerToWire);
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
      t.retryAt = Date.now() + backoff / 2 + cryptoRandom() * backoff;
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
