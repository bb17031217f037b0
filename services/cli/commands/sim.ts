// `superpeer sim`: run the discrete-event simulator (services/sim) on the
// same core state machines the nodes run, per search mode, and print a
// report (text or JSON), optionally the SVG plots of a parameter sweep, or
// simulate an explicit topology (e.g. one a real cluster reported).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import { SIM_MODES, type SimMode, type SimParams } from '../../sim/params.js';
import { simulate, type SimReport } from '../../sim/simulate.js';
import type { ChordHops } from '../../sim/chord-hops.js';
import { runSweep, sweepPlots } from '../../sim/sweep.js';
import { simulateTopology, type SimTopology, type TopologyQuery } from '../../sim/topology.js';

interface SimFlags {
  mode: string;
  peers: number;
  supernodes: number;
  queries: number;
  ttl: number;
  zones: number;
  churn: number;
  controlPlane: boolean;
  seed: number;
  json?: boolean;
  plot?: string;
  sweep?: string;
  chordSizes: string;
  topology?: string;
  qrp: boolean;
  neighbourhoods: boolean;
  dynamic: boolean;
  progress?: boolean;
  replicas: number;
  virtualNodes: number;
  proximity: boolean;
  failFraction: number;
  files?: number;
}

function int(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in ${min}..${max}`);
    return n;
  };
}

function num(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

function fraction(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('expected a fraction in [0, 1)');
  return n;
}

function list(v: string): number[] {
  return v.split(',').map((x) => int(1, 100_000_000)(x.trim()));
}

function textReport(r: SimReport): string {
  const s = r.search;
  const lines = [
    `mode ${r.mode}: ${r.population.peers} peers, ${r.population.supernodes} supernodes, ${r.population.sharedFiles} shared files, ${s.queries} searches (${r.skippedSearches} skipped, ${s.abandoned} abandoned)`,
    `  success ${(s.successRate * 100).toFixed(1)}%  results/query ${s.resultsPerQuery}  mean hops ${s.meanHops}  hops ${JSON.stringify(s.hopsHistogram)}`,
    `  messages/query ${s.messagesPerQuery} (query ${s.queryMessagesPerQuery}, hits ${s.hitMessagesPerQuery})${s.floorPerQuery ? `  floor ${s.floorPerQuery} supernodes holding a match, query messages ${s.queryMessagesToFloor}× floor` : ''}`,
    `  first hit ms mean ${s.firstHitMsMean} p50 ${s.firstHitMsP50} p95 ${s.firstHitMsP95}  same-zone results ${(s.sameZoneShare * 100).toFixed(1)}%`,
    `  load queries: max ${r.load.queries.max} CV ${r.load.queries.cv} Jain ${r.load.queries.jain} over ${r.load.queries.nodes}; leaves: max ${r.load.leaves.max} CV ${r.load.leaves.cv} Jain ${r.load.leaves.jain}`,
  ];
  if (r.dht) {
    const d = r.dht as { keyLoad: { maxOverMean: number; cv: number }; primaryKeyLoad: { maxOverMean: number; cv: number }; maintenanceMessagesPerMemberPerSecond: number; ringMessagesPerMemberPerSecond: number; republishMessagesPerMemberPerSecond: number; failFraction: number; lookupSuccess: number; recordsWithLiveReplica: number; lookupLocality: { sameZoneCrossingsMean: number; sameZoneLatencyMsP50: number; crossingsMean: number; latencyMsP50: number } };
    lines.push(`  key load (records held, r replicas): max/mean ${d.keyLoad.maxOverMean} CV ${d.keyLoad.cv}; as primary: max/mean ${d.primaryKeyLoad.maxOverMean} CV ${d.primaryKeyLoad.cv}`);
    lines.push(`  maintenance ${d.maintenanceMessagesPerMemberPerSecond} msgs/member/s (ring ${d.ringMessagesPerMemberPerSecond}, republish ${d.republishMessagesPerMemberPerSecond})`);
    const l = d.lookupLocality;
    lines.push(`  lookups: zone crossings ${l.crossingsMean}, p50 ${l.latencyMsP50} ms; same-zone: crossings ${l.sameZoneCrossingsMean}, p50 ${l.sameZoneLatencyMsP50} ms`);
    if (d.failFraction > 0) lines.push(`  after ${d.failFraction * 100} % failed at once: lookup success ${(d.lookupSuccess * 100).toFixed(2)} %, records with a live replica ${(d.recordsWithLiveReplica * 100).toFixed(2)} %`);
  }
  for (const w of r.windows) lines.push(`  window ${w.fromMs}-${w.toMs} ms: success ${(w.successRate * 100).toFixed(1)}% messages/query ${w.messagesPerQuery} mean hops ${w.meanHops}`);
  return lines.join('\n') + '\n';
}

/** Lookups per ring size in the Chord check: enough for a mean within ±1 % at N = 100,000. */
const CHORD_LOOKUPS = 4_000;

function chordTable(rows: readonly ChordHops[]): string {
  const lines = ['| N | lookups | mean hops | ½·log2 N | difference |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.nodes.toLocaleString('en-US')} | ${r.lookups} | ${r.meanHops.toFixed(2)} | ${r.predicted.toFixed(2)} | ${(r.relativeError * 100).toFixed(1)} %${r.wrong ? ` (${r.wrong} wrong)` : ''} |`);
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('simulate the overlay at scale on a virtual clock, driving the same core code as the nodes')
    .option('--mode <mode>', `${SIM_MODES.join('|')}|all`, 'supernode')
    .option('--peers <n>', 'peers', int(2, 10_000_000), 10_000)
    .option('--supernodes <n>', 'supernodes to elect', int(1, 1_000_000), 100)
    .option('--queries <n>', 'searches', int(1, 10_000_000), 1_000)
    .option('--ttl <n>', 'query TTL (dynamic querying cap)', int(1, 7), 4)
    .option('--zones <n>', 'zones', int(1, 1000), 3)
    .option('--churn <rate>', 'departures per peer per minute (0 = none)', num, 0)
    .option('--no-control-plane', 'skip the control-plane model (registry operations, control messages, balance)')
    .option('--seed <n>', 'seed', int(0, 2 ** 32 - 1), 1)
    .option('--no-qrp', 'supernode mode without query routing tables')
    .option('--no-neighbourhoods', 'supernode mode with last-hop QRP only (no routing past the last hop)')
    .option('--no-dynamic', 'supernode mode without dynamic querying')
    .option('--json', 'print the report(s) as JSON (byte-identical for a seed)')
    .option('--plot <dir>', 'run the sweep and write SVG plots to DIR')
    .option('--sweep <sizes>', 'peer counts for the N sweep, comma-separated (default 1000,4000,16000)')
    .option('--chord-sizes <sizes>', 'ring sizes for the Chord lookup-hops check in the sweep, comma-separated', '1000,10000,100000')
    .option('--topology <file>', 'simulate an explicit topology: JSON {supernodes, links, leaves, queries}')
    .option('--files <n>', 'distinct files in the catalogue (default peers/10)', int(1, 100_000_000))
    .option('--replicas <r>', 'dht: replicas of every provider record', int(1, 16), 3)
    .option('--virtual-nodes <v>', 'dht: ring positions per member', int(1, 64), 8)
    .option('--no-proximity', 'dht: zone-blind fingers')
    .option('--fail-fraction <f>', 'dht: fraction of members failing at once before the searches (no repair)', fraction, 0)
    .option('--progress', 'show a progress bar on stderr even when it is not a terminal')
    .action((o: SimFlags) => {
      const started = Date.now();
      if (o.topology) {
        let doc: SimTopology & { queries: TopologyQuery[] };
        try {
          doc = JSON.parse(readFileSync(o.topology, 'utf8')) as SimTopology & { queries: TopologyQuery[] };
        } catch (err) {
          throw new CliError(`cannot read topology ${o.topology}: ${(err as Error).message}`);
        }
        const r = simulateTopology(doc, doc.queries ?? [], { seed: o.seed, qrp: o.qrp, neighbourhoods: o.neighbourhoods, dynamic: false });
        process.stdout.write(`${JSON.stringify(r, null, o.json ? undefined : 2)}\n`);
        return;
      }
      if (o.mode !== 'all' && !SIM_MODES.includes(o.mode as SimMode)) throw new CliError(`unknown mode ${o.mode}`, 2);
      const modes = o.mode === 'all' ? [...SIM_MODES] : [o.mode as SimMode];
      const base: Partial<SimParams> = { peers: o.peers, supernodes: o.supernodes, queries: o.queries, ttl: o.ttl, zones: o.zones, churn: o.churn, seed: o.seed, qrp: o.qrp, neighbourhoods: o.neighbourhoods, dynamic: o.dynamic, replicas: o.replicas, virtualNodes: o.virtualNodes, proximity: o.proximity, failFraction: o.failFraction, controlPlane: o.controlPlane, ...(o.files ? { files: o.files } : {}) };
      const bar = process.stderr.isTTY || o.progress ? new SingleBar({ stream: process.stderr, format: '{mode} [{bar}] {value}/{total} {phase}' }) : undefined;
      if (o.plot) {
        const sizes = o.sweep ? list(o.sweep) : [1_000, 4_000, 16_000];
        const chordSizes = list(o.chordSizes);
        bar?.start(modes.length * (5 + sizes.length) + chordSizes.length, 0, { mode: 'sweep', phase: '' });
        const sweep = runSweep({
          base: { ...base, queries: Math.min(o.queries, 1_000) },
          modes,
          ttls: [1, 2, 3, 4, 5],
          sizes,
          peersPerSupernode: Math.max(2, Math.round(o.peers / o.supernodes)),
          chordSizes,
          chordLookups: CHORD_LOOKUPS,
          onRun: (label) => bar?.increment(1, { phase: label }),
        });
        bar?.stop();
        mkdirSync(o.plot, { recursive: true });
        for (const [name, svg] of Object.entries(sweepPlots(sweep))) writeFileSync(join(o.plot, name), svg);
        writeFileSync(join(o.plot, 'sweep.json'), `${JSON.stringify(sweep, null, 2)}\n`);
        process.stderr.write(`wrote ${Object.keys(sweepPlots(sweep)).length} plots and sweep.json to ${o.plot}\n`);
        if (!o.json) process.stdout.write(chordTable(sweep.chord));
      }
      const reports: SimReport[] = [];
      const phases: string[] = [];
      for (const mode of modes) {
        bar?.start(o.queries, 0, { mode, phase: 'build' });
        const t0 = Date.now();
        let builtAt = t0;
        reports.push(
          simulate({ ...base, mode }, (phase, done) => {
            if (phase === 'build' && done === 1) builtAt = Date.now();
            bar?.update(phase === 'build' ? 0 : done, { mode, phase });
          }),
        );
        phases.push(`${mode}: build ${((builtAt - t0) / 1000).toFixed(1)} s, search ${((Date.now() - builtAt) / 1000).toFixed(1)} s`);
        bar?.stop();
        if (!o.json) process.stdout.write(textReport(reports[reports.length - 1]));
      }
      if (o.json) process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports)}\n`);
      const peakMiB = Math.round(process.resourceUsage().maxRSS / 1024);
      const cpu = process.cpuUsage();
      process.stderr.write(`${phases.join('; ')}\n`);
      process.stderr.write(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, peak memory (max RSS) ${peakMiB} MiB\n`);
    });
}
