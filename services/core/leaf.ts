// The leaf role: searches through its supernodes (uplinks), answers Pings,
// and receives Pushes. It forwards nothing: in the two-tier overlay its
// supernodes answer queries for its files from their index.
import type { Descriptor, Ping, Query, ServentId } from './descriptor.js';
import type { Environment, LinkId } from './environment.js';
import { SuperpeerError } from './errors.js';
import type { PeerInfo } from './peer.js';
import { Servent, type ServentOptions } from './servent.js';

export class Leaf extends Servent {
  private readonly uplinks = new Map<LinkId, PeerInfo>();

  constructor(self: PeerInfo, env: Environment, options: Partial<ServentOptions> = {}) {
    super({ ...self, role: 'leaf' }, env, options);
  }

  uplinkList(): Array<{ link: LinkId; peer: PeerInfo }> {
    return [...this.uplinks].map(([link, peer]) => ({ link, peer }));
  }

  get uplinkCount(): number {
    return this.uplinks.size;
  }

  uplinkUp(link: LinkId, peer: PeerInfo): void {
    this.uplinks.set(link, peer);
  }

  uplinkDown(link: LinkId): void {
    if (this.uplinks.delete(link)) this.forgetLink(link);
  }

  protected handleQuery(_link: LinkId, _d: Descriptor<Query>): void {
    this.count('query', 'invalid');
    throw new SuperpeerError('NOT_SUPERNODE', 'a leaf does not take queries; its supernode answers for it');
  }

  protected handlePing(link: LinkId, d: Descriptor<Ping>): void {
    if (!this.firstSight(d)) return;
    this.sendOn(link, this.pongFor(d));
  }

  /**
   * At TTL 1 every uplink answers from its index. A query that goes further
   * enters the supernode tier through one uplink, the same one each time
   * (smallest node ID): each would route it to the same supernodes, and one
   * entry is what lets its neighbours agree on a single relay (neighbourhood.ts).
   */
  protected originateQuery(d: Descriptor<Query>): void {
    if (d.ttl > 1 && this.uplinks.size > 1) {
      let best: [LinkId, PeerInfo] | undefined;
      for (const u of this.uplinks) if (!best || u[1].nodeId < best[1].nodeId) best = u;
      return this.sendOn(best![0], d);
    }
    for (const link of this.uplinks.keys()) this.sendOn(link, d);
  }

  protected entryPoints(): number {
    return Math.max(1, this.uplinks.size);
  }

  protected originatePing(d: Descriptor<Ping>): void {
    for (const link of this.uplinks.keys()) this.sendOn(link, d);
  }

  protected routeForServent(servent: ServentId): LinkId | undefined {
    const known = this.pushRoutes.get(servent);
    if (known !== undefined && this.uplinks.has(known)) return known;
    return this.uplinks.keys().next().value;
  }
}
