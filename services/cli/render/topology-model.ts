// The crawled overlay as plain data, and what every view of it derives:
// supernodes by zone, leaves per supernode, balance and locality.
import { coefficientOfVariation, jainFairness } from '../../core/balance.js';
import type { TopologyResponse__Output } from '../../node/generated/superpeer/v1/TopologyResponse.js';

/** A crawled node as the views use it (short names; JSON goes through nodeJson). */
export interface TopologyNodeJson {
  id: string;
  role: string;
  zone: string;
  grpc: string;
  http: string;
  firewalled: boolean;
  uplinks: string[];
  files: { name: string; size: number; sha256: string }[];
  score: number;
  leaves: number;
}

export interface TopologyLinkJson {
  source: string;
  target: string;
  kind: 'link' | 'uplink';
}

export interface TopologyGraph {
  nodes: TopologyNodeJson[];
  links: TopologyLinkJson[];
}

export interface TopologySummary {
  /** Sorted by zone then id: the order of the inner circle. */
  supernodes: TopologyNodeJson[];
  leaves: TopologyNodeJson[];
  zones: string[];
  /** Leaves whose first uplink is each supernode (by id). */
  leavesByFirstUplink: Map<string, TopologyNodeJson[]>;
  /** Every leaf attached to each supernode (a leaf with two uplinks counts twice). */
  leafCount: Map<string, number>;
  neighbours: Map<string, string[]>;
  /** Leaves with no uplink to a supernode of the crawl. */
  orphans: TopologyNodeJson[];
  cv: number;
  jain: number;
  uplinks: number;
  sameZoneUplinks: number;
}

export const isSupernode = (n: TopologyNodeJson): boolean => n.role === 'supernode';

/** Plain data from the gRPC answer: links de-duplicated, uplinks of nodes made links. */
export function topologyFromResponse(r: TopologyResponse__Output): TopologyGraph {
  const nodes: TopologyNodeJson[] = r.nodes.map((n) => ({
    id: n.node_id,
    role: n.role,
    zone: n.zone,
    grpc: n.grpc_address,
    http: n.http_address,
    firewalled: n.firewalled,
    uplinks: [...n.uplinks],
    files: n.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 })),
    score: n.score,
    leaves: n.leaves,
  }));
  const seen = new Set<string>();
  const links: TopologyLinkJson[] = [];
  const add = (source: string, target: string, kind: 'link' | 'uplink'): void => {
    if (!source || !target || source === target) return;
    // supernode links are undirected; an uplink always goes leaf -> supernode
    const key = kind === 'link' ? `link:${[source, target].sort().join('\u0000')}` : `uplink:${source}\u0000${target}`;
    if (seen.has(key)) return;
    seen.add(key);
    links.push({ source, target, kind });
  };
  for (const l of r.links) add(l.source, l.target, l.kind === 'uplink' ? 'uplink' : 'link');
  for (const n of nodes) for (const u of n.uplinks) add(n.id, u, 'uplink');
  return { nodes, links };
}

/**
 * A node in `topology --json` and `cluster up --json` (a public contract):
 * TopologyNode's proto3 JSON names, the same as NodeInfo's in `status --json`.
 */
export interface NodeJson {
  nodeId: string;
  role: string;
  zone: string;
  grpcAddress: string;
  httpAddress: string;
  firewalled: boolean;
  uplinks: string[];
  files: { name: string; size: number; sha256: string }[];
  score?: number;
  leaves?: number;
  pid?: number;
}

export function nodeJson(n: Pick<TopologyNodeJson, 'id' | 'role' | 'zone' | 'grpc' | 'http' | 'firewalled' | 'uplinks' | 'files'> & { score?: number; leaves?: number; pid?: number }): NodeJson {
  const { id, grpc, http, ...rest } = n;
  return { nodeId: id, grpcAddress: grpc, httpAddress: http, ...rest };
}

/** `topology --json`: {nodes, links} with proto3 JSON names. */
export function topologyJson(g: TopologyGraph): { nodes: NodeJson[]; links: TopologyLinkJson[] } {
  return { nodes: g.nodes.map(nodeJson), links: g.links };
}

const byZoneThenId = (a: TopologyNodeJson, b: TopologyNodeJson): number =>
  a.zone.localeCompare(b.zone) || a.id.localeCompare(b.id);

export function summarizeTopology(g: TopologyGraph): TopologySummary {
  const supernodes = g.nodes.filter(isSupernode).sort(byZoneThenId);
  const leaves = g.nodes.filter((n) => !isSupernode(n)).sort(byZoneThenId);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const zones = [...new Set(g.nodes.map((n) => n.zone))].sort();
  const leavesByFirstUplink = new Map<string, TopologyNodeJson[]>(supernodes.map((s) => [s.id, []]));
  const counted = new Map<string, number>(supernodes.map((s) => [s.id, 0]));
  const neighbours = new Map<string, string[]>(supernodes.map((s) => [s.id, []]));
  const orphans: TopologyNodeJson[] = [];
  let uplinks = 0;
  let sameZoneUplinks = 0;

  const uplinksOf = new Map<string, string[]>();
  for (const l of g.links) {
    if (l.kind === 'link') {
      neighbours.get(l.source)?.push(l.target);
      neighbours.get(l.target)?.push(l.source);
    } else {
      const list = uplinksOf.get(l.source) ?? [];
      list.push(l.target);
      uplinksOf.set(l.source, list);
    }
  }
  for (const leaf of leaves) {
    const ups = (uplinksOf.get(leaf.id) ?? []).filter((u) => counted.has(u));
    if (ups.length === 0) orphans.push(leaf);
    else leavesByFirstUplink.get(ups[0])?.push(leaf);
    for (const u of ups) {
      counted.set(u, (counted.get(u) ?? 0) + 1);
      uplinks += 1;
      if (leaf.zone !== '' && byId.get(u)?.zone === leaf.zone) sameZoneUplinks += 1;
    }
  }
  for (const list of neighbours.values()) list.sort();
  // A bounded crawl may miss leaves: the supernode's own count is then the better one.
  const leafCount = new Map(supernodes.map((s) => [s.id, Math.max(s.leaves, counted.get(s.id) ?? 0)]));
  const loads = [...leafCount.values()];
  return {
    supernodes, leaves, zones, leavesByFirstUplink, leafCount, neighbours, orphans,
    cv: coefficientOfVariation(loads), jain: jainFairness(loads), uplinks, sameZoneUplinks,
  };
}

/** Tableau 10: distinct on screen and in print; zones beyond ten reuse it. */
export const ZONE_PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#17becf'];
export const NO_ZONE_COLOUR = '#9e9e9e';

export function zoneColour(zones: readonly string[], zone: string): string {
  if (!zone) return NO_ZONE_COLOUR;
  const named = zones.filter((z) => z !== '');
  const i = named.indexOf(zone);
  return i < 0 ? NO_ZONE_COLOUR : ZONE_PALETTE[i % ZONE_PALETTE.length];
}

export const zoneLabel = (zone: string): string => zone || '(no zone)';
