// The `supernode` and `flood` modes: real core Supernode and Leaf objects on
// the virtual network. In supernode mode the elected supernodes form a random
// graph, leaves attach by the core's selection and are indexed by their
// supernodes, route tables are exchanged (QRP) and searching leaves query by
// dynamic querying. In flood mode every peer is a tierless Gnutella servent
// (a Supernode with only its own files) on a sparser random graph.
import type { FileEntry } from '../core/descriptor.js';
import { Leaf } from '../core/leaf.js';
import type { PeerInfo } from '../core/peer.js';
import { Supernode } from '../core/supernode.js';
import { Attachments, randomGraph } from './attach.js';
import { MatchFloor } from './floor.js';
import type { SearchRecord } from './network.js';
import type { ModeRunner, SimContext } from './runner.js';

export class OverlayRunner implements ModeRunner {
  readonly searchers: number[] = [];
  private readonly flood: boolean;
  private readonly att: Attachments;
  private readonly infos = new Map<number, PeerInfo>();
  private readonly dirty = new Set<number>();
  private qrtRefreshes = 0;
  private readonly running = new Map<number, { rec: SearchRecord; cancel: () => void }>();
  private readonly floor: MatchFloor;

  constructor(private readonly c: SimContext) {
    const { p, pop, net } = c;
    this.flood = p.mode === 'flood';
    this.att = new Attachments(pop, p.uplinks, net.alive, c.random);
    this.floor = new MatchFloor(c.cat.files, pop, (i) => (this.flood ? [] : this.att.of(i)), net.alive);
    if (this.flood) {
      for (let i = 0; i < pop.n; i++) this.makeServent(i).shareOwn(this.filesOf(i));
      for (const [a, b] of randomGraph(range(pop.n), p.floodDegree, c.random)) this.link(a, b);
      this.searchers.push(...pickDistinct(pop.n, p.searchers, c.random));
      return;
    }
    for (const s of pop.supernodes) this.makeServent(s);
    for (const [a, b] of randomGraph(pop.supernodes, p.supernodeDegree, c.random)) this.link(a, b);
    for (let i = 0; i < pop.n; i++) if (!pop.isSupernode[i]) this.attachLeaf(i);
    const leaves = range(pop.n).filter((i) => !pop.isSupernode[i]);
    for (const j of pickDistinct(leaves.length, p.searchers, c.random)) {
      const i = leaves[j];
      const leaf = new Leaf(this.info(i), net.env(i), this.tables());
      net.nodes.set(i, leaf);
      for (const s of this.att.of(i)) leaf.uplinkUp(net.linkName(s), this.info(s));
      this.searchers.push(i);
    }
    if (p.qrp) {
      for (const s of pop.supernodes) this.sendRouteTable(s);
      if (p.neighbourhoods) for (const s of pop.supernodes) this.sendNeighbourhood(s);
      if (p.churn > 0) this.scheduleQrtRefresh();
    }
  }

  search(searcher: number, k: number, rec: SearchRecord, done: () => void): boolean {
    const node = this.c.net.nodes.get(searcher);
    if (!node || this.c.net.alive[searcher] !== 1 || node.activeSearches > 0) return false;
    const { p, net, cat, pop } = this.c;
    const zone = `z${pop.zone[searcher]}`;
    net.beginSearch(searcher, rec);
    if (!this.flood) rec.floor = this.floor.supernodesHolding(cat.queryFor(k), searcher);
    const handle = node.search(
      { criteria: cat.queryFor(k), ttl: p.ttl, maxResults: p.maxResults, timeoutMs: p.searchTimeoutMs, dynamic: !this.flood && p.dynamic, degree: p.supernodeDegree },
      {
        result: (e) => {
          rec.results++;
          rec.hops.push(e.hops);
          if (e.hit.zone === zone) rec.sameZoneResults++;
          rec.firstHitMs ??= e.elapsedMs;
        },
        end: () => {
          rec.done = true;
          net.endSearch(searcher);
          this.running.delete(searcher);
          done();
        },
      },
    );
    if (!rec.done) this.running.set(searcher, { rec, cancel: () => handle.cancel() });
    return true;
  }

  depart(i: number): void {
    const { net, pop } = this.c;
    const run = this.running.get(i);
    if (run) {
      run.rec.abandoned = true;
      run.cancel();
    }
    net.alive[i] = 0;
    const node = net.nodes.get(i);
    if (this.flood || pop.isSupernode[i]) {
      const sn = node as Supernode;
      for (const { link } of sn.neighbourList()) {
        (net.nodes.get(Number(link)) as Supernode | undefined)?.linkDown(String(i));
        sn.linkDown(link);
      }
      if (this.flood) return;
      for (const { link } of sn.leafList()) {
        const leaf = Number(link);
        sn.detachLeaf(link);
        this.att.remove(leaf, i);
        (net.nodes.get(leaf) as Leaf | undefined)?.uplinkDown(String(i));
        if (net.alive[leaf] === 1) this.attachLeaf(leaf);
      }
      return;
    }
    for (const s of this.att.of(i)) {
      (net.nodes.get(s) as Supernode).detachLeaf(String(i));
      this.att.remove(i, s);
      (node as Leaf | undefined)?.uplinkDown(String(s));
      this.dirty.add(s);
    }
  }

  arrive(i: number): void {
    const { p, net, pop } = this.c;
    net.alive[i] = 1;
    if (this.flood || pop.isSupernode[i]) {
      // A returning node starts afresh: new state machine, new links.
      const sn = this.makeServent(i);
      if (this.flood) sn.shareOwn(this.filesOf(i));
      const members = this.flood ? null : pop.supernodes;
      const degree = this.flood ? p.floodDegree : p.supernodeDegree;
      for (let t = 0, got = 0; got < Math.ceil(degree / 2) && t < 10 * degree; t++) {
        const other = members ? members[Math.floor(this.c.random() * members.length)] : Math.floor(this.c.random() * pop.n);
        if (other === i || net.alive[other] !== 1 || sn.hasNeighbour(`p${other}`)) continue;
        this.link(i, other);
        got++;
      }
      if (!this.flood && p.qrp) {
        this.sendRouteTable(i);
        if (p.neighbourhoods) this.refreshNeighbourhoods([i]);
      }
      return;
    }
    this.attachLeaf(i);
  }

  load(): { queries: number[]; leaves: number[] } {
    const { net, pop } = this.c;
    const members = this.flood ? range(pop.n) : pop.supernodes;
    return { queries: members.map((s) => net.handled[s]), leaves: this.flood ? [] : members.map((s) => this.att.leafCount[s]) };
  }

  extra(): Record<string, number> {
    return this.flood ? {} : { leafCapacity: this.c.pop.leafCapacity, qrtRefreshes: this.qrtRefreshes };
  }

  private makeServent(i: number): Supernode {
    const sn = new Supernode(this.info(i), this.c.net.env(i), this.tables());
    this.c.net.nodes.set(i, sn);
    return sn;
  }

  /** Duplicate and route table lifetimes (see SimParams.tableTtlMs). */
  private tables(): { duplicateTtlMs: number; routeTtlMs: number } {
    return { duplicateTtlMs: this.c.p.tableTtlMs, routeTtlMs: this.c.p.tableTtlMs };
  }

  private link(a: number, b: number): void {
    const { nodes } = this.c.net;
    (nodes.get(a) as Supernode).linkUp(this.c.net.linkName(b), this.info(b));
    (nodes.get(b) as Supernode).linkUp(this.c.net.linkName(a), this.info(a));
  }

  private attachLeaf(i: number): void {
    const have = this.att.of(i);
    const { net } = this.c;
    for (const s of this.att.choose(i, this.c.p.uplinks - have.length, have)) {
      const sn = net.nodes.get(s) as Supernode;
      sn.attachLeaf(net.linkName(i), this.info(i));
      sn.updateShares(net.linkName(i), { add: this.filesOf(i), remove: [], reset: true });
      this.att.add(i, s);
      (net.nodes.get(i) as Leaf | undefined)?.uplinkUp(this.c.net.linkName(s), this.info(s));
      this.dirty.add(s);
    }
  }

  private sendRouteTable(s: number): void {
    const sn = this.c.net.nodes.get(s) as Supernode;
    const table = sn.routeTable(this.c.p.qrtBits);
    for (const { link } of sn.neighbourList()) (this.c.net.nodes.get(Number(link)) as Supernode).setNeighbourRouteTable(this.c.net.linkName(s), table);
    this.qrtRefreshes++;
  }

  /** Tells a supernode's neighbours what lies behind it (its neighbours and their tables). */
  private sendNeighbourhood(s: number): void {
    const sn = this.c.net.nodes.get(s) as Supernode;
    const advert = sn.neighbourhood(this.c.p.qrtBits);
    for (const { link } of sn.neighbourList()) (this.c.net.nodes.get(Number(link)) as Supernode).setNeighbourhood(this.c.net.linkName(s), advert);
  }

  /** The tables of `changed` were resent: they and their neighbours re-advertise. */
  private refreshNeighbourhoods(changed: Iterable<number>): void {
    const again = new Set<number>();
    for (const s of changed) {
      if (this.c.net.alive[s] !== 1) continue;
      again.add(s);
      for (const { link } of (this.c.net.nodes.get(s) as Supernode).neighbourList()) again.add(Number(link));
    }
    for (const s of again) if (this.c.net.alive[s] === 1) this.sendNeighbourhood(s);
  }

  private scheduleQrtRefresh(): void {
    this.c.net.clock.schedule(this.c.p.qrtRefreshMs, () => {
      for (const s of this.dirty) if (this.c.net.alive[s] === 1) this.sendRouteTable(s);
      if (this.c.p.neighbourhoods) this.refreshNeighbourhoods(this.dirty);
      this.dirty.clear();
      this.scheduleQrtRefresh();
    });
  }

  private info(i: number): PeerInfo {
    let info = this.infos.get(i);
    if (!info) this.infos.set(i, (info = this.c.pop.info(i)));
    return info;
  }

  private filesOf(i: number): FileEntry[] {
    const { pop, cat } = this.c;
    const out: FileEntry[] = [];
    for (let j = pop.shareStart[i]; j < pop.shareStart[i + 1]; j++) out.push(cat.files[pop.fileIds[j]]);
    return out;
  }
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** k distinct indices in [0, n), in draw order (partial Fisher–Yates over a sparse swap map). */
export function pickDistinct(n: number, k: number, random: () => number): number[] {
  const swaps = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < Math.min(n, k); i++) {
    const j = i + Math.floor(random() * (n - i));
    const vj = swaps.get(j) ?? j;
    swaps.set(j, swaps.get(i) ?? i);
    out.push(vj);
  }
  return out;
}
