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

  protected originateQuery(d: Descriptor<Query>): void {
    for (const link of this.uplinks.keys()) this.sendOn(link, d);
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
