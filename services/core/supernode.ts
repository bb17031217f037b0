// The supernode role: indexes its leaves' files, answers queries for them,
// and forwards queries to neighbour supernodes within the TTL. With
// `flood` on, the same code is a Gnutella 0.6 servent without tiers: every
// node indexes only its own files and forwards to every neighbour.
import type { Descriptor, FileEntry, Ping, Query, QueryHit, ServentId } from './descriptor.js';
import type { Environment, LinkId } from './environment.js';
import { SuperpeerError } from './errors.js';
import { KeywordIndex } from './keyword-index.js';
import { answerQuery } from './answer.js';
import { uniqueTokens } from './keywords.js';
import { Neighbourhoods, type NeighbourhoodAdvert } from './neighbourhood.js';
import type { PeerInfo } from './peer.js';
import { DEFAULT_QRT_BITS, QueryRouteTable } from './query-route-table.js';
import type { SearchSession } from './search-session.js';
import { Servent, type ServentOptions } from './servent.js';
import { DEFAULT_SHARE_LIMITS, addWithinLimits, type ShareLimits } from './share-limits.js';
import { checkFile } from './validate.js';

export { MAX_RESULTS_PER_QUERY } from './answer.js';

export interface ShareUpdate {
  add: FileEntry[];
  remove: string[];
  reset: boolean;
}

export interface SupernodeOptions extends ServentOptions, ShareLimits {}

export class Supernode extends Servent {
  readonly index = new KeywordIndex();
  private readonly neighbours = new Map<LinkId, PeerInfo>();
  private readonly leaves = new Map<LinkId, PeerInfo>();
  private readonly leafLinks = new Map<ServentId, LinkId>();
  private readonly leafNodeIds = new Map<string, LinkId>();
  private readonly owners = new Map<ServentId, PeerInfo>();
  private readonly shareLimits: ShareLimits;
  /** QRP: neighbours' merged keyword tables, for last-hop pruning. */
  private readonly neighbourTables = new Map<LinkId, QueryRouteTable>();
  /** What lies one link behind each neighbour (neighbourhood.ts). */
  private readonly hoods = new Neighbourhoods();

  constructor(self: PeerInfo, env: Environment, options: Partial<SupernodeOptions> = {}) {
    super({ ...self, role: 'supernode' }, env, options);
    this.shareLimits = {
      maxFilesPerLeaf: options.maxFilesPerLeaf ?? DEFAULT_SHARE_LIMITS.maxFilesPerLeaf,
      maxTokensPerLeaf: options.maxTokensPerLeaf ?? DEFAULT_SHARE_LIMITS.maxTokensPerLeaf,
      maxIndexBytes: options.maxIndexBytes ?? DEFAULT_SHARE_LIMITS.maxIndexBytes,
    };
    this.owners.set(self.serventId, this.self);
  }

  get leafCount(): number {
    return this.leaves.size;
  }

  neighbourList(): Array<{ link: LinkId; peer: PeerInfo }> {
    return [...this.neighbours].map(([link, peer]) => ({ link, peer }));
  }

  leafList(): Array<{ link: LinkId; peer: PeerInfo; files: number }> {
    return [...this.leaves].map(([link, peer]) => ({ link, peer, files: this.index.ownerCount(peer.serventId) }));
  }

  /** Every indexed file with its holder (this node or a leaf), e.g. to publish in a DHT. */
  holdings(): Array<{ peer: PeerInfo; file: FileEntry }> {
    const out: Array<{ peer: PeerInfo; file: FileEntry }> = [];
    for (const [servent, peer] of this.owners) for (const file of this.index.filesOf(servent)) out.push({ peer, file });
    return out;
  }

  hasNeighbour(nodeId: string): boolean {
    for (const peer of this.neighbours.values()) if (peer.nodeId === nodeId) return true;
    return false;
  }

  linkUp(link: LinkId, peer: PeerInfo): void {
    this.neighbours.set(link, peer);
    this.hoods.linksChanged();
  }

  linkDown(link: LinkId): void {
    this.neighbourTables.delete(link);
    this.hoods.delete(link);
    this.hoods.linksChanged();
    if (this.neighbours.delete(link)) this.forgetLink(link);
  }

  /** QRP: a neighbour sent its route table; undefined forgets it (then it gets every query). */
  setNeighbourRouteTable(link: LinkId, table: QueryRouteTable | undefined): void {
    if (table) this.neighbourTables.set(link, table);
    else this.neighbourTables.delete(link);
  }

  /** A neighbour told what lies behind it; undefined forgets it (then it relays everything). */
  setNeighbourhood(link: LinkId, advert: NeighbourhoodAdvert | undefined): void {
    if (this.neighbours.has(link)) this.hoods.set(link, advert);
  }

  /** What to tell neighbours lies behind this node: its neighbours and the union of their tables. */
  neighbourhood(bits = DEFAULT_QRT_BITS): NeighbourhoodAdvert {
    const behind = new QueryRouteTable(bits);
    let complete = true;
    for (const link of this.neighbours.keys()) {
      const t = this.neighbourTables.get(link);
      if (t && t.bits === bits) behind.merge(t);
      else complete = false;
    }
    return { neighbours: [...this.neighbours.values()].map((p) => p.nodeId), behind: complete ? behind : undefined };
  }

  /** QRP: this supernode's table (own files and every leaf's), to send to neighbours. */
  routeTable(bits = DEFAULT_QRT_BITS): QueryRouteTable {
    return this.index.routeTable(bits);
  }

  /**
   * Throws CAPACITY when full (the adapter redirects the leaf elsewhere), and
   * IDENTITY_TAKEN when the leaf claims this supernode's IDs, a neighbour's,
   * or those of a leaf attached on another stream: a servent ID is bound to
   * the stream that holds it, and a newcomer never evicts the holder.
   */
  attachLeaf(link: LinkId, peer: PeerInfo): void {
    this.checkLeafIdentity(link, peer);
    if (this.leaves.size >= this.self.leafCapacity) {
      throw new SuperpeerError('CAPACITY', `supernode ${this.self.nodeId} holds ${this.leaves.size} leaves, its capacity`);
    }
    this.leaves.set(link, peer);
    this.leafNodeIds.set(peer.nodeId, link);
    this.leafLinks.set(peer.serventId, link);
    this.owners.set(peer.serventId, peer);
    this.env.observe({ type: 'leaf_attached', sameZone: peer.zone === this.self.zone });
  }

  detachLeaf(link: LinkId): void {
    const peer = this.leaves.get(link);
    if (!peer) return;
    this.leaves.delete(link);
    this.leafLinks.delete(peer.serventId);
    this.leafNodeIds.delete(peer.nodeId);
    this.owners.delete(peer.serventId);
    this.index.removeOwner(peer.serventId);
    this.forgetLink(link);
    this.env.observe({ type: 'leaf_detached' });
  }

  private checkLeafIdentity(link: LinkId, peer: PeerInfo): void {
    const taken = (why: string) => new SuperpeerError('IDENTITY_TAKEN', `${why}; choose another ID or wait until the holder leaves`);
    if (peer.serventId === this.self.serventId || peer.nodeId === this.self.nodeId) throw taken(`that is ${this.self.nodeId}'s own ID`);
    for (const n of this.neighbours.values()) {
      if (peer.serventId === n.serventId || peer.nodeId === n.nodeId) throw taken(`that is neighbour ${n.nodeId}'s ID`);
    }
    const bySid = this.leafLinks.get(peer.serventId);
    if (bySid !== undefined && bySid !== link) throw taken('servent ID held by a leaf attached on another stream');
    const byNode = this.leafNodeIds.get(peer.nodeId);
    if (byNode !== undefined && byNode !== link) throw taken(`node ID ${peer.nodeId} held by a leaf attached on another stream`);
  }

  /** A leaf's share list changed. Throws BAD_FIELD on bad input, ShareRefused (CAPACITY) past a cap. */
  updateShares(link: LinkId, update: ShareUpdate): void {
    const peer = this.leaves.get(link);
    if (!peer) throw new SuperpeerError('NOT_FOUND', 'share update before hello');
    this.applyShares(peer.serventId, update);
  }

  /** The files this supernode shares itself. */
  shareOwn(files: FileEntry[]): void {
    this.applyShares(this.self.serventId, { add: files, remove: [], reset: true });
  }

  private applyShares(owner: ServentId, update: ShareUpdate): void {
    for (const file of update.add) checkFile(file);
    if (update.reset) this.index.removeOwner(owner);
    for (const sha of update.remove) this.index.remove(owner, sha);
    // Its own files are this node's to choose; only leaves are held to the caps.
    if (owner === this.self.serventId) for (const file of update.add) this.index.add(owner, file);
    else addWithinLimits(this.index, owner, update.add, this.shareLimits);
  }

  protected override describe() {
    return { ...super.describe(), leaves: this.leaves.size, filesShared: this.index.ownerCount(this.self.serventId) };
  }

  protected handleQuery(link: LinkId, d: Descriptor<Query>): void {
    if (!this.firstSight(d)) return;
    this.queryRoutes.set(d.id, link);
    const querier = this.leaves.get(link)?.serventId;
    const hits = this.answer(d.payload, d.hops, querier);
    this.env.observe({ type: 'query_handled', matched: hits.length > 0 });
    for (const hit of hits) this.sendOn(link, { id: d.id, ttl: Math.max(d.hops, 1), hops: 0, payload: hit });
    this.forward(link, d);
  }

  protected originateQuery(d: Descriptor<Query>, session: SearchSession): void {
    this.env.observe({ type: 'query_handled', matched: false });
    for (const hit of this.answer(d.payload, 0, undefined)) session.deliver(hit, 0);
    const terms = this.pruneTerms(d);
    for (const link of this.neighbours.keys()) if (this.mayReach(link, terms, d.ttl)) this.sendOn(link, d);
  }

  protected entryPoints(): number {
    return 1;
  }

  protected handlePing(link: LinkId, d: Descriptor<Ping>): void {
    if (!this.firstSight(d)) return;
    this.pingRoutes.set(d.id, link);
    this.sendOn(link, this.pongFor(d));
    this.forward(link, d);
  }

  protected originatePing(d: Descriptor<Ping>): void {
    for (const link of this.neighbours.keys()) this.sendOn(link, d);
  }

  protected routeForServent(servent: ServentId): LinkId | undefined {
    return this.leafLinks.get(servent) ?? this.pushRoutes.get(servent);
  }

  /**
   * Sends a query or ping on to the neighbours it may find something behind,
   * never back where it came from. A query that came from the supernode where
   * it entered the tier is only relayed to neighbours that supernode does not
   * link itself, and by one agreed relay each (neighbourhood.ts).
   */
  private forward(from: LinkId, d: Descriptor): void {
    const kind = d.payload.kind;
    const terms = this.pruneTerms(d);
    // Only the entry supernode's own neighbours (hops 2) apply the relay rule: what the
    // entry sent is unfiltered by it, so the relay it and they agree on did get a copy.
    const via = kind === 'query' && d.hops === 2 && this.neighbours.has(from) ? from : undefined;
    let counted = false;
    for (const [link, peer] of this.neighbours) {
      if (link === from) continue;
      if (d.ttl === 0) return this.count(kind, 'ttl_expired');
      if (via !== undefined && !this.hoods.relays(this.self.nodeId, via, link, peer.nodeId)) continue;
      if (!this.mayReach(link, terms, d.ttl)) continue;
      if (!counted) {
        this.count(kind, 'forwarded');
        counted = true;
      }
      this.sendOn(link, d);
    }
  }

  /** A keyword query's terms, for pruning by route tables (undefined: no pruning). */
  private pruneTerms(d: Descriptor): string[] | undefined {
    if (d.payload.kind !== 'query' || d.payload.sha256 || this.neighbourTables.size === 0) return undefined;
    return uniqueTokens(d.payload.criteria);
  }

  /**
   * Whether a query sent with `ttl` on `link` may match there: at TTL 1 the
   * neighbour only answers (its own table decides), at TTL 2 it also relays
   * one link on (its behind table too, if it is the relay toward anyone);
   * deeper, what lies past is unknown.
   * Neighbours without a table get everything.
   */
  private mayReach(link: LinkId, terms: string[] | undefined, ttl: number): boolean {
    if (!terms) return true;
    const own = this.neighbourTables.get(link);
    if (!own || own.mayMatch(terms)) return true;
    if (ttl === 1) return false;
    if (ttl > 2) return true;
    if (!this.hoods.relaysForUs(link, this.self.nodeId, this.neighbours)) return false;
    return this.hoods.behind(link)?.mayMatch(terms) ?? true;
  }

  private answer(q: Query, hops: number, exclude: ServentId | undefined): QueryHit[] {
    return answerQuery(this.index, this.owners, q, { exclude, answeredBy: this.self.nodeId, hops });
  }

}
