// The bench report as text (each result next to its floor) and the sweep as
// an SVG plot (the simulator's pure line-plot renderer).
import { renderLinePlot } from '../sim/plot-svg.js';
import type { BenchReport } from './harness.js';
import type { Quantiles } from './stats.js';

const n = (x: number | null) => (x === null || Number.isNaN(x) ? 'n/a' : String(x));
const q = (x: Quantiles) => `p50 ${x.p50} p95 ${x.p95} p99 ${x.p99} ms (n=${x.count})`;
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const r = (x: number | null) => (x === null ? 'n/a' : `${x}×`);

export function textReport(b: BenchReport): string {
  const L: string[] = [];
  const o = b.overlay;
  const c = o.cluster;
  L.push(`superpeer bench — ${b.machine.cpus} CPUs, Node ${b.machine.node}, wall ${b.wallS} s`);
  L.push(`cluster: ${c.supernodes} supernodes, ${c.leaves} leaves, ${c.files} shared files (${c.distinctFiles} distinct), ${c.zones} zones, ${c.processes} processes (${c.nodesPerProcess} nodes each), ${c.supernodeLinksMean} links/supernode; TTL ${o.ttl}, max_results ${o.maxResults}, timeout ${o.timeoutMs} ms`);
  L.push('');
  L.push('floors (this run)');
  L.push(`  gRPC unary round trip   ${q(b.floors.grpc.unaryMs)}`);
  L.push(`  gRPC stream round trip  ${q(b.floors.grpc.streamMs)}`);
  L.push(`  central mode            ${'available' in b.floors.central ? `not available: ${b.floors.central.reason}` : q(b.floors.central.phases[0].firstHitMs)}`);
  L.push(`  flood mode              ${'available' in b.floors.flood ? `not available: ${b.floors.flood.reason}` : `${b.floors.flood.phases[0].messagesPerQuery} msgs/query`}`);
  L.push('');
  L.push('rate/s  sent  err  first-hit p50/p95/p99 ms      complete p50 ms  success  ≥3-replica  recall  msgs/q (floor)  CPU-s/1k  client lag p99');
  for (const p of o.phases) {
    L.push(
      `${String(p.rate).padStart(6)} ${String(p.searches).padStart(5)} ${String(p.errors).padStart(4)}  ${`${p.firstHitMs.p50}/${p.firstHitMs.p95}/${p.firstHitMs.p99}`.padEnd(28)} ${String(p.completeMs.p50).padEnd(16)} ${pct(p.success).padEnd(8)} ${pct(p.successReplicated).padEnd(11)} ${pct(p.recall).padEnd(7)} ${`${p.messagesPerQuery} (${p.floorMessagesPerQuery})`.padEnd(15)} ${String(p.cpuSecondsPer1000).padEnd(9)} ${p.clientLagMs.p99}`,
    );
  }
  L.push(`knee: ${b.knee.rate ?? 'below the lowest rate'}/s (${b.knee.rule})`);
  const rss = o.rss;
  L.push(`RSS ${rss.perProcess ? 'per PROCESS (several nodes share one)' : 'per node'}: supernode ${n(rss.supernodeMiB.p50)} MiB p50 / ${n(rss.supernodeMiB.max)} max, leaf ${n(rss.leafMiB.p50)} / ${n(rss.leafMiB.max)}${rss.mixedMiB.count ? `, mixed ${rss.mixedMiB.p50}` : ''}`);
  if (b.micro && !('error' in b.micro.leafRss)) {
    for (const v of b.micro.leafRss.variants) L.push(`leaf RSS, ${v.name}: ${v.rssMiB ?? `n/a (${v.error})`} MiB (heap used ${v.heapUsedMiB ?? 'n/a'} MiB)`);
  }
  L.push('');
  L.push('ratios to floors');
  L.push(`  first hit p50 / (hops × stream RTT)   ${r(b.ratios.firstHitToHopFloor)}   (per hop: ${r(b.ratios.perHopToStreamRtt)} the stream RTT)`);
  L.push(`  first hit p50 / central p50           ${r(b.ratios.firstHitToCentral)}`);
  L.push(`  messages per query / floor            ${r(b.ratios.messagesToFloor)}`);
  L.push(`  flood messages / supernode messages   ${r(b.ratios.messagesFloodToSupernode)}`);
  L.push('');
  L.push('targets');
  for (const t of b.targets) L.push(`  ${t.met === null ? '  ?' : t.met ? ' ok' : 'MISS'}  ${t.name}: ${t.value ?? 'n/a'} (target ${t.bound ?? 'n/a'}) — ${t.note}`);
  if (b.sweep.length) {
    L.push('');
    L.push('sweep  supernodes  first-hit p50/p95 ms  msgs/query (floor)  recall');
    for (const s of b.sweep) L.push(`       ${String(s.supernodes).padStart(10)}  ${`${s.firstHitP50Ms}/${s.firstHitP95Ms}`.padEnd(20)}  ${`${s.messagesPerQuery} (${s.floorMessagesPerQuery})`.padEnd(18)}  ${pct(s.recall)}`);
  }
  if (b.idle) {
    const i = b.idle;
    L.push('');
    L.push(`idle ${i.supernodes} supernodes + ${i.peers} peers (${i.nodesPerProcess} per process), ${i.windowS} s after ${i.settleS} s, load average ${i.loadAverage.join(' ')}`);
    L.push(`  CPU ${i.cpuMsPerLeafPerSecond} ms/s per leaf, ${i.cpuMsPerSupernodePerSecond} ms/s per supernode; cluster ${i.cpuSecondsPerSecond.nodes} + Redis ${i.cpuSecondsPerSecond.redis} CPU-s/s; Redis ${i.redisCommandsPerSecond} commands/s`);
  }
  if (b.peers) {
    L.push('');
    L.push('exact-hash lookups, side by side');
    for (const side of [b.peers.superpeer, b.peers.superpeerFlooded, b.peers.kadDht]) {
      if (side === null) continue;
      if ('available' in side) L.push(`  kad-dht: not available: ${side.reason}`);
      else L.push(`  ${side.system} at ${side.nodes} nodes: first source p50 ${side.firstSourceMs.p50} p95 ${side.firstSourceMs.p95} p99 ${side.firstSourceMs.p99} ms, success ${pct(side.successRate)}, messages/lookup ${side.messagesPerLookup.total} (${side.messagesPerLookup.requests} requests)${side.countedMessagesPerLookup !== undefined ? `, counted ${side.countedMessagesPerLookup}` : ''}`);
    }
    L.push(`  median ratio superpeer / kad-dht: ${r(b.peers.medianRatio)}`);
  }
  return L.join('\n') + '\n';
}

/** Latency and messages per query as the overlay grows. */
export function sweepSvg(b: BenchReport): string {
  const pts = [...b.sweep].sort((a, z) => a.supernodes - z.supernodes);
  // A point where nothing was found has no latency: leave it out rather than plot NaN.
  const finite = (xs: Array<[number, number | null]>): Array<[number, number]> => xs.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]));
  return renderLinePlot({
    title: `Sweep: ${b.overlay.cluster.leaves} leaves, TTL ${b.overlay.ttl}, ${pts[0]?.rate ?? 0} searches/s`,
    xLabel: 'supernodes',
    yLabel: 'ms  /  messages per query',
    logX: true,
    series: [
      { name: 'first hit p50 (ms)', points: finite(pts.map((p) => [p.supernodes, p.firstHitP50Ms])) },
      { name: 'first hit p95 (ms)', points: finite(pts.map((p) => [p.supernodes, p.firstHitP95Ms])) },
      { name: 'msgs/query', points: finite(pts.map((p) => [p.supernodes, p.messagesPerQuery])) },
      { name: 'msgs floor', points: finite(pts.map((p) => [p.supernodes, p.floorMessagesPerQuery])) },
    ],
  });
}
