// One benchmark scenario: a local cluster of real node processes, open-loop
// search load at each rate, and every figure computed from what this run
// measured (client timings, the nodes' /metrics, the cluster's real files).
import { LocalCluster } from '../node/cluster/local-cluster.js';
import { deriveSeed, seededRandom } from '../core/random.js';
import { ClientPool, runOpenLoop, type SearchOutcome } from './load.js';
import type { RealMode } from './modes.js';
import { delta, scrapeAll, type NodeSample, type NodeTarget } from './scrape.js';
import { quantiles, round, type Quantiles } from './stats.js';
import { GroundTruth, type TopologyNode } from './truth.js';
import { TermSource, planSearches } from './workload.js';

/** Searches start at leaves (as users' do), at most this many distinct ones. */
export const MAX_ORIGINS = 64;
/** A file "with ≥ 3 replicas" for the success target. */
export const REPLICATED_MIN = 3;

export interface ScenarioOptions {
  mode: RealMode;
  supernodes: number;
  peers: number;
  filesPerPeer: number;
  zones: number;
  ttl: number;
  rates: number[];
  durationS: number;
  seed: number;
  nodesPerProcess: number;
  maxResults: number;
  timeoutMs: number;
  log: (msg: string) => void;
}

export interface PhaseReport {
  rate: number;
  searches: number;
  errors: number;
  firstHitMs: Quantiles;
  firstHitPopularMs: Quantiles;
  completeMs: Quantiles;
  /** The node's own time to its first result (no client transport). */
  serverFirstHitMs: Quantiles;
  /** How late the client sent searches: its own saturation. */
  clientLagMs: Quantiles;
  firstHitHopsP50: number | null;
  /** Searches with a hit / searches that could find one within the TTL horizon. */
  success: number | null;
  successReplicated: number | null;
  /** Found / could have been found within the horizon (both capped at max results). */
  recall: number | null;
  /** Same, against everything in the cluster. */
  recallCluster: number | null;
  messagesPerQuery: number;
  forwardedPerQuery: number;
  /** Mean over searches of max(1, supernodes that hold a match). */
  floorMessagesPerQuery: number;
  cpuSecondsPer1000: number;
  achievedRate: number;
  /** Results that named the searcher's own files (not counted as finds). */
  ownResultsPerSearch: number;
  /** Descriptors sent per CPU-second by processes hosting only supernodes: one core's forwarding capacity at this load. */
  supernodeSentPerCpuSecond: number | null;
  /** Nodes whose /metrics answered before and after the phase (a saturated process may not). */
  nodesScraped: number;
}

export interface RssReport {
  perProcess: boolean;
  supernodeMiB: Quantiles;
  leafMiB: Quantiles;
  /** With several nodes per process: processes holding both roles. */
  mixedMiB: Quantiles;
  processes: number;
}

export interface ScenarioReport {
  mode: RealMode;
  cluster: { supernodes: number; leaves: number; files: number; distinctFiles: number; zones: number; nodesPerProcess: number; processes: number; supernodeLinksMean: number; startS: number; attached: boolean };
  ttl: number;
  maxResults: number;
  timeoutMs: number;
  phases: PhaseReport[];
  rss: RssReport;
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioReport> {
  const t0 = Date.now();
  o.log(`${o.mode}: starting ${o.supernodes} supernodes + ${o.peers} leaves (${o.nodesPerProcess} per process)`);
  const cluster = await LocalCluster.up({
    supernodes: o.supernodes,
    peers: o.peers,
    zones: o.zones,
    seed: o.seed,
    filesPerPeer: o.filesPerPeer,
    nodesPerProcess: o.nodesPerProcess,
    mode: o.mode,
    nodeOverrides: { searchTtl: o.ttl, leafCapacity: Math.max(64, Math.ceil((4 * o.peers) / Math.max(1, o.supernodes))), logLevel: 'error' },
  });
  const pool = new ClientPool();
  try {
    const attached = o.mode === 'flood' ? await waitLinked(cluster, Math.max(30_000, 100 * (o.supernodes + o.peers))) : await cluster.waitAttached(Math.max(30_000, 100 * (o.supernodes + o.peers)));
    const startS = (Date.now() - t0) / 1000;
    const topo = await topology(cluster);
    const truth = new GroundTruth(topo);
    const terms = new TermSource(truth);
    // Searches start at the planned leaves; in flood mode those same peers are servents with neighbours.
    const plannedLeaves = new Set(cluster.plan.filter((p, i) => i >= o.supernodes || p.config.role !== 'supernode').map((p) => p.config.id));
    const leaves = topo.filter((n) => plannedLeaves.has(n.id) && (n.uplinks.length > 0 || (o.mode === 'flood' && n.neighbours.length > 0)));
    const random = seededRandom(deriveSeed(o.seed, 'origins'));
    const origins = [...leaves].sort(() => random() - 0.5).slice(0, MAX_ORIGINS).map((n) => n.id);
    if (origins.length === 0) throw new Error('no attached leaf to search from');
    const addr = new Map([...cluster.nodes.values()].map((n) => [n.id, n.grpc]));
    await pool.warm(origins.map((id) => addr.get(id)!));
    const targets: NodeTarget[] = [...cluster.nodes.values()].map((n) => ({ id: n.id, role: n.role, pid: n.pid, http: n.http }));
    o.log(`${o.mode}: up in ${startS.toFixed(1)} s (attached: ${attached}); ${terms.popular.length} searchable names, ${terms.rare.length} rare`);
    const phases: PhaseReport[] = [];
    let last: NodeSample[] = [];
    for (const rate of o.rates) {
      const plan = planSearches(terms, { seed: o.seed, rate, durationMs: o.durationS * 1000, origins });
      const before = await scrapeAll(targets);
      const started = performance.now();
      const outcomes = await runOpenLoop(plan, pool, { ttl: o.ttl, maxResults: o.maxResults, timeoutMs: o.timeoutMs, addressOf: (id) => addr.get(id)! });
      const wallS = (performance.now() - started) / 1000;
      last = await scrapeAll(targets);
      const phase = summarise(rate, outcomes, truth, o, delta(before, last), wallS);
      phases.push(phase);
      o.log(`${o.mode} @ ${rate}/s: first hit p50 ${phase.firstHitMs.p50} ms p95 ${phase.firstHitMs.p95} ms, success ${phase.success}, recall ${phase.recall}, msgs/query ${phase.messagesPerQuery} (floor ${phase.floorMessagesPerQuery})`);
    }
    const files = topo.reduce((s, n) => s + n.files.length, 0);
    const distinct = new Set(topo.flatMap((n) => n.files.map((f) => f.sha256))).size;
    const sns = topo.filter((n) => n.role === 'supernode');
    return {
      mode: o.mode,
      cluster: {
        supernodes: sns.length,
        leaves: topo.length - sns.length,
        files,
        distinctFiles: distinct,
        zones: o.zones,
        nodesPerProcess: o.nodesPerProcess,
        processes: new Set(targets.map((t) => t.pid)).size,
        supernodeLinksMean: round(sns.reduce((s, n) => s + n.neighbours.length, 0) / Math.max(1, sns.length), 2),
        startS: round(startS, 1),
        attached,
      },
      ttl: o.ttl,
      maxResults: o.maxResults,
      timeoutMs: o.timeoutMs,
      phases,
      rss: rssReport(last.length ? last : await scrapeAll(targets), o.nodesPerProcess > 1),
    };
  } finally {
    pool.close();
    await cluster.down();
  }
}

/** Share of the planned links that must be up before a flood run: Gnutella's graph is all it has. */
export const FLOOD_LINKED_SHARE = 0.95;

/** Flood mode has no leaves to attach: wait (bounded) until the planned random graph has formed. */
async function waitLinked(cluster: LocalCluster, timeoutMs: number): Promise<boolean> {
  const planned = new Set<string>();
  const addressToId = new Map(cluster.plan.map((p) => [p.config.grpcListen, p.config.id]));
  for (const p of cluster.plan) {
    for (const seed of p.config.seeds) {
      const other = addressToId.get(seed);
      if (other && other !== p.config.id) planned.add([p.config.id, other].sort().join(' '));
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; round < 1_000 && Date.now() < deadline; round++) {
    const up = new Set<string>();
    for (const [id, s] of await cluster.statuses()) for (const n of s.neighbours ?? []) up.add([id, n.node_id].sort().join(' '));
    if ([...planned].filter((l) => up.has(l)).length >= FLOOD_LINKED_SHARE * planned.size) return true;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return false;
}

async function topology(cluster: LocalCluster): Promise<TopologyNode[]> {
  const statuses = await cluster.statuses();
  const described = await cluster.describe();
  return described.nodes.map((n) => {
    const s = statuses.get(n.id);
    return {
      id: n.id,
      role: s?.node?.role ?? n.role,
      files: n.files,
      neighbours: (s?.neighbours ?? []).map((x) => x.node_id),
      uplinks: (s?.uplinks ?? []).map((x) => x.node_id),
    };
  });
}

function summarise(rate: number, outs: SearchOutcome[], truth: GroundTruth, o: ScenarioOptions, d: ReturnType<typeof delta>, wallS: number): PhaseReport {
  const hits = outs.filter((x) => x.firstHitMs !== null);
  let canFind = 0, found = 0, canRep = 0, foundRep = 0, recallNum = 0, recallDen = 0, clusterDen = 0, floor = 0;
  const cap = o.maxResults;
  for (const x of outs) {
    const t = truth.truth(x.search.origin, o.ttl, { criteria: x.search.criteria });
    floor += Math.max(1, t.matchingSupernodes);
    const got = Math.min(x.results, cap);
    if (t.reachable > 0) {
      canFind++;
      if (x.results > 0) found++;
      if (t.maxReplicas >= REPLICATED_MIN) {
        canRep++;
        if (x.results > 0) foundRep++;
      }
    }
    recallNum += got;
    recallDen += Math.min(t.reachable, cap);
    clusterDen += Math.min(t.inCluster, cap);
  }
  const n = outs.length;
  const hops = hits.map((x) => x.firstHops ?? 0).sort((a, b) => a - b);
  return {
    rate,
    searches: n,
    errors: outs.filter((x) => x.error !== null).length,
    firstHitMs: quantiles(hits.map((x) => x.firstHitMs!)),
    firstHitPopularMs: quantiles(hits.filter((x) => x.search.kind === 'popular').map((x) => x.firstHitMs!)),
    completeMs: quantiles(outs.filter((x) => x.completeMs !== null && x.error === null).map((x) => x.completeMs!)),
    serverFirstHitMs: quantiles(hits.map((x) => x.serverFirstMs ?? 0)),
    clientLagMs: quantiles(outs.map((x) => x.lagMs)),
    firstHitHopsP50: hops.length ? hops[Math.ceil(hops.length / 2) - 1] : null,
    success: canFind ? round(found / canFind, 4) : null,
    successReplicated: canRep ? round(foundRep / canRep, 4) : null,
    recall: recallDen ? round(recallNum / recallDen, 4) : null,
    recallCluster: clusterDen ? round(recallNum / clusterDen, 4) : null,
    messagesPerQuery: round(d.querySent / Math.max(1, n), 2),
    forwardedPerQuery: round(d.queryForwarded / Math.max(1, n), 2),
    floorMessagesPerQuery: round(floor / Math.max(1, n), 2),
    cpuSecondsPer1000: round((d.cpuSeconds / Math.max(1, n)) * 1000, 3),
    achievedRate: round(n / Math.max(1e-9, wallS), 1),
    supernodeSentPerCpuSecond: d.supernodeOnlyCpuSeconds > 0 ? Math.round(d.supernodeOnlySent / d.supernodeOnlyCpuSeconds) : null,
    nodesScraped: d.nodesScraped,
    ownResultsPerSearch: round(outs.reduce((a, x) => a + x.ownResults, 0) / Math.max(1, n), 3),
  };
}

function rssReport(samples: NodeSample[], perProcess: boolean): RssReport {
  const mib = (b: number) => b / 1024 / 1024;
  const byPid = new Map<number, { roles: Set<string>; rss: number }>();
  for (const s of samples) {
    const p = byPid.get(s.pid) ?? { roles: new Set<string>(), rss: s.rssBytes };
    p.roles.add(s.role === 'supernode' ? 'supernode' : 'leaf');
    byPid.set(s.pid, p);
  }
  const of = (pred: (roles: Set<string>) => boolean) => quantiles([...byPid.values()].filter((p) => pred(p.roles)).map((p) => round(mib(p.rss), 1)));
  return {
    perProcess,
    supernodeMiB: of((r) => r.size === 1 && r.has('supernode')),
    leafMiB: of((r) => r.size === 1 && r.has('leaf')),
    mixedMiB: of((r) => r.size > 1),
    processes: byPid.size,
  };
}
