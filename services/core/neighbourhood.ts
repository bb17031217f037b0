// Query routing past the last hop. Each supernode tells its neighbours what
// lies one link behind it: the node IDs of its own neighbours and the union
// of their route tables ("behind" table). With that a supernode can
//  - send a query with TTL 2 only to neighbours whose own table may match,
//    or whose behind table may match when that neighbour is the relay
//    toward some supernode two links away, and
//  - relay a query it got from supernode S to a neighbour X only when S does
//    not link X itself and this node is the one relay S and X agree on (the
//    smallest node ID linked to both). In a dense graph every supernode two
//    links away then gets one copy, not one per common neighbour.
// Nothing here is exact: an advert missing or stale makes routing fall back
// to forwarding (a wasted message), never to a missed match.
import type { LinkId } from './environment.js';
import type { QueryRouteTable } from './query-route-table.js';

/** Neighbours named in one advert: a supernode's link bound, with room. */
export const MAX_ADVERT_NEIGHBOURS = 256;

export interface NeighbourhoodAdvert {
  /** Node IDs of the advertiser's neighbours. */
  neighbours: readonly string[];
  /** Union of those neighbours' route tables; undefined when one of them is unknown (then anything may lie behind). */
  behind?: QueryRouteTable;
}

interface Known {
  ids: ReadonlySet<string>;
  behind?: QueryRouteTable;
}

export class Neighbourhoods {
  private readonly known = new Map<LinkId, Known>();
  /** Links that are the agreed relay toward at least one supernode two links away; rebuilt after a change. */
  private relayLinks: Set<LinkId> | undefined;

  get size(): number {
    return this.known.size;
  }

  set(link: LinkId, advert: NeighbourhoodAdvert | undefined): void {
    if (!advert) this.known.delete(link);
    else this.known.set(link, { ids: new Set(advert.neighbours.slice(0, MAX_ADVERT_NEIGHBOURS)), behind: advert.behind });
    this.relayLinks = undefined;
  }

  delete(link: LinkId): void {
    this.known.delete(link);
    this.relayLinks = undefined;
  }

  /** Our own links changed. */
  linksChanged(): void {
    this.relayLinks = undefined;
  }

  /**
   * Whether the neighbour on `link` is, by the rule below, the relay toward
   * any supernode two links from `self` — only then is what lies behind it
   * worth a message. A neighbour without an advert may be.
   */
  relaysForUs(link: LinkId, self: string, neighbours: ReadonlyMap<LinkId, { nodeId: string }>): boolean {
    if (!this.known.has(link)) return true;
    this.relayLinks ??= this.findRelays(self, neighbours);
    return this.relayLinks.has(link);
  }

  private findRelays(self: string, neighbours: ReadonlyMap<LinkId, { nodeId: string }>): Set<LinkId> {
    const direct = new Set([self]);
    for (const p of neighbours.values()) direct.add(p.nodeId);
    const relayOf = new Map<string, { id: string; link: LinkId }>();
    for (const [link, p] of neighbours) {
      const k = this.known.get(link);
      if (!k) continue;
      for (const x of k.ids) {
        if (direct.has(x)) continue;
        const cur = relayOf.get(x);
        if (!cur || p.nodeId < cur.id) relayOf.set(x, { id: p.nodeId, link });
      }
    }
    return new Set([...relayOf.values()].map((r) => r.link));
  }

  behind(link: LinkId): QueryRouteTable | undefined {
    return this.known.get(link)?.behind;
  }

  /**
   * Whether `self`, having got a query from the supernode on link `from`,
   * is the node that passes it on to neighbour `target` (on link `to`).
   * Unknown adverts say yes: a duplicate costs a message, a gap a result.
   */
  relays(self: string, from: LinkId, to: LinkId, target: string): boolean {
    const sender = this.known.get(from);
    if (!sender) return true;
    // The sender links the target: it decided about it itself.
    if (sender.ids.has(target)) return false;
    const beyond = this.known.get(to);
    if (!beyond) return true;
    let relay = self;
    for (const id of beyond.ids) if (id < relay && sender.ids.has(id)) relay = id;
    return relay === self;
  }
}
