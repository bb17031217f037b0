// `superpeer demo` (what `make demo` runs): a local overlay on this machine,
// real gRPC searches through a leaf, a multi-source download and a download
// from a firewalled leaf through Push, then a summary and a topology picture.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { LocalCluster, type ClusterNode } from '../../node/cluster/local-cluster.js';
import { tokenize } from '../../core/keywords.js';
import { CliError } from '../cli-error.js';
import { intOption } from '../cli-options.js';
import { paintFor } from '../render/colour.js';
import { runGet } from './get.js';
import { runSearch } from './search.js';
import { fetchTopology } from './topology.js';
import { topologySvg } from '../render/topology-svg.js';
import { topologyText } from '../render/topology-text.js';
import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';

interface DemoFlags {
  supernodes: number;
  peers: number;
  zones: number;
  seed: number;
  out: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('start a local overlay, search it, download from it (also through Push), print what happened')
    .option('--supernodes <n>', 'supernodes', intOption(1, 64), 4)
    .option('--peers <n>', 'leaves', intOption(2, 400), 24)
    .option('--zones <n>', 'zones', intOption(1, 8), 2)
    .option('--seed <n>', 'seed', intOption(0, 2 ** 31 - 1), 1)
    .option('--out <dir>', 'where downloads and the topology picture go', '.superpeer/demo')
    .action(async (flags: DemoFlags) => demo(flags));
}

const say = (line = '') => process.stdout.write(`${line}\n`);

async function demo(f: DemoFlags): Promise<void> {
  const started = Date.now();
  say(`superpeer demo — ${f.supernodes} supernodes, ${f.peers} leaves, ${f.zones} zones, 25% of leaves firewalled, seed ${f.seed}`);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'starting nodes [{bar}] {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  const cluster = await LocalCluster.up({
    supernodes: f.supernodes,
    peers: f.peers,
    zones: f.zones,
    seed: f.seed,
    firewalled: 0.25,
    filesPerPeer: 12,
    onProgress: (done, total) => (done === 0 ? bar?.start(total, 0) : bar?.update(done)),
  });
  bar?.stop();
  try {
    if (!(await cluster.waitAttached(60_000))) throw new CliError('leaves did not attach within 60 s');
    const { nodes } = await cluster.describe();
    say(`\n${nodes.length} nodes up, each its own process on its own loopback address; every leaf holds 2 uplinks.`);
    const searcher = nodes.find((n) => n.role === 'leaf' && !n.firewalled)!;
    const topo = await fetchTopology(searcher.grpc);
    say(`\n== topology, crawled from ${searcher.id} ==`);
    say(topologyText(topo, searcher.grpc, paintFor(process.stdout)));

    const holders = fileHolders(nodes);
    const popular = [...holders.values()].sort((a, b) => b.nodes.length - a.nodes.length)[0];
    // For the download: a file big enough for several 256 KiB chunks, on several open peers.
    const openHolders = (h: Holders) => h.nodes.filter((n) => !n.firewalled && n !== searcher).length;
    const multi =
      [...holders.values()].filter((h) => openHolders(h) >= 2).sort((a, b) => b.size - a.size || openHolders(b) - openHolders(a))[0] ?? popular;
    const rare = [...holders.values()].find((h) => h.nodes.length === 1 && !h.nodes[0].firewalled && !h.nodes.includes(searcher));
    const hidden = [...holders.values()].find((h) => h.nodes.every((n) => n.firewalled) && !h.nodes.includes(searcher));
    const searches = [popular, rare].filter((x) => x !== undefined);
    for (const h of searches) {
      const terms = tokenize(h.name).slice(0, 2);
      say(`\n== search "${terms.join(' ')}" through ${searcher.id} (${searcher.grpc}); ${h.nodes.length} node(s) share a match ==`);
      await runSearch({ target: searcher.grpc, terms, maxResults: 20, timeoutMs: 1500, ttl: 4, paint: paintFor(process.stdout) }, say, say);
    }

    await rm(f.out, { recursive: true, force: true });
    await mkdir(f.out, { recursive: true });
    const downloads: string[] = [];
    for (const [label, h] of [
      ['multi-source', multi],
      ['firewalled, through Push', hidden],
    ] as const) {
      if (!h) continue;
      say(`\n== get ${h.name} (${label}); held by ${h.nodes.map((n) => n.id + (n.firewalled ? '*' : '')).join(', ')} ==`);
      const out = path.join(f.out, h.name);
      const report = await runGet(h.sha256, { target: searcher.grpc, out, timeoutMs: 60_000, pushHost: '127.0.0.1' });
      say(`  ${report.bytes} bytes in ${report.durationMs} ms, sha256 verified; bytes by source: ${Object.entries(report.sources).map(([s, b]) => `${s}=${b}`).join(', ')}`);
      downloads.push(out);
    }

    const svg = path.join(f.out, 'topology.svg');
    await writeFile(svg, topologySvg(await fetchTopology(searcher.grpc)));
    say(`\n== summary ==`);
    say(`  searches run: ${searches.length}; downloads verified: ${downloads.length}`);
    for (const d of downloads) say(`  downloaded: ${d}`);
    say(`  topology picture: ${svg}`);
    say(`  took ${((Date.now() - started) / 1000).toFixed(1)} s. Run your own: superpeer cluster up --help`);
  } finally {
    await cluster.down();
  }
}

interface Holders {
  sha256: string;
  name: string;
  size: number;
  nodes: ClusterNode[];
}

function fileHolders(nodes: ClusterNode[]): Map<string, Holders> {
  const m = new Map<string, Holders>();
  for (const n of nodes) {
    for (const file of n.files) {
      const h = m.get(file.sha256) ?? { sha256: file.sha256, name: file.name, size: file.size, nodes: [] };
      h.nodes.push(n);
      m.set(file.sha256, h);
    }
  }
  return m;
}
