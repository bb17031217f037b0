// One node's state as the Status call reports it, one page at a time: the
// lists that grow with the node (attached leaves, shared files) are paged so
// every answer stays under the message cap.
import { Leaf } from '../core/leaf.js';
import { Supernode } from '../core/supernode.js';
import { peerToWire } from './codec.js';
import type { LeafEntry } from './generated/superpeer/v1/LeafEntry.js';
import type { SharedFile } from './generated/superpeer/v1/SharedFile.js';
import type { StatusResponse } from './generated/superpeer/v1/StatusResponse.js';
import { ANSWER_PART_BYTES } from './limits.js';
import type { SuperpeerNode } from './node.js';
import { crawlTotals } from './crawl-totals.js';
import { embeddedSize, wireSize } from './wire-size.js';

export interface StatusPage {
  leavesOffset?: number;
  filesOffset?: number;
}

export function statusOf(node: SuperpeerNode, page: StatusPage = {}, budgetBytes = ANSWER_PART_BYTES): StatusResponse {
  const core = node.core;
  const sn = core instanceof Supernode ? core : undefined;
  const leaf = core instanceof Leaf ? core : undefined;
  const counters = Object.entries(core.tableSizes()).map(([name, value]) => ({ name: `table_${name}`, value }));
  if (sn) {
    counters.push({ name: 'index_tokens', value: sn.index.tokenCount });
    counters.push({ name: 'index_bytes', value: sn.index.bytes });
  }
  if (node.dht) {
    const c = node.dht.chord;
    counters.push({ name: 'chord_id', value: c.self.id });
    counters.push({ name: 'chord_successor_id', value: c.successor.id });
    counters.push({ name: 'chord_predecessor_id', value: c.predecessor?.id ?? -1 });
    counters.push({ name: 'chord_records', value: c.store.size });
    counters.push({ name: 'chord_providers', value: c.recordCount });
    counters.push({ name: 'chord_messages_sent', value: node.dht.sent });
  }
  if (node.rehomeMs.length > 0) {
    counters.push({ name: 'rehome_last_ms', value: node.rehomeMs[node.rehomeMs.length - 1] });
    counters.push({ name: 'rehomes', value: node.rehomeMs.length });
  }
  const crawled = crawlTotals(node);
  counters.push({ name: 'crawl_dialled', value: crawled.dialled });
  counters.push({ name: 'crawl_unvouched', value: crawled.mismatched + crawled.badAddresses });
  counters.push({ name: 'dial_clients', value: node.dialer.size });
  const allLeaves = sn?.leafList() ?? [];
  const allFiles = node.shares?.files() ?? [];
  const head: StatusResponse = {
    node: peerToWire({ ...node.info(), score: core.self.score }),
    mode: node.config.mode,
    uptime_ms: Date.now() - node.startedAt,
    uplinks: (leaf?.uplinkList() ?? []).map((u) => ({ node_id: u.peer.nodeId, grpc_address: u.peer.grpcAddress, zone: u.peer.zone })),
    neighbours: (sn?.neighbourList() ?? []).map((n) => ({ node_id: n.peer.nodeId, grpc_address: n.peer.grpcAddress, zone: n.peer.zone })),
    indexed_files: sn?.index.size ?? 0,
    counters,
    total_leaves: allLeaves.length,
    total_files: allFiles.length,
  };
  // Offsets and the flag at their widest, so the page never outgrows its estimate.
  let room = budgetBytes - wireSize('superpeer.v1.StatusResponse', { ...head, next_leaves_offset: 2 ** 32 - 1, next_files_offset: 2 ** 32 - 1, more: true });
  const fill = <T extends object>(type: string, all: T[], from: number, out: T[]): number => {
    let i = Math.min(from, all.length);
    for (; i < all.length; i++) {
      const size = embeddedSize(wireSize(type, all[i]));
      if (size > room) break;
      room -= size;
      out.push(all[i]);
    }
    return i;
  };
  const leaves: LeafEntry[] = [];
  const files: SharedFile[] = [];
  const leafEntries = allLeaves.map((l) => ({ node_id: l.peer.nodeId, zone: l.peer.zone, files: l.files, firewalled: l.peer.firewalled, grpc_address: l.peer.grpcAddress }));
  const nextLeaves = fill('superpeer.v1.LeafEntry', leafEntries, page.leavesOffset ?? 0, leaves);
  const fileEntries = allFiles.map((f) => ({ sha256: f.sha256, name: f.name, size: f.size }));
  const nextFiles = fill('superpeer.v1.SharedFile', fileEntries, page.filesOffset ?? 0, files);
  return {
    ...head,
    leaves,
    files,
    next_leaves_offset: nextLeaves,
    next_files_offset: nextFiles,
    more: nextLeaves < allLeaves.length || nextFiles < allFiles.length,
  };
}
