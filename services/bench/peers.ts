// Side by side with a peer system: exact content-hash lookups on superpeer
// (Locate from a leaf, first source) and on js-libp2p's Kademlia DHT
// (findProviders, first provider) at the same number of nodes, in one run.
// The DHT lives in loadtest/peers/ with its own dependencies.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deriveSeed, randomInt, seededRandom } from '../core/random.js';
import { LocalCluster } from '../node/cluster/local-cluster.js';
import { ClientPool } from './load.js';
import { delta, scrapeAll } from './scrape.js';
import { quantiles, round, type Quantiles } from './stats.js';

const run = promisify(execFile);
export const PEERS_DIR = fileURLToPath(new URL('../../loadtest/peers', import.meta.url));
const LOCATE_TIMEOUT_MS = 2_000;

export interface LookupSide {
  system: string;
  nodes: number;
  lookups: number;
  successRate: number;
  firstSourceMs: Quantiles | { p50: number | null; p95: number | null; p99: number | null };
  messagesPerLookup: { requests: number; responses: number; total: number };
  notes: string;
}

export interface PeersReport {
  superpeer: LookupSide;
  kadDht: LookupSide | { available: false; reason: string };
  /** superpeer p50 / kad-dht p50 (target ≤ 0.1). */
  medianRatio: number | null;
}

async function superpeerLocate(nodes: number, supernodes: number, lookups: number, nodesPerProcess: number, seed: number, log: (m: string) => void): Promise<LookupSide> {
  const cluster = await LocalCluster.up({ supernodes, peers: nodes - supernodes, zones: 3, seed, filesPerPeer: 20, nodesPerProcess, nodeOverrides: { searchTtl: 3, logLevel: 'error' } });
  const pool = new ClientPool();
  try {
    await cluster.waitAttached(60_000);
    const { nodes: described } = await cluster.describe();
    const leaves = described.filter((n) => n.role !== 'supernode' && n.uplinks.length > 0);
    const random = seededRandom(deriveSeed(seed, 'locate'));
    await pool.warm(leaves.map((l) => l.grpc));
    const targets = [...cluster.nodes.values()].map((n) => ({ id: n.id, role: n.role, pid: n.pid, http: n.http }));
    const before = await scrapeAll(targets);
    const lat: number[] = [];
    for (let i = 0; i < lookups; i++) {
      const from = leaves[randomInt(random, leaves.length)];
      const others = described.filter((n) => n.id !== from.id && n.files.length > 0);
      const owner = others[randomInt(random, others.length)];
      const file = owner.files[randomInt(random, owner.files.length)];
      const t = performance.now();
      const ok = await new Promise<boolean>((resolve) =>
        pool.get(from.grpc).Locate({ sha256: file.sha256, max_results: 1, timeout_ms: LOCATE_TIMEOUT_MS }, { deadline: Date.now() + LOCATE_TIMEOUT_MS + 2_000 }, (err, res) =>
          resolve(!err && (res?.sources ?? []).some((s) => s.node_id !== from.id)),
        ),
      );
      if (ok) lat.push(performance.now() - t);
    }
    const d = delta(before, await scrapeAll(targets));
    log(`superpeer Locate at ${nodes} nodes: p50 ${quantiles(lat).p50} ms`);
    return {
      system: 'superpeer Locate (supernode mode, TTL 3)',
      nodes: described.length,
      lookups,
      successRate: round(lat.length / lookups, 3),
      firstSourceMs: quantiles(lat),
      messagesPerLookup: { requests: round(d.querySent / lookups, 2), responses: round(d.hitSent / lookups, 2), total: round((d.querySent + d.hitSent) / lookups, 2) },
      notes: `${supernodes} supernodes, ${nodes - supernodes} leaves, ${nodesPerProcess} node(s) per process; one lookup at a time from a random leaf for a file another node holds; max_results 1`,
    };
  } finally {
    pool.close();
    await cluster.down();
  }
}

async function kadDht(nodes: number, keys: number, lookups: number, seed: number): Promise<PeersReport['kadDht']> {
  if (!existsSync(path.join(PEERS_DIR, 'node_modules', 'libp2p'))) {
    return { available: false, reason: 'loadtest/peers is not installed: run `make bench-peers` (npm install there)' };
  }
  try {
    const { stdout } = await run(process.execPath, [path.join(PEERS_DIR, 'kad-bench.mjs'), '--nodes', String(nodes), '--keys', String(keys), '--lookups', String(lookups), '--seed', String(seed)], { timeout: 1_200_000, maxBuffer: 1 << 20, cwd: PEERS_DIR });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as { nodes: number; lookups: number; successRate: number; firstProviderMs: LookupSide['firstSourceMs']; messagesPerLookup: LookupSide['messagesPerLookup']; transport: string; keys: number; routingTable: { min: number; mean: number } };
    return { system: 'js-libp2p kad-dht findProviders', nodes: r.nodes, lookups: r.lookups, successRate: r.successRate, firstSourceMs: r.firstProviderMs, messagesPerLookup: r.messagesPerLookup, notes: `${r.transport}; ${r.keys} keys provided; routing table min ${r.routingTable.min} mean ${r.routingTable.mean}` };
  } catch (err) {
    return { available: false, reason: `kad-bench failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

export async function runPeers(o: { nodes: number; keys: number; lookups: number; nodesPerProcess: number; seed: number; log: (m: string) => void }): Promise<PeersReport> {
  const supernodes = Math.max(2, Math.round(o.nodes / 10));
  const superpeer = await superpeerLocate(o.nodes, supernodes, o.lookups, o.nodesPerProcess, o.seed, o.log);
  o.log(`kad-dht: ${o.nodes} nodes, ${o.keys} keys, ${o.lookups} lookups`);
  const kad = await kadDht(o.nodes, o.keys, o.lookups, o.seed);
  const sp = superpeer.firstSourceMs.p50;
  const kp = 'available' in kad ? null : kad.firstSourceMs.p50;
  return { superpeer, kadDht: kad, medianRatio: sp !== null && kp ? round(sp / kp, 3) : null };
}
