// The overlay as seen from one node: a breadth-first crawl over Status calls,
// bounded in nodes, time and concurrency.
import type { StatusResponse, StatusResponse__Output } from './generated/superpeer/v1/StatusResponse.js';
import type { TopologyLink } from './generated/superpeer/v1/TopologyLink.js';
import type { TopologyNode } from './generated/superpeer/v1/TopologyNode.js';
import type { TopologyResponse } from './generated/superpeer/v1/TopologyResponse.js';
import type { SuperpeerNode } from './node.js';
import { statusOf } from './status.js';

export const DEFAULT_CRAWL_NODES = 1_000;
export const MAX_CRAWL_NODES = 10_000;
export const CRAWL_CONCURRENCY = 16;
export const CRAWL_CALL_TIMEOUT_MS = 2_000;

type Status = StatusResponse | StatusResponse__Output;

export async function crawlTopology(node: SuperpeerNode, maxNodes = 0): Promise<TopologyResponse> {
  const limit = Math.min(maxNodes || DEFAULT_CRAWL_NODES, MAX_CRAWL_NODES);
  const seen = new Set<string>([node.grpcAddress]);
  const statuses: Status[] = [statusOf(node)];
  const queue: string[] = [];
  const enqueue = (s: Status) => {
    const next = [...(s.neighbours ?? []), ...(s.uplinks ?? []), ...(s.leaves ?? [])].map((x) => x.grpc_address ?? '');
    for (const a of next) {
      if (a && !seen.has(a) && seen.size < limit) {
        seen.add(a);
        queue.push(a);
      }
    }
  };
  enqueue(statuses[0]);
  const worker = async () => {
    for (let address = queue.shift(); address !== undefined; address = queue.shift()) {
      const s = await statusAt(node, address);
      if (!s) continue;
      statuses.push(s);
      enqueue(s);
    }
  };
  // Workers stop when the queue is empty; a slow branch refills it for the others.
  for (let round = 0; round < 64 && queue.length > 0; round++) {
    await Promise.all(Array.from({ length: CRAWL_CONCURRENCY }, worker));
  }
  return assemble(statuses);
}

function statusAt(node: SuperpeerNode, address: string): Promise<StatusResponse__Output | undefined> {
  const client = node.dialer.clientClient(address);
  return new Promise((resolve) => {
    client.Status({}, { deadline: new Date(Date.now() + CRAWL_CALL_TIMEOUT_MS) }, (err, res) => resolve(err ? undefined : res));
  });
}

function assemble(statuses: Status[]): TopologyResponse {
  const nodes: TopologyNode[] = [];
  const links: TopologyLink[] = [];
  const pairs = new Set<string>();
  const byId = new Map<string, Status>();
  for (const s of statuses) if (s.node?.node_id) byId.set(s.node.node_id, s);
  for (const [id, s] of byId) {
    const n = s.node!;
    nodes.push({
      id,
      role: n.role,
      zone: n.zone,
      grpc: n.grpc_address,
      http: n.http_address,
      firewalled: n.firewalled,
      uplinks: (s.uplinks ?? []).map((u) => u.node_id ?? ''),
      files: s.files ?? [],
      score: n.score,
      leaves: (s.leaves ?? []).length,
    });
    for (const nb of s.neighbours ?? []) {
      const key = [id, nb.node_id].sort().join('\u0000');
      if (pairs.has(key)) continue;
      pairs.add(key);
      links.push({ source: id, target: nb.node_id, kind: 'link' });
    }
    for (const u of s.uplinks ?? []) links.push({ source: id, target: u.node_id, kind: 'uplink' });
  }
  return { nodes, links };
}
