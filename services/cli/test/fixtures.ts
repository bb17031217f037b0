// Canned Client-service answers for the CLI's tests: a small overlay of three
// supernodes in two zones and six leaves (one firewalled, one cross-zone, one orphan).
import type { SearchResult__Output as SearchResult } from '../../node/generated/superpeer/v1/SearchResult.js';
import type { StatusResponse__Output as StatusResponse } from '../../node/generated/superpeer/v1/StatusResponse.js';
import type { TopologyResponse__Output as TopologyResponse } from '../../node/generated/superpeer/v1/TopologyResponse.js';

const sha = (c: string): string => c.repeat(64);

export const SEARCH_RESULTS: SearchResult[] = [
  {
    name: 'blue-river.txt', size: 1536, sha256: sha('a'), node_id: 'leaf-0', http_address: '127.0.0.1:7001',
    firewalled: false, hops: 0, zone: 'zone-a', path: ['sn-0'], servent_id: '01'.repeat(16), elapsed_ms: 3,
  },
  {
    name: 'blue-river.txt', size: 1536, sha256: sha('a'), node_id: 'leaf-3', http_address: '',
    firewalled: true, hops: 1, zone: 'zone-b', path: ['sn-2', 'sn-0'], servent_id: '02'.repeat(16), elapsed_ms: 9,
  },
  {
    name: 'blue-river-live.mp3', size: 5 * 1024 * 1024, sha256: sha('b'), node_id: 'leaf-4', http_address: '127.0.0.1:7004',
    firewalled: false, hops: 2, zone: 'zone-b', path: ['sn-2', 'sn-1', 'sn-0'], servent_id: '03'.repeat(16), elapsed_ms: 15,
  },
];

// Through a function so fields the proto gains later default here, not in every literal.
const leafEntry = (e: { node_id: string; zone: string; files: number; firewalled: boolean }) => ({ grpc_address: '', ...e });

export const STATUS: StatusResponse = {
  node: {
    node_id: 'sn-0', servent_id: 'ab'.repeat(16), grpc_address: '127.0.0.1:6346', http_address: '127.0.0.1:6347',
    zone: 'zone-a', firewalled: false, score: 0.8125, role: 'supernode', leaf_capacity: 64, leaves: 3,
  },
  mode: 'supernode',
  uptime_ms: 3_723_000,
  uplinks: [],
  neighbours: [
    { node_id: 'sn-1', grpc_address: '127.0.0.1:6356', zone: 'zone-a' },
    { node_id: 'sn-2', grpc_address: '127.0.0.1:6366', zone: 'zone-b' },
  ],
  leaves: [
    leafEntry({ node_id: 'leaf-0', zone: 'zone-a', files: 20, firewalled: false }),
    leafEntry({ node_id: 'leaf-1', zone: 'zone-a', files: 7, firewalled: true }),
  ],
  files: [],
  indexed_files: 27,
  counters: [{ name: 'queries_handled', value: 42 }, { name: 'duplicates_dropped', value: 3 }],
  total_leaves: 2,
  total_files: 0,
  next_leaves_offset: 2,
  next_files_offset: 0,
  more: false,
};

const node = (
  id: string, role: string, zone: string, uplinks: string[] = [], firewalled = false, leaves = 0,
): TopologyResponse['nodes'][number] => ({
  node_id: id, role, zone, grpc_address: `127.0.0.1:${6000 + id.length}`, http_address: firewalled ? '' : '127.0.0.1:7000', firewalled, uplinks,
  files: [{ name: `${id}.txt`, size: 10, sha256: sha('c') }], score: role === 'supernode' ? 0.9 : 0.2, leaves,
});

export const TOPOLOGY: TopologyResponse = {
  nodes: [
    node('sn-0', 'supernode', 'zone-a', [], false, 2),
    node('sn-1', 'supernode', 'zone-a', [], false, 2),
    node('sn-2', 'supernode', 'zone-b', [], false, 2),
    node('leaf-0', 'leaf', 'zone-a', ['sn-0', 'sn-1']),
    node('leaf-1', 'leaf', 'zone-a', ['sn-1', 'sn-0'], true),
    node('leaf-2', 'leaf', 'zone-b', ['sn-2', 'sn-0']),
    node('leaf-3', 'leaf', 'zone-b', ['sn-2'], true),
    node('leaf-4', 'leaf', 'zone-b', ['sn-1']),
    node('leaf-<&>', 'leaf', '', []),
  ],
  links: [
    { source: 'sn-0', target: 'sn-1', kind: 'link' },
    { source: 'sn-1', target: 'sn-0', kind: 'link' }, // the same link seen from the other end
    { source: 'sn-1', target: 'sn-2', kind: 'link' },
    { source: 'sn-2', target: 'sn-0', kind: 'link' },
    { source: 'leaf-0', target: 'sn-0', kind: 'uplink' },
  ],
};
