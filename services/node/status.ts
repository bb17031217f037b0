// One node's state as the Status call reports it.
import { Leaf } from '../core/leaf.js';
import { Supernode } from '../core/supernode.js';
import { peerToWire } from './codec.js';
import type { StatusResponse } from './generated/superpeer/v1/StatusResponse.js';
import type { SuperpeerNode } from './node.js';

export function statusOf(node: SuperpeerNode): StatusResponse {
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
  return {
    node: peerToWire({ ...node.info(), score: core.self.score }),
    mode: node.config.mode,
    uptime_ms: Date.now() - node.startedAt,
    uplinks: (leaf?.uplinkList() ?? []).map((u) => ({ node_id: u.peer.nodeId, grpc_address: u.peer.grpcAddress, zone: u.peer.zone })),
    neighbours: (sn?.neighbourList() ?? []).map((n) => ({ node_id: n.peer.nodeId, grpc_address: n.peer.grpcAddress, zone: n.peer.zone })),
    leaves: (sn?.leafList() ?? []).map((l) => ({
      node_id: l.peer.nodeId,
      zone: l.peer.zone,
      files: l.files,
      firewalled: l.peer.firewalled,
      grpc_address: l.peer.grpcAddress,
    })),
    files: (node.shares?.files() ?? []).map((f) => ({ sha256: f.sha256, name: f.name, size: f.size })),
    indexed_files: sn?.index.size ?? 0,
    counters,
  };
}
