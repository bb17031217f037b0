// What a local cluster will be, decided before any process starts: node IDs,
// loopback addresses, zones, which leaves are firewalled, supernode links,
// and the generated files each node shares. The same seed gives the same plan.
import path from 'node:path';
import { deriveSeed, randomInt, seededRandom } from '../../core/random.js';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, resolveConfig, type NodeConfig } from '../config.js';
import { generateCatalogue, type CatalogueFile } from '../content.js';

/** Slowest link of a local cluster's peers: 1 Mbit/s. */
export const BANDWIDTH_FLOOR_BPS = 1e6;
/** Heavy tail of peer bandwidth (Saroiu et al. saw orders of magnitude between peers). */
export const BANDWIDTH_PARETO_ALPHA = 1.2;

export interface ClusterOptions {
  supernodes: number;
  peers: number;
  zones: number;
  seed: number;
  filesPerPeer: number;
  /** Fraction of leaves that accept no inbound transfer. */
  firewalled: number;
  /** Where generated share folders go; a temp folder by default. */
  workDir: string;
  /** Use the given folder as every leaf's share folder instead of generated ones. */
  shareDir?: string;
  mode: NodeConfig['mode'];
  redis?: string;
  /** Extra settings applied to every node. */
  nodeOverrides?: Partial<NodeConfig>;
  /** Supernode links each supernode dials (a ring plus random chords). */
  degree: number;
  /** First three octets of the loopback block this cluster lives in. */
  block?: [number, number, number];
}

export interface PlannedNode {
  config: NodeConfig;
  files: CatalogueFile[];
}

/** Node k lives at its own loopback address, on the Gnutella ports. */
export function addressOf(block: [number, number, number], k: number): string {
  const [a, b, c] = block;
  const third = c + Math.floor(k / 250);
  if (third > 255) throw new RangeError('too many nodes for one loopback block');
  return `${a}.${b}.${third}.${(k % 250) + 1}`;
}

/** A random /16-ish block inside 127.0.0.0/8, away from 127.0.0.1. */
export function randomBlock(random: () => number): [number, number, number] {
  return [127, 16 + randomInt(random, 224), randomInt(random, 128)];
}

export function planCluster(o: ClusterOptions, block: [number, number, number]): PlannedNode[] {
  const random = seededRandom(deriveSeed(o.seed, 'plan'));
  const zones = Array.from({ length: Math.max(1, o.zones) }, (_, i) => `zone-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? i : ''}`);
  const total = o.supernodes + o.peers;
  const catalogue = generateCatalogue({ seed: o.seed, peers: total, filesPerPeer: o.filesPerPeer });
  const host = (k: number) => addressOf(block, k);
  const grpcOf = (k: number) => `${host(k)}:${DEFAULT_GRPC_PORT}`;
  // Flood mode is Gnutella without tiers: every node a servent on a random graph.
  const flood = o.mode === 'flood';
  const supernodeSeeds = linkPlan(flood ? total : o.supernodes, o.degree, random);
  const allSupernodes = Array.from({ length: o.supernodes }, (_, i) => grpcOf(i));
  const nodes: PlannedNode[] = [];
  for (let k = 0; k < total; k++) {
    const isSupernode = flood || k < o.supernodes;
    const id = k < o.supernodes ? `sn-${k}` : `peer-${k - o.supernodes}`;
    const zone = zones[(k < o.supernodes ? k : k - o.supernodes) % zones.length];
    const firewalled = !isSupernode && random() < o.firewalled;
    const config: NodeConfig = resolveConfig(
      {
        id,
        role: isSupernode ? 'supernode' : o.supernodes > 0 ? 'leaf' : 'auto',
        grpcListen: grpcOf(k),
        httpListen: `${host(k)}:${DEFAULT_HTTP_PORT}`,
        advertiseHost: host(k),
        zone,
        seeds: isSupernode ? supernodeSeeds[k].map(grpcOf) : allSupernodes,
        shareDir: o.shareDir ?? path.join(o.workDir, 'share', id),
        // Per cluster, so a node restarted in it remembers how it last ended.
        stateFile: path.join(o.workDir, `${id}.sessions.json`),
        firewalled,
        redis: o.redis,
        mode: o.mode,
        logLevel: 'warn',
        // Peers differ in what they offer, as on the internet: a few fast
        // links, many slow ones (Pareto), so the election has a real choice.
        uploadBandwidthBps: Math.round(BANDWIDTH_FLOOR_BPS / Math.pow(1 - random(), 1 / BANDWIDTH_PARETO_ALPHA)),
        ...o.nodeOverrides,
      },
      {},
    );
    nodes.push({ config, files: o.shareDir ? [] : catalogue.peers[k] });
  }
  return nodes;
}

/**
 * Which supernodes each one dials: a ring (so the graph is connected) plus
 * random chords up to `degree` (so paths stay short, as in a real overlay).
 */
export function linkPlan(n: number, degree: number, random: () => number): number[][] {
  const dials: number[][] = Array.from({ length: n }, () => []);
  const linked = new Set<string>();
  const add = (a: number, b: number) => {
    if (a === b) return false;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (linked.has(key)) return false;
    linked.add(key);
    dials[a].push(b);
    return true;
  };
  if (n <= 1) return dials;
  for (let i = 0; i < n; i++) add(i, (i + 1) % n);
  const chords = Math.max(0, Math.floor(degree / 2) - 1);
  for (let i = 0; i < n; i++) {
    for (let c = 0, tries = 0; c < chords && tries < 10 * n; tries++) if (add(i, randomInt(random, n))) c++;
  }
  return dials;
}
