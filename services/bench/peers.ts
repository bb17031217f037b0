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
import { modeAvailable } from './modes.js';
import { delta, scrapeAll } from './scrape.js';
import { quantiles, round, type Quantiles } from './stats.js';

const run = promisify(execFile);
// From services/bench/ or, compiled, from dist/services/bench/.
const SOURCE_PEERS_DIR = fileURLToPath(new URL('../../loadtest/peers', import.meta.url));
export const PEERS_DIR = existsSync(SOURCE_PEERS_DIR) ? SOURCE_PEERS_DIR : fileURLToPath(new URL('../../../loadtest/peers', import.meta.url));
const LOCATE_TIMEOUT_MS = 2_000;

export interface LookupSide {
  system: string;
  nodes: number;
  lookups: number;
  successRate: number;
  firstSourceMs: Quantiles | { p50: number | null; p95: number | null; p99: number | null };
  messagesPerLookup: { requests: number; responses: number; total: number };
  /** Messages counted by the nodes during the lookups (dht: Chord counter minus background, plus the leaf's round trip). */
  countedMessagesPerLookup?: number;
  notes: string;
}

export interface PeersReport {
  /** dht mode when the node declares it (hash lookups by Chord), else supernode mode. */
  superpeer: LookupSide;
  /** supernode mode (Locate flooded like a keyword query), for reference, when dht was measured. */
  superpeerFlooded: LookupSide | null;
  kadDht: LookupSide | { available: false; reason: string };
  /** superpeer p50 / kad-dht p50 (target ≤ 0.1). */
  medianRatio: number | null;
}

/** Chord's background (stabilise, fix-fingers, republish) is sampled over this long before the lookups, to subtract it. */
export const CHORD_BACKGROUND_MS = 3_000;
/** The ring has converged once its members hold a record for this share of the cluster's distinct files. */
const RING_READY_SHARE = 0.99;

async function chordSent(cluster: LocalCluster): Promise<{ sent: number; records: number }> {
  let sent = 0;
  let records = 0;
  for (const s of (await cluster.statuses()).values()) {
    for (const c of s.counters ?? []) {
      if (c.name === 'chord_messages_sent') sent += Number(c.value);
      if (c.name === 'chord_records') records += Number(c.value);
    }
  }
  return { sent, records };
}

export async function superpeerLocate(mode: 'supernode' | 'dht', nodes: number, supernodes: number, lookups: number, nodesPerProcess: number, seed: number, log: (m: string) => void): Promise<LookupSide> {
  const cluster = await LocalCluster.up({ supernodes, peers: nodes - supernodes, zones: 3, seed, filesPerPeer: 20, nodesPerProcess, mode, nodeOverrides: { searchTtl: 3, logLevel: 'error' } });
  const pool = new ClientPool();
  try {
    await cluster.waitAttached(60_000);
    const { nodes: described } = await cluster.describe();
    const leaves = described.filter((n) => n.role !== 'supernode' && n.uplinks.length > 0);
    const random = seededRandom(deriveSeed(seed, 'locate'));
    await pool.warm(leaves.map((l) => l.grpc));
    const targets = [...cluster.nodes.values()].map((n) => ({ id: n.id, role: n.role, pid: n.pid, http: n.http }));
    let background = 0;
    let ringNote = '';
    if (mode === 'dht') {
      // Wait (bounded) until the ring holds a provider record for nearly every file.
      const distinct = new Set(described.flatMap((n) => n.files.map((f) => f.sha256))).size;
      const deadline = Date.now() + 60_000;
      let records = 0;
      for (let i = 0; i < 600 && Date.now() < deadline; i++) {
        records = (await chordSent(cluster)).records;
        if (records >= RING_READY_SHARE * distinct) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const a = await chordSent(cluster);
      const t = performance.now();
      await new Promise((r) => setTimeout(r, CHORD_BACKGROUND_MS));
      background = ((await chordSent(cluster)).sent - a.sent) / ((performance.now() - t) / 1000);
      ringNote = `; ring records ${records} of ${distinct} distinct files; Chord background ${round(background, 1)} msgs/s subtracted`;
    }
    const before = await scrapeAll(targets);
    const chordBefore = mode === 'dht' ? (await chordSent(cluster)).sent : 0;
    const lat: number[] = [];
    const hopCounts: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < lookups; i++) {
      const from = leaves[randomInt(random, leaves.length)];
      const others = described.filter((n) => n.id !== from.id && n.files.length > 0);
      const owner = others[randomInt(random, others.length)];
      const file = owner.files[randomInt(random, owner.files.length)];
      const t = performance.now();
      const hops = await new Promise<number | null>((resolve) =>
        pool.get(from.grpc).Locate({ sha256: file.sha256, max_results: 1, timeout_ms: LOCATE_TIMEOUT_MS }, { deadline: Date.now() + LOCATE_TIMEOUT_MS + 2_000 }, (err, res) => {
          const s = err ? undefined : (res?.sources ?? []).find((x) => x.node_id !== from.id);
          resolve(s ? s.hops : null);
        }),
      );
      if (hops !== null) {
        lat.push(performance.now() - t);
        hopCounts.push(hops);
      }
    }
    const windowS = (performance.now() - t0) / 1000;
    const d = delta(before, await scrapeAll(targets));
    log(`superpeer Locate (${mode}) at ${nodes} nodes: p50 ${quantiles(lat).p50} ms`);
    if (mode === 'dht') {
      // Counted: Chord messages sent during the lookups minus the background rate over that window,
      // plus the leaf's Locate to its supernode and the reply (2 per lookup, not in the Chord counter).
      const chord = Math.max(0, (await chordSent(cluster)).sent - chordBefore - background * windowS);
      const meanHops = hopCounts.length ? hopCounts.reduce((a, b) => a + b, 0) / hopCounts.length : 0;
      // Per answer: find_successor × hops (+ found when hops > 0) + fetch/providers + Locate and reply.
      const requests = 1 + meanHops + 1;
      const responses = 1 + hopCounts.filter((h) => h > 0).length / Math.max(1, hopCounts.length) + 1;
      return {
        system: 'superpeer Locate (dht mode: Chord ring of supernodes)',
        nodes: described.length,
        lookups,
        successRate: round(lat.length / lookups, 3),
        firstSourceMs: quantiles(lat),
        messagesPerLookup: { requests: round(requests, 2), responses: round(responses, 2), total: round(requests + responses, 2) },
        countedMessagesPerLookup: round(chord / lookups + 2, 2),
        notes: `${supernodes} supernodes on the ring, ${nodes - supernodes} leaves (they forward Locate to a supernode), ${nodesPerProcess} leaves per process, one process per supernode; mean Chord hops ${round(meanHops, 2)}; messages from the hops each answer reports (fetch always counted)${ringNote}`,
      };
    }
    return {
      system: 'superpeer Locate (supernode mode: flooded, TTL 3)',
      nodes: described.length,
      lookups,
      successRate: round(lat.length / lookups, 3),
      firstSourceMs: quantiles(lat),
      messagesPerLookup: { requests: round(d.querySent / lookups, 2), responses: round(d.hitSent / lookups, 2), total: round((d.querySent + d.hitSent) / lookups, 2) },
      countedMessagesPerLookup: round((d.querySent + d.hitSent) / lookups, 2),
      notes: `${supernodes} supernodes, ${nodes - supernodes} leaves, ${nodesPerProcess} leaves per process, one process per supernode; one lookup at a time from a random leaf for a file another node holds; max_results 1; messages from the nodes' /metrics`,
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
  const dht = modeAvailable('dht');
  const superpeer = await superpeerLocate(dht ? 'dht' : 'supernode', o.nodes, supernodes, o.lookups, o.nodesPerProcess, o.seed, o.log);
  const superpeerFlooded = dht ? await superpeerLocate('supernode', o.nodes, supernodes, o.lookups, o.nodesPerProcess, o.seed, o.log) : null;
  o.log(`kad-dht: ${o.nodes} nodes, ${o.keys} keys, ${o.lookups} lookups`);
  const kad = await kadDht(o.nodes, o.keys, o.lookups, o.seed);
  const sp = superpeer.firstSourceMs.p50;
  const kp = 'available' in kad ? null : kad.firstSourceMs.p50;
  return { superpeer, superpeerFlooded, kadDht: kad, medianRatio: sp !== null && kp ? round(sp / kp, 3) : null };
}
