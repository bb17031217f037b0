// The harness on a tiny real cluster (2 supernodes, 6 leaves, a few seconds):
// it runs, its JSON has every field, and every ratio is computed from values
// measured in the same run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BENCH, kneeOf, runBench, type BenchReport } from '../harness.js';
import type { PhaseReport } from '../scenario.js';
import { sumSeries } from '../scrape.js';
import { round } from '../stats.js';
import { GroundTruth } from '../truth.js';
import { sweepSvg, textReport } from '../report.js';

const PHASE_FIELDS: Array<keyof PhaseReport> = [
  'rate', 'searches', 'errors', 'firstHitMs', 'firstHitPopularMs', 'completeMs', 'serverFirstHitMs', 'clientLagMs', 'firstHitHopsP50',
  'success', 'successReplicated', 'recall', 'recallCluster', 'messagesPerQuery', 'forwardedPerQuery', 'floorMessagesPerQuery',
  'cpuSecondsPer1000', 'achievedRate', 'ownResultsPerSearch', 'supernodeSentPerCpuSecond', 'nodesScraped',
];

test('bench on 2 supernodes and 6 leaves: every field, ratios from this run', { timeout: 120_000 }, async () => {
  const report: BenchReport = await runBench({
    ...DEFAULT_BENCH, supernodes: 2, peers: 6, filesPerPeer: 10, zones: 2, rates: [20, 40], durationS: 2, nodesPerProcess: 4,
    timeoutMs: 500, echoRounds: 200, micro: false, dhtNodes: 0, sweepSupernodes: [2], idle: false,
  });
  const json = JSON.parse(JSON.stringify(report)) as BenchReport;
  for (const k of ['machine', 'options', 'modes', 'floors', 'overlay', 'knee', 'ratios', 'targets', 'sweep', 'micro', 'peers', 'idle', 'wallS'] as const) assert.ok(k in json, k);
  for (const k of ['firstHitToHopFloor', 'firstHitToCentral', 'messagesToFloor', 'messagesFloodToSupernode', 'perHopToStreamRtt'] as const) assert.ok(k in json.ratios, k);
  assert.equal(json.overlay.phases.length, 2);
  for (const p of json.overlay.phases) for (const k of PHASE_FIELDS) assert.ok(k in p, `phase.${k}`);
  for (const k of ['supernodeMiB', 'leafMiB', 'mixedMiB', 'processes', 'perProcess'] as const) assert.ok(k in json.overlay.rss, `rss.${k}`);

  const g = report.floors.grpc;
  assert.ok(g.unaryMs.p50 > 0 && g.streamMs.p50 > 0, 'gRPC floors measured');
  assert.equal(g.streamMs.count, 200);
  const p = report.overlay.phases[0];
  assert.equal(p.searches, 40);
  assert.ok(p.firstHitMs.count > 0 && p.firstHitMs.p50 > 0, 'searches found something');
  assert.ok(p.success !== null && p.success > 0.9, `success ${p.success}`);
  assert.ok(p.messagesPerQuery > 0 && p.floorMessagesPerQuery >= 1);
  assert.ok(p.cpuSecondsPer1000 > 0, 'CPU from the nodes\' process metrics');
  assert.ok(report.overlay.rss.processes >= 2);
  // Ratios are exactly value / floor of this run.
  assert.equal(report.ratios.messagesToFloor, round(p.messagesPerQuery / p.floorMessagesPerQuery, 2));
  assert.ok(p.firstHitHopsP50 !== null && p.firstHitHopsP50 >= 1);
  assert.equal(report.ratios.firstHitToHopFloor, round(p.firstHitMs.p50 / (p.firstHitHopsP50 * g.streamMs.p50), 2));
  // central and flood: measured where the node implements them, otherwise said so.
  for (const m of [report.floors.central, report.floors.flood]) {
    if ('available' in m) assert.match(m.reason, /not declared/);
    else assert.ok(m.phases[0].searches > 0);
  }
  if ('available' in report.floors.central) assert.equal(report.ratios.firstHitToCentral, null);
  const t = report.targets.find((x) => x.name.startsWith('median time to first hit'))!;
  assert.equal(t.bound, round(2 * p.firstHitHopsP50 * g.streamMs.p50 + 1));
  // The search targets against flood and central come from the same run's baselines.
  const bound = (prefix: string) => report.targets.find((x) => x.name.startsWith(prefix))!.bound;
  assert.equal(bound('messages per query'), round(2 * p.floorMessagesPerQuery, 2));
  if (!('available' in report.floors.flood)) assert.equal(bound('CPU-s per 1,000 searches'), round(0.5 * report.floors.flood.phases[0].cpuSecondsPer1000, 3));
  if (!('available' in report.floors.central)) assert.equal(bound('first hit p50 (ms), against central'), round(1.5 * report.floors.central.phases[0].firstHitMs.p50, 2));
  assert.equal(report.sweep.length, 1);
  assert.match(sweepSvg(report), /^<svg/);
  assert.match(textReport(report), /gRPC stream round trip/);
});

test('knee: the highest rate before p95 or success breaks', () => {
  const phase = (rate: number, p95: number, success: number) => ({ rate, firstHitMs: { p95 }, success, errors: 0, searches: 100 }) as unknown as PhaseReport;
  assert.equal(kneeOf([phase(10, 20, 1), phase(20, 30, 1), phase(40, 900, 1)], 500), 20);
  assert.equal(kneeOf([phase(10, 20, 1), phase(20, 30, 0.5)], 500), 10);
  assert.equal(kneeOf([phase(10, 900, 1)], 500), null);
});

test('ground truth: TTL horizon from the leaf\'s uplinks, own files excluded', () => {
  const f = (name: string, sha: string) => ({ name, sha256: sha });
  const truth = new GroundTruth([
    { id: 's0', role: 'supernode', files: [], neighbours: ['s1'], uplinks: [] },
    { id: 's1', role: 'supernode', files: [], neighbours: ['s2'], uplinks: [] },
    { id: 's2', role: 'supernode', files: [f('blue river.mp3', 'c')], neighbours: [], uplinks: [] },
    { id: 'a', role: 'leaf', files: [f('blue river.mp3', 'c')], neighbours: [], uplinks: ['s0'] },
    { id: 'b', role: 'leaf', files: [f('blue river.mp3', 'c'), f('red moon.ogg', 'd')], neighbours: [], uplinks: ['s1'] },
  ]);
  // From a at TTL 2: s0 (TTL 1) and s1 (TTL 0) handle it; s2 is beyond the horizon.
  assert.deepEqual(truth.truth('a', 2, { criteria: 'blue river' }), { reachable: 1, inCluster: 2, matchingSupernodes: 2, maxReplicas: 3 });
  assert.equal(truth.truth('a', 3, { criteria: 'river blue' }).reachable, 2);
  assert.equal(truth.truth('a', 3, { criteria: 'blue moon' }).inCluster, 0);
});

test('metric text: sums matching samples only', () => {
  const text = [
    '# HELP superpeer_descriptors_sent_total x',
    'superpeer_descriptors_sent_total{node="a",zone="z",type="query"} 5',
    'superpeer_descriptors_sent_total{node="a",zone="z",type="query_hit"} 7',
    'superpeer_descriptors_sent_total_extra{type="query"} 100',
    'superpeer_process_cpu_seconds_total{node="a",zone="z"} 1.5',
  ].join('\n');
  assert.equal(sumSeries(text, 'superpeer_descriptors_sent_total', { type: 'query' }), 5);
  assert.equal(sumSeries(text, 'superpeer_descriptors_sent_total'), 12);
  assert.equal(sumSeries(text, 'superpeer_process_cpu_seconds_total'), 1.5);
});
