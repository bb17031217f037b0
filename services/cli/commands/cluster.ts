// `superpeer cluster up`: a whole overlay on this machine until SIGINT/SIGTERM.
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { LocalCluster, type UpOptions } from '../../node/cluster/local-cluster.js';
import { LOCAL_SCRAPE_INTERVAL_S, PrometheusSd, prometheusCommand } from '../../node/cluster/prometheus-sd.js';
import { CliError } from '../cli-error.js';
import { exitUsageOnError, intOption } from '../cli-options.js';
import { nodeJson } from '../render/topology-model.js';

export interface ClusterFlags {
  supernodes: number;
  peers: number;
  zones: number;
  seed: number;
  filesPerPeer: number;
  firewalled: number;
  shareDir?: string;
  nodesPerProcess: number;
  mode: 'supernode' | 'flood' | 'central' | 'dht';
  redis?: string;
  json?: boolean;
  prometheusConfig?: string;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError(`expected a fraction between 0 and 1, got ${JSON.stringify(value)}`, 2);
  return n;
}

export function register(program: Command): void {
  const cluster = program.command('cluster').description('run a local overlay of real processes on loopback addresses');
  const up = cluster
    .command('up')
    .description('start supernodes and leaves, each its own process on its own 127.x address; stop with Ctrl-C')
    .option('--supernodes <n>', 'supernodes (0 = elect them from the peers)', intOption(0, 10_000), 4)
    .option('--peers <n>', 'leaves (ordinary peers)', intOption(0, 100_000), 40)
    .option('--zones <n>', 'zones the nodes are spread over', intOption(1, 26), 2)
    .option('--seed <n>', 'seed of content, zones and links', intOption(0, 2 ** 31 - 1), 1)
    .option('--files-per-peer <n>', 'generated files per node', intOption(0, 10_000), 20)
    .option('--firewalled <fraction>', 'fraction of leaves behind a firewall (served by Push)', fraction, 0)
    .option('--share-dir <dir>', 'share this folder from every leaf instead of generated files')
    .option('--nodes-per-process <k>', 'pack k nodes into one process for large runs', intOption(1, 10_000), 1)
    .addOption(new Option('--mode <mode>', 'search mode').choices(['supernode', 'flood', 'central', 'dht']).default('supernode'))
    .option('--redis <url>', 'registry Redis URL (default: a private redis-server on a free port)')
    .option('--prometheus-config <file>', 'write a Prometheus scrape configuration for this cluster')
    .option('--json', 'print one JSON line describing every node once all are attached')
    .action(async (flags: ClusterFlags) => {
      await clusterUp(flags);
    });
  exitUsageOnError(up);
}

export async function clusterUp(flags: ClusterFlags): Promise<void> {
  const bar =
    process.stderr.isTTY && !flags.json
      ? new cliProgress.SingleBar({ stream: process.stderr, format: 'starting nodes [{bar}] {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
  const options: UpOptions = {
    supernodes: flags.supernodes,
    peers: flags.peers,
    zones: flags.zones,
    seed: flags.seed,
    filesPerPeer: flags.filesPerPeer,
    firewalled: flags.firewalled,
    shareDir: flags.shareDir,
    nodesPerProcess: flags.nodesPerProcess,
    mode: flags.mode,
    redis: flags.redis,
    onProgress: (done, total) => {
      if (done === 0) bar?.start(total, 0);
      else bar?.update(done);
    },
  };
  if (flags.supernodes + flags.peers === 0) throw new CliError('a cluster needs at least one node', 2);
  let cluster: LocalCluster;
  try {
    cluster = await LocalCluster.up(options);
  } catch (err) {
    bar?.stop();
    throw new CliError(`cluster did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  bar?.stop();
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const unwatch = flags.prometheusConfig ? await watchForPrometheus(cluster, flags.prometheusConfig) : undefined;
  const attached = await Promise.race([cluster.waitAttached(60_000), stop.then(() => false)]);
  const description = await cluster.describe();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ nodes: description.nodes.map(nodeJson) })}\n`);
  } else {
    const sn = description.nodes.filter((n) => n.role === 'supernode');
    process.stdout.write(
      `superpeer cluster: ${sn.length} supernodes, ${description.nodes.length - sn.length} leaves in ${flags.zones} zones${attached ? '' : ' (not every leaf attached yet)'}\n`,
    );
    for (const n of sn) process.stdout.write(`  ${n.id.padEnd(10)} ${n.zone.padEnd(8)} grpc ${n.grpc}  http ${n.http}\n`);
    const leaf = description.nodes.find((n) => n.role !== 'supernode');
    if (leaf) process.stdout.write(`try: superpeer search --target ${leaf.grpc} <terms>   ·   superpeer topology --target ${sn[0]?.grpc ?? leaf.grpc}\n`);
    process.stdout.write('Ctrl-C stops the cluster.\n');
  }
  await stop;
  await unwatch?.();
  process.stderr.write('stopping cluster…\n');
  await cluster.down();
}

/**
 * Writes the Prometheus config and keeps its targets file following the
 * cluster: on every change LocalCluster reports, and a role refresh every
 * scrape interval (elections change roles without a kill). Returns the stopper.
 */
async function watchForPrometheus(cluster: LocalCluster, configFile: string): Promise<() => Promise<void>> {
  let sd: PrometheusSd;
  try {
    sd = await PrometheusSd.create(configFile);
  } catch (err) {
    await cluster.down();
    throw new CliError(`cannot write ${configFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const write = (): void => {
    sd.update(cluster.nodes.values()).catch((err: unknown) => process.stderr.write(`superpeer: cannot write ${sd.targetsFile}: ${String(err)}\n`));
  };
  write();
  const unsubscribe = cluster.onChange(write);
  const timer = setInterval(() => void cluster.statuses(), LOCAL_SCRAPE_INTERVAL_S * 1000);
  timer.unref();
  await sd.flush();
  process.stderr.write(
    `prometheus config: ${sd.configFile} (targets ${sd.targetsFile})\n` +
      `run: ${prometheusCommand(sd.configFile, '/tmp/superpeer-prometheus')}\n`,
  );
  return async () => {
    clearInterval(timer);
    unsubscribe();
    await sd.flush();
  };
}
