// One simulation run: build the population and the mode's overlay from the
// seed, issue Poisson-timed searches from real core objects, apply churn, and
// report. simulate(params) is a pure function of its parameters.
import { deriveSeed, seededRandom } from '../core/random.js';
import { buildCatalogue } from './catalogue.js';
import { simulateControlPlane, type ControlPlaneReport } from './control-plane.js';
import { exponential, pareto } from './distributions.js';
import { CentralRunner } from './mode-central.js';
import { DhtRunner } from './mode-dht.js';
import { OverlayRunner } from './mode-overlay.js';
import { SimNetwork, type SearchRecord } from './network.js';
import { resolveParams, type SimMode, type SimParams } from './params.js';
import { buildPopulation } from './population.js';
import type { ModeRunner, SimContext } from './runner.js';
import { loadStats, searchStats, type LoadStats, type SearchStats } from './stats.js';

const MS_PER_MINUTE = 60_000;
/** Tries to find an idle, online searcher before a search is skipped. */
const SEARCHER_TRIES = 32;

export interface SimReport {
  mode: SimMode;
  params: SimParams;
  population: { peers: number; supernodes: number; sharedFiles: number; leafCapacity: number };
  search: SearchStats;
  /** Under churn: the same measures per window of issue time. */
  windows: Array<{ fromMs: number; toMs: number } & SearchStats>;
  load: { queries: LoadStats; leaves: LoadStats };
  /** Every descriptor sent in the run, by type (central and dht count their own messages in search). */
  descriptorsSent: Record<string, number>;
  virtualMs: number;
  events: number;
  skippedSearches: number;
  extra: Record<string, number>;
  /** dht mode: key load, maintenance traffic, lookups after failures, locality (mode-dht.ts). */
  dht?: Record<string, unknown>;
  /** supernode mode: the control plane (registry and control messages, balance) by the core's policies. */
  controlPlane?: ControlPlaneReport;
}

export type Progress = (phase: 'build' | 'search', done: number, total: number) => void;

export function simulate(input: Partial<SimParams>, progress: Progress = () => {}): SimReport {
  const p = resolveParams(input);
  const stream = (label: string): (() => number) => seededRandom(deriveSeed(p.seed, label));
  progress('build', 0, 1);
  const cat = buildCatalogue(p.files, p.replicationZipf, p.queryZipf, stream('catalogue'));
  const pop = buildPopulation(p, cat, stream('population'));
  const net = new SimNetwork(p, pop.zone, pop.accessMs, stream('network'), stream('core'));
  const ctx: SimContext = { p, pop, cat, net, random: stream('mode') };
  const runner = makeRunner(ctx);
  progress('build', 1, 1);

  const workload = stream('workload');
  const records: SearchRecord[] = [];
  let issued = 0;
  let finished = 0;
  let skipped = 0;
  const maybeStop = (): void => {
    if (issued + skipped >= p.queries && finished >= issued) net.clock.stopped = true;
  };
  const issue = (): void => {
    const k = cat.drawQueryTarget();
    let started = false;
    for (let t = 0; t < SEARCHER_TRIES && !started; t++) {
      const searcher = runner.searchers[Math.floor(workload() * runner.searchers.length)];
      const rec: SearchRecord = { issuedAt: net.clock.now, searcher, results: 0, firstHitMs: null, hops: [], sameZoneResults: 0, queryMessages: 0, hitMessages: 0, done: false };
      started = runner.search(searcher, k, rec, () => {
        finished++;
        if (finished % Math.max(1, Math.floor(p.queries / 100)) === 0) progress('search', finished, p.queries);
        maybeStop();
      });
      if (started) {
        records.push(rec);
        issued++;
      }
    }
    if (!started) skipped++;
    if (issued + skipped < p.queries) net.clock.schedule(exponential(1000 / p.queryRatePerS, workload), issue);
    maybeStop();
  };
  net.clock.schedule(0, issue);
  if (p.churn > 0) scheduleChurn(ctx, runner, stream('churn'));
  net.clock.run();

  const load = runner.load();
  const windows: SimReport['windows'] = [];
  if (p.churn > 0 && records.length > 0) {
    const end = records[records.length - 1].issuedAt + 1;
    for (let w = 0; w < p.windows; w++) {
      const fromMs = Math.floor((w * end) / p.windows);
      const toMs = Math.floor(((w + 1) * end) / p.windows);
      windows.push({ fromMs, toMs, ...searchStats(records.filter((r) => r.issuedAt >= fromMs && r.issuedAt < toMs)) });
    }
  }
  return {
    mode: p.mode,
    params: p,
    population: { peers: pop.n, supernodes: pop.supernodes.length, sharedFiles: pop.fileIds.length, leafCapacity: pop.leafCapacity },
    search: searchStats(records),
    windows,
    load: { queries: loadStats(load.queries), leaves: loadStats(load.leaves) },
    descriptorsSent: { ...net.sentByKind },
    virtualMs: Math.round(net.clock.now),
    events: net.clock.fired,
    skippedSearches: skipped,
    extra: runner.extra(),
    ...(runner.details ? { dht: runner.details() } : {}),
    ...(p.mode === 'supernode' && p.controlPlane ? { controlPlane: simulateControlPlane(p, pop, stream('control-plane')) } : {}),
  };
}

function makeRunner(ctx: SimContext): ModeRunner {
  switch (ctx.p.mode) {
    case 'supernode':
    case 'flood':
      return new OverlayRunner(ctx);
    case 'central':
      return new CentralRunner(ctx);
    case 'dht':
      return new DhtRunner(ctx);
  }
}

/** Every peer alternates Pareto sessions (heavy tail) and exponential absences of the same mean. */
function scheduleChurn(ctx: SimContext, runner: ModeRunner, random: () => number): void {
  const meanMs = MS_PER_MINUTE / ctx.p.churn;
  const { clock } = ctx.net;
  const online = (i: number): void => {
    clock.schedule(pareto(meanMs, ctx.p.sessionParetoAlpha, random), () => {
      runner.depart(i);
      clock.schedule(exponential(meanMs, random), () => {
        runner.arrive(i);
        online(i);
      });
    });
  };
  for (let i = 0; i < ctx.pop.n; i++) online(i);
}
