// Sim vs real: a real local cluster (8 supernodes, 100 leaves, real gRPC
// streams, private redis-server) reports its topology; the simulator runs the
// same core code on exactly that topology; the same queries go through real
// leaves over gRPC and through the simulator. Hop distribution, results and
// query messages per query must agree. Real nodes flood with TTL (no query
// routing tables, no dynamic querying — see the Search handler), so the
// simulator runs with both off here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalCluster } from '../../node/cluster/local-cluster.js';
import { search } from '../../node/test/nodes.js';
import { tokenize } from '../../core/keywords.js';
import { deriveSeed, seededRandom } from '../../core/random.js';
import { simulateTopology, type SimTopology, type TopologyQuery } from '../topology.js';

const SEED = 5;
const QUERIES = 16;
const TTL = 4;
/** Far above any query's matches, so neither side truncates and result sets are comparable. */
const MAX_RESULTS = 500;
/** Loopback floods finish in milliseconds; the deadline only has to outlast them. */
const SEARCH_TIMEOUT_MS = 700;
/** Stated tolerances (see docs/simulation.md, "Sim vs real"). */
const MESSAGES_TOLERANCE = 0.1;
const HOPS_TV_TOLERANCE = 0.15;

async function queriesSent(http: string): Promise<number> {
  const text = await (await fetch(`http://${http}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('superpeer_descriptors_sent_total{') && line.includes('type="query"')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

function normalise(hist: number[], length: number): number[] {
  const total = hist.reduce((a, b) => a + b, 0) || 1;
  return Array.from({ length }, (_, i) => (hist[i] ?? 0) / total);
}

test('the simulator on a real cluster’s topology gives its hop distribution and query messages per query', { timeout: 180_000 }, async (t) => {
  const cluster = await LocalCluster.up({ supernodes: 8, peers: 100, zones: 2, seed: SEED, filesPerPeer: 3, nodesPerProcess: 10 });
  t.after(() => cluster.down());
  assert.ok(await cluster.waitAttached(60_000), 'every leaf attached to 2 supernodes');
  const statuses = await cluster.statuses(5_000);
  assert.equal(statuses.size, 108);

  // The topology as the running cluster reports it.
  const topology: SimTopology = { supernodes: [], links: [], leaves: [] };
  const seen = new Set<string>();
  const files = (s: (typeof statuses extends Map<string, infer V> ? V : never)) => s.files.map((f) => ({ sha256: f.sha256, name: f.name, size: Number(f.size) }));
  for (const [id, s] of statuses) {
    if (s.node?.role === 'supernode') {
      topology.supernodes.push({ id, zone: s.node.zone, files: files(s) });
      for (const n of s.neighbours) {
        const key = [id, n.node_id].sort().join(' ');
        if (!seen.has(key)) topology.links.push([id, n.node_id] as [string, string]);
        seen.add(key);
      }
    } else {
      topology.leaves!.push({ id, zone: s.node?.zone, supernodes: s.uplinks.map((u) => u.node_id), files: files(s) });
    }
  }
  assert.equal(topology.supernodes.length, 8);

  // Queries: two words of a random shared file's name, from a random leaf.
  const random = seededRandom(deriveSeed(SEED, 'sim-vs-real'));
  const allFiles = [...statuses.values()].flatMap((s) => s.files);
  const leaves = topology.leaves!.map((l) => l.id).sort();
  const queries: TopologyQuery[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const f = allFiles[Math.floor(random() * allFiles.length)];
    queries.push({ from: leaves[Math.floor(random() * leaves.length)], criteria: tokenize(f.name).slice(0, 2).join(' '), ttl: TTL });
  }

  // Real: one query at a time through the leaf's Client.Search; query messages = the sum over
  // the searching leaf and every supernode of superpeer_descriptors_sent_total{type="query"}.
  const real: Array<{ hops: number[]; queryMessages: number }> = [];
  const supernodes = cluster.supernodes();
  for (const q of queries) {
    const leaf = cluster.nodes.get(q.from)!;
    const senders = [leaf, ...supernodes];
    const before = await Promise.all(senders.map((n) => queriesSent(n.http)));
    const results = await search(leaf.grpc, q.criteria, { ttl: TTL, timeoutMs: SEARCH_TIMEOUT_MS, maxResults: MAX_RESULTS });
    const after = await Promise.all(senders.map((n) => queriesSent(n.http)));
    real.push({ hops: results.map((r) => r.hops), queryMessages: after.reduce((a, b, i) => a + b - before[i], 0) });
  }

  // Loopback: every link about equally fast, whatever the zone.
  const sim = simulateTopology(topology, queries, { seed: SEED, qrp: false, dynamic: false, maxResults: MAX_RESULTS, searchTimeoutMs: SEARCH_TIMEOUT_MS, intraZoneMs: 1, interZoneMs: 1 });

  const realHist: number[] = [];
  for (const r of real) for (const h of r.hops) realHist[h] = (realHist[h] ?? 0) + 1;
  const length = Math.max(realHist.length, sim.hopsHistogram.length);
  const a = normalise(Array.from(realHist, (x) => x ?? 0), length);
  const b = normalise(sim.hopsHistogram, length);
  const tv = a.reduce((acc, x, i) => acc + Math.abs(x - b[i]), 0) / 2;
  const realMessages = real.reduce((s, r) => s + r.queryMessages, 0) / QUERIES;
  const realResults = real.reduce((s, r) => s + r.hops.length, 0) / QUERIES;
  const exact = real.filter((r, i) => r.queryMessages === sim.perQuery[i].queryMessages).length;
  t.diagnostic(`hops real ${JSON.stringify(Array.from(realHist, (x) => x ?? 0))} sim ${JSON.stringify(sim.hopsHistogram)} (total variation ${tv.toFixed(3)})`);
  t.diagnostic(`query messages per query real ${realMessages.toFixed(2)} sim ${sim.queryMessagesPerQuery} (${exact}/${QUERIES} queries equal); results per query real ${realResults.toFixed(2)} sim ${sim.resultsPerQuery}`);

  assert.ok(realResults > 0, 'the queries find something');
  assert.ok(Math.abs(sim.queryMessagesPerQuery - realMessages) <= MESSAGES_TOLERANCE * realMessages, `messages/query sim ${sim.queryMessagesPerQuery} vs real ${realMessages}`);
  assert.ok(tv <= HOPS_TV_TOLERANCE, `hop distributions differ by ${tv}`);
  assert.ok(Math.abs(sim.resultsPerQuery - realResults) <= MESSAGES_TOLERANCE * realResults, `results/query sim ${sim.resultsPerQuery} vs real ${realResults}`);
});
