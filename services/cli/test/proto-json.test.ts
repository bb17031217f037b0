import { test } from 'node:test';
import assert from 'node:assert/strict';
import { protoJsonName, toProtoJson } from '../render/proto-json.js';

test('field names follow protobuf JSON: underscores dropped, next letter upper case', () => {
  assert.equal(protoJsonName('node_id'), 'nodeId');
  assert.equal(protoJsonName('next_leaves_offset'), 'nextLeavesOffset');
  assert.equal(protoJsonName('sha256'), 'sha256');
  assert.equal(protoJsonName('zone'), 'zone');
});

test('nested messages and lists are renamed; bytes become hex', () => {
  assert.deepEqual(toProtoJson({ node: { grpc_address: 'a:1', raw_id: Buffer.from([1, 255]) }, leaves: [{ node_id: 'x' }], total_files: 3 }), {
    node: { grpcAddress: 'a:1', rawId: '01ff' },
    leaves: [{ nodeId: 'x' }],
    totalFiles: 3,
  });
});
