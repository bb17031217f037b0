// grpcurl's steps against a real node, through reflection alone: list the
// services, describe health and reflection themselves, check health, and run
// a Search with message types built from the descriptors the node sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SuperpeerNode } from '../node.js';
import type { Supernode } from '../../core/supernode.js';
import { shareDir, startNode, stopAll, until } from './nodes.js';
import { ReflectionClient } from './reflection-client.js';

let node: SuperpeerNode;
let rc: ReflectionClient;

before(async () => {
  node = await startNode({ id: 'r1', role: 'supernode', shareDir: await shareDir({ 'quiet-amber-river.ogg': 'amber river' }) });
  await until(() => (node.core as Supernode).index.size === 1, 15_000, 'own share indexed');
  rc = new ReflectionClient(node.grpcAddress);
});
after(async () => {
  rc.close();
  await stopAll([node]);
});

test('list shows health and reflection beside the superpeer services', async () => {
  assert.deepEqual(await rc.list(), [
    'grpc.health.v1.Health',
    'grpc.reflection.v1.ServerReflection',
    'grpc.reflection.v1alpha.ServerReflection',
    'superpeer.v1.Client',
    'superpeer.v1.Overlay',
  ]);
});

test('describe grpc.health.v1.Health and the reflection service itself', async () => {
  const health = (await rc.describe('grpc.health.v1.Health')).lookupService('grpc.health.v1.Health');
  assert.deepEqual(Object.keys(health.methods).sort(), ['Check', 'List', 'Watch']);
  assert.equal(health.methods.Check.requestType, '.grpc.health.v1.HealthCheckRequest');
  const refl = (await rc.describe('grpc.reflection.v1.ServerReflection')).lookupService('grpc.reflection.v1.ServerReflection');
  assert.ok(refl.methods.ServerReflectionInfo.requestStream && refl.methods.ServerReflectionInfo.responseStream);
  const client = (await rc.describe('superpeer.v1.Client')).lookupService('superpeer.v1.Client');
  for (const m of ['Search', 'Locate', 'Status', 'Topology']) assert.ok(client.methods[m], m);
});

test('health check of the node and of each superpeer service', async () => {
  assert.deepEqual(await rc.unary('grpc.health.v1.Health', 'Check', {}), { status: 'SERVING' });
  assert.deepEqual(await rc.unary('grpc.health.v1.Health', 'Check', { service: 'superpeer.v1.Client' }), { status: 'SERVING' });
  await assert.rejects(rc.unary('grpc.health.v1.Health', 'Check', { service: 'no.such.Service' }), (e: { code: number }) => e.code === 5);
  // A map arrives as its wire form from descriptors: repeated {key, value} entries.
  const { statuses } = (await rc.unary('grpc.health.v1.Health', 'List', {})) as { statuses: Array<{ key: string; value: { status: string } }> };
  assert.deepEqual(statuses.map((e) => e.key).sort(), ['', 'superpeer.v1.Client', 'superpeer.v1.Overlay']);
});

test('a Search with types from reflection finds the shared file', async () => {
  const hits = await rc.serverStream('superpeer.v1.Client', 'Search', { query: 'amber river', timeout_ms: 1_000 });
  assert.equal(hits.length, 1);
  assert.equal(hits[0].name, 'quiet-amber-river.ogg');
  assert.equal(hits[0].node_id, 'r1');
  assert.match(String(hits[0].servent_id), /^[0-9a-f]{32}$/); // hex over gRPC too, not base64 bytes
});

test('servent IDs are hex in Status as well; a malformed one in RequestPush is refused', async () => {
  const status = await rc.unary('superpeer.v1.Client', 'Status', {});
  assert.match(String((status.node as { servent_id: string }).servent_id), /^[0-9a-f]{32}$/);
  const push = { servent_id: 'not-hex', sha256: 'a'.repeat(64), requester_address: '127.0.0.1:9', token: 't'.repeat(32) };
  await assert.rejects(rc.unary('superpeer.v1.Client', 'RequestPush', push), (e: { code: number; details: string }) => e.code === 3 && /servent ID/.test(e.details));
});
