// `superpeer bench`: a local cluster under open-loop search load, measured
// against the floors of this machine in the same run (services/bench).
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import { DEFAULT_BENCH, runBench, type BenchOptions } from '../../bench/harness.js';
import { sweepSvg, textReport } from '../../bench/report.js';
import { measureLeafRss } from '../../bench/leaf-rss.js';

/** Files the leaf shares in `bench --leaf-rss` (as in the micro-benchmarks' leaf). */
const LEAF_RSS_FILES = 200;

interface BenchFlags {
  supernodes: number;
  peers: number;
  filesPerPeer: number;
  zones: number;
  ttl: number;
  rates: number[];
  durationS: number;
  sweep?: string;
  json?: boolean;
  plot?: string;
  nodesPerProcess: number;
  seed: number;
  maxResults: number;
  timeoutMs: number;
  p95BoundMs: number;
  micro: boolean;
  compare: boolean;
  idle: boolean;
  dht: number;
  dhtKeys: number;
  dhtLookups: number;
  leafRss?: boolean;
}

function int(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in ${min}..${max}`);
    return n;
  };
}

function rates(v: string): number[] {
  const out = v.split(',').map((x) => Number(x.trim()));
  if (out.length === 0 || out.some((x) => !Number.isFinite(x) || x <= 0 || x > 100_000)) throw new InvalidArgumentError('expected rates like 50,100,200');
  return out;
}

/** "supernodes=4,8,16" → [4, 8, 16]; only supernodes can be swept. */
export function parseSweep(v: string): number[] {
  const m = /^supernodes=([\d,\s]+)$/.exec(v.trim());
  if (!m) throw new CliError('--sweep takes supernodes=N,N,... (e.g. supernodes=4,8,16,32,64)', 2);
  return m[1].split(',').map((x) => int(1, 1_000)(x.trim()));
}

export function register(program: Command): void {
  const d = DEFAULT_BENCH;
  program
    .command('bench')
    .description('start a local cluster, drive open-loop searches, and report latency, success, recall, messages, CPU and memory against the floors measured in the same run')
    .option('--supernodes <n>', 'supernodes', int(1, 1_000), d.supernodes)
    .option('--peers <n>', 'leaves', int(1, 10_000), d.peers)
    .option('--files-per-peer <n>', 'files each peer shares', int(1, 10_000), d.filesPerPeer)
    .option('--zones <n>', 'zones', int(1, 26), d.zones)
    .option('--ttl <n>', 'search TTL', int(1, 7), d.ttl)
    .option('--rates <list>', 'search arrival rates per second, comma-separated', rates, d.rates)
    .option('--duration-s <s>', 'seconds of load per rate', int(1, 3_600), d.durationS)
    .option('--sweep <spec>', 'also sweep the overlay size: supernodes=4,8,16,32,64')
    .option('--nodes-per-process <k>', 'nodes sharing one OS process (RSS is then per process)', int(1, 1_000), d.nodesPerProcess)
    .option('--seed <n>', 'seed of the cluster and the workload', int(0, 2 ** 32 - 1), d.seed)
    .option('--max-results <n>', 'max_results of each search', int(1, 1_000), d.maxResults)
    .option('--timeout-ms <ms>', 'timeout_ms of each search', int(50, 60_000), d.timeoutMs)
    .option('--p95-bound-ms <ms>', 'knee: first-hit p95 bound', int(1, 60_000), d.p95BoundMs)
    .option('--no-micro', 'skip the per-supernode micro-benchmarks')
    .option('--no-compare', 'skip the central and flood runs on the same plan')
    .option('--no-idle', 'skip the idle 4 + 100 cluster (CPU per leaf and supernode, Redis commands/s)')
    .option('--dht <n>', 'also compare exact-hash lookups with js-libp2p kad-dht at N nodes (needs make bench-peers)', int(0, 1_000), d.dhtNodes)
    .option('--dht-keys <n>', 'keys provided in the DHT', int(1, 100_000), d.dhtKeys)
    .option('--dht-lookups <n>', 'lookups on each side', int(1, 100_000), d.dhtLookups)
    .option('--json', 'print the report as JSON')
    .option('--plot <file.svg>', 'write the sweep plot (with --sweep)')
    .option('--leaf-rss', `only a leaf's RSS (${LEAF_RSS_FILES} files): through tsx, compiled, and compiled with the leaf memory flags`)
    .action(async (f: BenchFlags) => {
      if (f.leafRss) {
        const r = await measureLeafRss({ files: LEAF_RSS_FILES, log: (m) => process.stderr.write(`${m}\n`) });
        const lines = r.variants.map((v) => `${v.name}: ${v.rssMiB ?? `n/a (${v.error})`} MiB RSS, heap used ${v.heapUsedMiB ?? 'n/a'} MiB\n  ${v.command}`);
        process.stdout.write(f.json ? `${JSON.stringify(r, null, 2)}\n` : `${lines.join('\n')}\n`);
        return;
      }
      const o: BenchOptions = {
        ...d,
        supernodes: f.supernodes, peers: f.peers, filesPerPeer: f.filesPerPeer, zones: f.zones, ttl: f.ttl, rates: f.rates, durationS: f.durationS,
        seed: f.seed, nodesPerProcess: f.nodesPerProcess, maxResults: f.maxResults, timeoutMs: f.timeoutMs, p95BoundMs: f.p95BoundMs,
        sweepSupernodes: f.sweep ? parseSweep(f.sweep) : undefined, micro: f.micro, compare: f.compare, idle: f.idle, dhtNodes: f.dht, dhtKeys: f.dhtKeys, dhtLookups: f.dhtLookups,
        log: (m) => process.stderr.write(`${m}\n`),
      };
      if (f.plot && !o.sweepSupernodes) throw new CliError('--plot needs --sweep', 2);
      const report = await runBench(o);
      if (f.plot) writeFileSync(f.plot, sweepSvg(report));
      process.stdout.write(f.json ? `${JSON.stringify(report, null, 2)}\n` : textReport(report));
    });
}
