// `superpeer bench`: the floors of this machine, the overlay under open-loop
// search load, and every result as a ratio to a floor measured in the same run.
import os from 'node:os';
import { measureEchoFloor, type EchoFloor } from './echo.js';
import { runMicro, type MicroReport } from './micro.js';
import { DEFAULT_IDLE, runIdle, type IdleReport } from './idle.js';
import { implementedModes, type RealMode } from './modes.js';
import { runPeers, type PeersReport } from './peers.js';
import { runScenario, type PhaseReport, type ScenarioOptions, type ScenarioReport } from './scenario.js';
import { ratio, round } from './stats.js';

/** What one scenario run takes, plus the harness-wide choices. */
export interface BenchOptions extends Omit<ScenarioOptions, 'mode' | 'log'> {
  /** Knee: highest rate whose first-hit p95 stays under this. */
  p95BoundMs: number;
  sweepSupernodes?: number[];
  echoRounds: number;
  micro: boolean;
  /** Also run central and flood on the same plan (where the node declares them). */
  compare: boolean;
  /** Nodes for the kad-dht side by side; 0 = skip. */
  dhtNodes: number;
  dhtKeys: number;
  dhtLookups: number;
  /** Also measure an idle 4 + 100 cluster (CPU per leaf and per supernode, Redis commands/s). */
  idle: boolean;
  log?: (msg: string) => void;
}

export const DEFAULT_BENCH: BenchOptions = {
  supernodes: 8, peers: 80, filesPerPeer: 20, zones: 3, ttl: 3, rates: [25, 50, 100], durationS: 10, seed: 1, nodesPerProcess: 4,
  maxResults: 100, timeoutMs: 1_000, p95BoundMs: 500, echoRounds: 2_000, micro: true, compare: true, dhtNodes: 0, dhtKeys: 300, dhtLookups: 200,
  idle: true,
};

export interface NotAvailable {
  available: false;
  reason: string;
}

export interface SweepPoint {
  supernodes: number;
  rate: number;
  firstHitP50Ms: number;
  firstHitP95Ms: number;
  messagesPerQuery: number;
  floorMessagesPerQuery: number;
  recall: number | null;
  /** The base run's phase at this rate (same size), not a separate cluster. */
  reused: boolean;
  /** Nodes whose /metrics answered before and after: fewer than the cluster's means messages are undercounted. */
  nodesScraped: number;
}

export interface Target {
  name: string;
  value: number | null;
  bound: number | null;
  met: boolean | null;
  note: string;
}

export interface BenchReport {
  machine: { cpus: number; node: string; platform: string };
  options: Omit<BenchOptions, 'log'>;
  modes: { implemented: RealMode[] };
  floors: {
    grpc: EchoFloor;
    central: ScenarioReport | NotAvailable;
    flood: ScenarioReport | NotAvailable;
  };
  overlay: ScenarioReport;
  knee: { rate: number | null; boundMs: number; rule: string };
  ratios: {
    /** First-hit p50 / (median hops of the first hit × stream round-trip p50). */
    firstHitToHopFloor: number | null;
    firstHitToCentral: number | null;
    messagesToFloor: number | null;
    messagesFloodToSupernode: number | null;
    /** Mean time per hop of the first hit / stream round-trip p50. */
    perHopToStreamRtt: number | null;
  };
  targets: Target[];
  sweep: SweepPoint[];
  micro: MicroReport | null;
  peers: PeersReport | null;
  /** The idle cluster: what the control plane costs when nothing happens. */
  idle: IdleReport | null;
  wallS: number;
}

function notAvailable(mode: RealMode, skipped = false): NotAvailable {
  if (skipped) return { available: false, reason: `${mode} mode skipped (--no-compare)` };
  return { available: false, reason: `${mode} mode is not declared by the real node (services/node/node.ts exports no IMPLEMENTED_MODES listing it); nothing measured` };
}

export function kneeOf(phases: PhaseReport[], boundMs: number): number | null {
  const base = phases[0]?.success ?? null;
  let knee: number | null = null;
  for (const p of [...phases].sort((a, b) => a.rate - b.rate)) {
    const holds = p.firstHitMs.p95 !== null && p.firstHitMs.p95 <= boundMs && (base === null || (p.success ?? 0) >= 0.99 * base) && p.errors <= 0.01 * p.searches;
    if (!holds) break;
    knee = p.rate;
  }
  return knee;
}

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log ?? (() => {});
  const t0 = Date.now();
  const modes = implementedModes();
  log(`floors: gRPC echo over loopback (${o.echoRounds} round trips each)`);
  const grpcFloor = await measureEchoFloor(o.echoRounds);
  log(`  unary p50 ${grpcFloor.unaryMs.p50} ms, stream p50 ${grpcFloor.streamMs.p50} ms`);
  const base: ScenarioOptions = { mode: 'supernode', supernodes: o.supernodes, peers: o.peers, filesPerPeer: o.filesPerPeer, zones: o.zones, ttl: o.ttl, rates: o.rates, durationS: o.durationS, seed: o.seed, nodesPerProcess: o.nodesPerProcess, maxResults: o.maxResults, timeoutMs: o.timeoutMs, log };
  const overlay = await runScenario(base);
  const lowest = [Math.min(...o.rates)];
  const central = o.compare && modes.includes('central') ? await runScenario({ ...base, mode: 'central', rates: lowest }) : notAvailable('central', !o.compare);
  const flood = o.compare && modes.includes('flood') ? await runScenario({ ...base, mode: 'flood', rates: lowest }) : notAvailable('flood', !o.compare);
  const sweep: SweepPoint[] = [];
  for (const s of o.sweepSupernodes ?? []) {
    // The base size at the lowest rate was measured already (same cluster, same workload): reuse it.
    const reuse = s === o.supernodes ? overlay.phases.find((p) => p.rate === lowest[0]) : undefined;
    const p = reuse ?? (await runScenario({ ...base, supernodes: s, rates: lowest })).phases[0];
    sweep.push({ supernodes: s, rate: p.rate, firstHitP50Ms: p.firstHitMs.p50, firstHitP95Ms: p.firstHitMs.p95, messagesPerQuery: p.messagesPerQuery, floorMessagesPerQuery: p.floorMessagesPerQuery, recall: p.recall, reused: reuse !== undefined, nodesScraped: p.nodesScraped });
  }
  const micro = o.micro ? await runMicro({ seconds: 5, leaves: 500, filesPerLeaf: 200, log }) : null;
  const idle = o.idle ? await runIdle({ ...DEFAULT_IDLE, seed: o.seed, log }) : null;
  const peers = o.dhtNodes > 0 ? await runPeers({ nodes: o.dhtNodes, keys: o.dhtKeys, lookups: o.dhtLookups, nodesPerProcess: o.nodesPerProcess, seed: o.seed, log }) : null;

  const first = overlay.phases[0];
  const hops = first.firstHitHopsP50;
  const stream = grpcFloor.streamMs.p50;
  const hopFloor = hops !== null ? hops * stream : null;
  const centralP50 = 'available' in central ? null : central.phases[0].firstHitMs.p50;
  const floodMsgs = 'available' in flood ? null : flood.phases[0].messagesPerQuery;
  const knee = kneeOf(overlay.phases, o.p95BoundMs);
  const { log: _log, ...optionsOut } = o;
  const report: BenchReport = {
    machine: { cpus: os.cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` },
    options: optionsOut,
    modes: { implemented: modes },
    floors: { grpc: grpcFloor, central, flood },
    overlay,
    knee: { rate: knee, boundMs: o.p95BoundMs, rule: `highest rate whose first-hit p95 ≤ ${o.p95BoundMs} ms, success ≥ 99% of the lowest rate's, errors ≤ 1%` },
    ratios: {
      firstHitToHopFloor: ratio(first.firstHitMs.p50, hopFloor),
      firstHitToCentral: ratio(first.firstHitMs.p50, centralP50),
      messagesToFloor: ratio(first.messagesPerQuery, first.floorMessagesPerQuery),
      messagesFloodToSupernode: ratio(floodMsgs, first.messagesPerQuery),
      perHopToStreamRtt: hops ? ratio(first.firstHitMs.p50 / hops, stream) : null,
    },
    targets: targets(o, overlay, grpcFloor, { floodMsgs, floodCpu: 'available' in flood ? null : flood.phases[0].cpuSecondsPer1000, centralP50 }, micro, peers, idle),
    sweep,
    micro,
    peers,
    idle,
    wallS: round((Date.now() - t0) / 1000, 1),
  };
  return report;
}

function target(name: string, value: number | null, bound: number | null, le: boolean, note: string): Target {
  const met = value === null || bound === null ? null : le ? value <= bound : value >= bound;
  return { name, value, bound, met, note };
}

/** The flood and central runs' figures the search targets compare with (null where not measured). */
interface Baselines {
  floodMsgs: number | null;
  floodCpu: number | null;
  centralP50: number | null;
}

function targets(o: BenchOptions, s: ScenarioReport, g: EchoFloor, b: Baselines, m: MicroReport | null, peers: PeersReport | null, idle: IdleReport | null): Target[] {
  const { floodMsgs, floodCpu, centralP50 } = b;
  const p = s.phases[0];
  const hops = p.firstHitHopsP50;
  const out: Target[] = [
    target('median time to first hit (ms)', p.firstHitMs.p50, hops !== null ? round(2 * hops * g.streamMs.p50 + 1) : null, true, `≤ 2 × (${hops} hops × ${g.streamMs.p50} ms stream round trip) + 1 ms, at ${p.rate}/s`),
    target('search success, files with ≥ 3 replicas', p.successReplicated, 0.99, false, 'searches with a hit / searches for a name with ≥ 3 replicas reachable within the TTL'),
    target('recall within the TTL horizon', p.recall, 0.95, false, 'results found / results that could have been found (capped at max_results)'),
    target('messages per query', p.messagesPerQuery, round(2 * p.floorMessagesPerQuery, 2), true, '≤ 2 × supernodes holding a match'),
    target('CPU-s per 1,000 searches', p.cpuSecondsPer1000, floodCpu !== null ? round(0.5 * floodCpu, 3) : null, true, '≤ 0.5 × flood mode’s, same plan, lowest rate'),
    target('first hit p50 (ms), against central mode', p.firstHitMs.p50, centralP50 !== null ? round(1.5 * centralP50, 2) : null, true, '≤ 1.5 × central mode’s p50, same plan, lowest rate'),
    target('flood messages / supernode messages', floodMsgs !== null ? ratio(floodMsgs, p.messagesPerQuery) : null, 10, false, floodMsgs === null ? 'flood mode not available on the real node' : '≥ 10× fewer than flood on the same topology'),
  ];
  if (m) {
    out.push(target('forwarded descriptors/s per core (core in-process)', m.forwarding.forwardedPerSecond, 5_000, false, m.forwarding.where));
    const real = s.phases.map((x) => x.supernodeSentPerCpuSecond).filter((x): x is number => x !== null);
    out.push(target('descriptors sent per supernode CPU-second (real processes)', real.length ? Math.max(...real) : null, 5_000, false, 'from the cluster run: descriptors sent by supernode-only processes / their CPU seconds'));
    out.push(target('own-index searches/s per CPU-second', m.ownIndexSearch.perCpuSecond, 1_000, false, m.ownIndexSearch.where));
    if (!('error' in m.indexMemory)) out.push(target('supernode RSS, 500 leaves × 200 files (MiB)', m.indexMemory.fullMiB, 250, true, m.indexMemory.where));
    out.push(target('leaf RSS (MiB), cluster host process', m.leafRssMiB, 80, true, 'a real leaf with 200 files, alone in a cluster host process, as the harness starts it'));
    if (!('error' in m.leafRss)) {
      for (const v of m.leafRss.variants) out.push(target(`leaf RSS (MiB), ${v.name}`, v.rssMiB, 80, true, v.error ?? `${v.command}; ${m.leafRss.settleMs / 1000} s after attaching`));
    }
  }
  if (idle) {
    const at = `idle ${idle.supernodes} + ${idle.peers}, ${idle.nodesPerProcess} per process, load average ${idle.loadAverage[0]}`;
    out.push(target('idle CPU per leaf (ms/s)', idle.cpuMsPerLeafPerSecond, 0.15, true, at));
    out.push(target('idle CPU per supernode (ms/s)', idle.cpuMsPerSupernodePerSecond, 3, true, at));
    out.push(target('idle cluster with Redis (CPU-s/s)', idle.cpuSecondsPerSecond.total, 0.03, true, at));
    out.push(target('idle Redis commands/s', idle.redisCommandsPerSecond, 10, true, at));
  }
  if (peers) out.push(target('Locate p50 / kad-dht p50', peers.medianRatio, 0.1, true, `${o.dhtNodes} nodes each, same run`));
  return out;
}
