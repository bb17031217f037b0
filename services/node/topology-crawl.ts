// The overlay as seen from one node: a breadth-first crawl over Status calls,
// bounded in nodes, pages per node, time and concurrency, streamed out as it
// goes (topology-parts.ts) so the node holds no more than the calls in flight.
//
// Only addresses the overlay vouches for are dialled: this node's own
// uplinks and neighbours, the neighbours a supernode reports (at most
// MAX_VOUCHED_NEIGHBOURS per answer) and the leaves a supernode reports over
// their Attach streams. A leaf's answer adds no addresses; an answer from a
// node other than the one vouched for (its node ID differs) is dropped; an
// address that is not host:port is never dialled.
import { isSuperpeerError } from '../core/errors.js';
import { checkAddress } from '../core/validate.js';
import type { StatusResponse__Output } from './generated/superpeer/v1/StatusResponse.js';
import type { TopologyResponse } from './generated/superpeer/v1/TopologyResponse.js';
import type { SuperpeerNode } from './node.js';
import { statusOf } from './status.js';
import { crawlTotals } from './crawl-totals.js';
import { collectStatusPages } from './status-pages.js';
import { TopologyParts } from './topology-parts.js';

export const DEFAULT_CRAWL_NODES = 1_000;
export const MAX_CRAWL_NODES = 10_000;
export const CRAWL_CONCURRENCY = 16;
export const CRAWL_CALL_TIMEOUT_MS = 2_000;
/** A crawl stops dialling after this long and answers with what it has. */
export const CRAWL_MAX_MS = 60_000;
/** Neighbours taken from one supernode's answer: the most links a supernode may hold (config max-links). */
export const MAX_VOUCHED_NEIGHBOURS = 256;

interface Visit {
  address: string;
  /** The node ID the voucher gave for this address. */
  id: string;
  role: 'supernode' | 'leaf';
}

export interface CrawlStats {
  nodes: number;
  dialled: number;
  /** Answers from a node other than the one vouched for. */
  mismatched: number;
  /** Addresses refused before dialling: not host:port. */
  badAddresses: number;
  parts: number;
}

export async function crawlTopology(
  node: SuperpeerNode,
  maxNodes: number,
  write: (part: TopologyResponse) => Promise<void>,
  cancelled: () => boolean = () => false,
): Promise<CrawlStats> {
  const limit = Math.min(maxNodes || DEFAULT_CRAWL_NODES, MAX_CRAWL_NODES);
  const deadline = Date.now() + CRAWL_MAX_MS;
  const stats: CrawlStats = { nodes: 0, dialled: 0, mismatched: 0, badAddresses: 0, parts: 0 };
  const out = new TopologyParts(write);
  const seenAddresses = new Set<string>([node.grpcAddress]);
  const seenIds = new Set<string>([node.config.id]);
  const pairs = new Set<string>();
  const queue: Visit[] = [];

  const vouch = (v: Visit) => {
    if (!v.address || seenAddresses.has(v.address) || seenIds.has(v.id) || seenAddresses.size >= limit) return;
    try {
      checkAddress(v.address);
    } catch (err) {
      if (isSuperpeerError(err)) stats.badAddresses++;
      return;
    }
    seenAddresses.add(v.address);
    seenIds.add(v.id);
    queue.push(v);
  };

  // One node at a time into the parts, so a part never outgrows its budget.
  let chain = Promise.resolve();
  const emit = (s: StatusResponse__Output, expanding: boolean) => (chain = chain.then(() => emitOne(s, expanding)));
  const emitOne = async (s: StatusResponse__Output, expanding: boolean) => {
    const n = s.node!;
    stats.nodes++;
    await out.node({
      node_id: n.node_id,
      role: n.role,
      zone: n.zone,
      grpc_address: n.grpc_address,
      http_address: n.http_address,
      firewalled: n.firewalled,
      uplinks: s.uplinks.map((u) => u.node_id),
      files: s.files,
      score: n.score,
      leaves: s.total_leaves || s.leaves.length,
    });
    for (const nb of s.neighbours.slice(0, MAX_VOUCHED_NEIGHBOURS)) {
      const key = [n.node_id, nb.node_id].sort().join('\u0000');
      if (pairs.has(key)) continue;
      pairs.add(key);
      await out.link({ source: n.node_id, target: nb.node_id, kind: 'link' });
    }
    for (const u of s.uplinks) await out.link({ source: n.node_id, target: u.node_id, kind: 'uplink' });
    if (!expanding) return;
    for (const nb of s.neighbours.slice(0, MAX_VOUCHED_NEIGHBOURS)) vouch({ address: nb.grpc_address, id: nb.node_id, role: 'supernode' });
    for (const l of s.leaves) vouch({ address: l.grpc_address, id: l.node_id, role: 'leaf' });
  };

  const own = await collectStatusPages(async (req) => statusOf(node, { leavesOffset: req.leaves_offset, filesOffset: req.files_offset }) as StatusResponse__Output);
  await emit(own, true);
  // A leaf dialled its uplinks itself: they are vouched for.
  for (const u of own.uplinks) vouch({ address: u.grpc_address, id: u.node_id, role: 'supernode' });

  const visit = async (v: Visit) => {
    stats.dialled++;
    const s = await statusAt(node, v.address);
    if (!s?.node) return;
    if (s.node.node_id !== v.id) {
      stats.mismatched++;
      return;
    }
    await emit(s, v.role === 'supernode' && s.node.role === 'supernode');
  };
  await new Promise<void>((resolve) => {
    let inflight = 0;
    const pump = () => {
      while (inflight < CRAWL_CONCURRENCY && queue.length > 0 && !cancelled() && Date.now() < deadline) {
        const v = queue.shift()!;
        inflight++;
        void visit(v)
          .catch(() => undefined)
          .finally(() => {
            inflight--;
            pump();
          });
      }
      if (inflight === 0) resolve();
    };
    pump();
  });
  await chain;
  await out.end();
  stats.parts = out.parts;
  const t = crawlTotals(node);
  t.dialled += stats.dialled;
  t.mismatched += stats.mismatched;
  t.badAddresses += stats.badAddresses;
  if (stats.mismatched + stats.badAddresses > 0) node.metrics.refusals.inc({ reason: 'crawl_unvouched' }, stats.mismatched + stats.badAddresses);
  return stats;
}

/** Every page of one node's Status, on a client of its own (closed after). */
async function statusAt(node: SuperpeerNode, address: string): Promise<StatusResponse__Output | undefined> {
  const client = node.dialer.transientClient(address);
  const deadline = Date.now() + CRAWL_CALL_TIMEOUT_MS;
  try {
    return await collectStatusPages(
      (req) =>
        new Promise((resolve, reject) =>
          client.Status(req, { deadline: new Date(deadline) }, (err, res) => (err || !res ? reject(err ?? new Error('no status')) : resolve(res))),
        ),
    );
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}
