// `superpeer topology`: the overlay as crawled by the target node, shown as
// text, JSON, Graphviz DOT, or an SVG picture written to a file.
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import { exitUsageOnError, intOption, targetOption } from '../cli-options.js';
import { connectClient, deadlineIn, EXIT_USAGE, grpcErrorToCliError } from '../grpc-client.js';
import { mergeTopologyParts } from '../../node/topology-parts.js';
import { topologyFromResponse, topologyJson, type TopologyGraph } from '../render/topology-model.js';
import { paintFor } from '../render/colour.js';
import { topologyText } from '../render/topology-text.js';
import { topologyDot } from '../render/topology-dot.js';
import { topologySvg } from '../render/topology-svg.js';
import type { TopologyResponse__Output } from '../../node/generated/superpeer/v1/TopologyResponse.js';

/** The node crawls over Status calls; a big local cluster takes a few seconds. */
export const DEFAULT_TOPOLOGY_TIMEOUT_MS = 30_000;
const MAX_CRAWL_NODES = 1_000_000;

/** The crawl arrives as a stream of parts (each under the node's message cap), merged here. */
export async function fetchTopology(target: string, maxNodes = 0, timeoutMs = DEFAULT_TOPOLOGY_TIMEOUT_MS): Promise<TopologyGraph> {
  const client = connectClient(target);
  try {
    const parts = await new Promise<TopologyResponse__Output[]>((resolve, reject) => {
      const got: TopologyResponse__Output[] = [];
      const call = client.Topology({ max_nodes: maxNodes }, { deadline: deadlineIn(timeoutMs) });
      call.on('data', (p: TopologyResponse__Output) => got.push(p));
      call.on('error', (err) => reject(grpcErrorToCliError(err, target, 'topology')));
      call.on('end', () => resolve(got));
    });
    return topologyFromResponse(mergeTopologyParts(parts));
  } finally {
    client.close();
  }
}

interface TopologyFlags {
  target: string;
  json?: boolean;
  dot?: boolean;
  svg?: string;
  maxNodes: number;
  timeoutMs: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('topology')
    .description('the overlay as crawled from a node: supernode graph, leaves per supernode, balance and locality')
    .addOption(targetOption('gRPC address of the node that crawls'))
    .option('--json', 'print {"nodes": [...], "links": [...]}')
    .option('--dot', 'print Graphviz DOT')
    .option('--svg <file>', 'write an SVG picture to FILE', (v: string) => {
      if (!v.trim()) throw new InvalidArgumentError('expected a file name');
      return v;
    })
    .option('--max-nodes <n>', 'crawl bound (0 = node default)', intOption(0, MAX_CRAWL_NODES), 0)
    .option('--timeout-ms <ms>', 'call deadline', intOption(1, 600_000), DEFAULT_TOPOLOGY_TIMEOUT_MS)
    .action(async (o: TopologyFlags) => {
      const chosen = [o.json, o.dot, o.svg !== undefined].filter(Boolean).length;
      if (chosen > 1) throw new CliError('choose one of --json, --dot, --svg FILE', EXIT_USAGE);
      const g = await fetchTopology(o.target, o.maxNodes, o.timeoutMs);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(topologyJson(g))}\n`);
      } else if (o.dot) {
        process.stdout.write(topologyDot(g));
      } else if (o.svg !== undefined) {
        try {
          writeFileSync(o.svg, topologySvg(g));
        } catch (err) {
          throw new CliError(`cannot write ${o.svg}: ${(err as Error).message}`);
        }
        const sn = g.nodes.filter((n) => n.role === 'supernode').length;
        process.stdout.write(`wrote ${o.svg}: ${sn} supernodes, ${g.nodes.length - sn} leaves, ${g.links.length} links\n`);
      } else {
        process.stdout.write(`${topologyText(g, o.target, paintFor(process.stdout))}\n`);
      }
    });
  exitUsageOnError(cmd);
}
