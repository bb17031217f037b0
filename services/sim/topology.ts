// Simulating an explicit topology (e.g. the one a real cluster reports through
// Client.Topology) with an explicit query list, so the simulator's hop
// distribution and messages per query can be set against the cluster's.
// Queries run one after another on an otherwise idle network, so every
// message is attributed to exactly one query.
import type { FileEntry } from '../core/descriptor.js';
import { Leaf } from '../core/leaf.js';
import type { PeerInfo } from '../core/peer.js';
import { deriveSeed, seededRandom } from '../core/random.js';
import type { Servent } from '../core/servent.js';
import { Supernode } from '../core/supernode.js';
import { SimNetwork, type SearchRecord } from './network.js';
import { DEFAULT_SIM_PARAMS } from './params.js';
import { serventIdOf } from './population.js';
import { searchStats, type SearchStats } from './stats.js';

export interface SimTopology {
  supernodes: Array<{ id: string; zone?: string; files?: FileEntry[] }>;
  /** Supernode–supernode links, by id. */
  links: Array<[string, string]>;
  leaves?: Array<{ id: string; zone?: string; supernodes: string[]; files?: FileEntry[] }>;
}

export interface TopologyQuery {
  /** A supernode or leaf id. */
  from: string;
  criteria: string;
  ttl?: number;
}

export interface TopologyOptions {
  seed?: number;
  qrp?: boolean;
  /** Neighbourhood adverts on top of QRP (core/neighbourhood.ts); default: with qrp. */
  neighbourhoods?: boolean;
  dynamic?: boolean;
  maxResults?: number;
  intraZoneMs?: number;
  interZoneMs?: number;
  searchTimeoutMs?: number;
}

export interface TopologyReport extends SearchStats {
  perQuery: Array<{ from: string; criteria: string; results: number; hops: number[]; queryMessages: number; hitMessages: number }>;
}

export function simulateTopology(topology: SimTopology, queries: readonly TopologyQuery[], opts: TopologyOptions = {}): TopologyReport {
  const seed = opts.seed ?? 1;
  const leaves = topology.leaves ?? [];
  const ids = [...topology.supernodes.map((s) => s.id), ...leaves.map((l) => l.id)];
  const index = new Map(ids.map((id, i) => [id, i]));
  const zoneNames = [...new Set([...topology.supernodes, ...leaves].map((x) => x.zone ?? 'z0'))];
  const zone = Uint16Array.from([...topology.supernodes, ...leaves].map((x) => zoneNames.indexOf(x.zone ?? 'z0')));
  const params = { ...DEFAULT_SIM_PARAMS, intraZoneMs: opts.intraZoneMs ?? 1, interZoneMs: opts.interZoneMs ?? 10 };
  const net = new SimNetwork(params, zone, new Float32Array(ids.length), seededRandom(deriveSeed(seed, 'network')), seededRandom(deriveSeed(seed, 'core')));
  const info = (i: number, role: 'supernode' | 'leaf'): PeerInfo => ({
    nodeId: ids[i],
    serventId: serventIdOf(i),
    zone: zoneNames[zone[i]],
    grpcAddress: `${ids[i]}:6346`,
    httpAddress: `${ids[i]}:6347`,
    firewalled: false,
    score: 50,
    role,
    leafCapacity: 1_000,
  });
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`unknown node ${id} in topology`);
    return i;
  };
  topology.supernodes.forEach((s, i) => {
    const sn = new Supernode(info(i, 'supernode'), net.env(i));
    net.nodes.set(i, sn);
    if (s.files?.length) sn.shareOwn(s.files);
  });
  for (const [a, b] of topology.links) {
    (net.nodes.get(at(a)) as Supernode).linkUp(String(at(b)), info(at(b), 'supernode'));
    (net.nodes.get(at(b)) as Supernode).linkUp(String(at(a)), info(at(a), 'supernode'));
  }
  for (const l of leaves) {
    const i = at(l.id);
    const leaf = new Leaf(info(i, 'leaf'), net.env(i));
    net.nodes.set(i, leaf);
    for (const s of l.supernodes) {
      const sn = net.nodes.get(at(s)) as Supernode;
      sn.attachLeaf(String(i), leaf.self);
      sn.updateShares(String(i), { add: l.files ?? [], remove: [], reset: true });
      leaf.uplinkUp(String(at(s)), sn.self);
    }
  }
  if (opts.qrp) {
    topology.supernodes.forEach((_, i) => {
      const sn = net.nodes.get(i) as Supernode;
      const table = sn.routeTable();
      for (const { link } of sn.neighbourList()) (net.nodes.get(Number(link)) as Supernode).setNeighbourRouteTable(String(i), table);
    });
    if (opts.neighbourhoods ?? true) {
      topology.supernodes.forEach((_, i) => {
        const sn = net.nodes.get(i) as Supernode;
        const advert = sn.neighbourhood();
        for (const { link } of sn.neighbourList()) (net.nodes.get(Number(link)) as Supernode).setNeighbourhood(String(i), advert);
      });
    }
  }
  const records: SearchRecord[] = [];
  for (const q of queries) {
    const i = at(q.from);
    const node = net.nodes.get(i) as Servent;
    const rec: SearchRecord = { issuedAt: net.clock.now, searcher: i, results: 0, firstHitMs: null, hops: [], sameZoneResults: 0, queryMessages: 0, hitMessages: 0, done: false };
    records.push(rec);
    net.beginSearch(i, rec);
    node.search(
      { criteria: q.criteria, ttl: q.ttl ?? 4, maxResults: opts.maxResults, timeoutMs: opts.searchTimeoutMs ?? 5_000, dynamic: opts.dynamic ?? false },
      {
        result: (e) => {
          rec.results++;
          rec.hops.push(e.hops);
          if (e.hit.zone === zoneNames[zone[i]]) rec.sameZoneResults++;
          rec.firstHitMs ??= e.elapsedMs;
        },
        end: () => {
          rec.done = true;
        },
      },
    );
    net.clock.run();
    net.endSearch(i);
  }
  return {
    ...searchStats(records),
    perQuery: records.map((r, k) => ({ from: queries[k].from, criteria: queries[k].criteria, results: r.results, hops: r.hops, queryMessages: r.queryMessages, hitMessages: r.hitMessages })),
  };
}
