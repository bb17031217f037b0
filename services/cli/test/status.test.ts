// End to end: `superpeer status` against a real grpc-js Client service on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort, runCli, startFakeNode, type FakeNode } from './fake-client-node.js';

let node: FakeNode;
before(async () => { node = await startFakeNode(); });
after(async () => { await node.close(); });

test('human status: role, score, zone, uptime, neighbours, leaves, counters', async () => {
  const r = await runCli(['status', '--target', node.target]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^node\s+sn-0 \(supernode\)$/m);
  assert.match(r.stdout, /^zone\s+zone-a$/m);
  assert.match(r.stdout, /^score\s+0\.813$/m);
  assert.match(r.stdout, /^uptime\s+1h 2m 3s$/m);
  assert.match(r.stdout, /^indexed files\s+27$/m);
  assert.match(r.stdout, /^neighbours \(2\)$/m);
  assert.match(r.stdout, /^ {2}sn-2\s+127\.0\.0\.1:6366\s+zone-b$/m);
  assert.match(r.stdout, /^leaves \(2 of 64, 1 firewalled\)$/m);
  assert.match(r.stdout, /^ {2}leaf-1\s+zone-a\s+7 files\s+firewalled$/m);
  assert.match(r.stdout, /^ {2}queries_handled\s+42$/m);
});

test('--json is the StatusResponse in proto3 JSON: lowerCamelCase names, servent ID in hex', async () => {
  const r = await runCli(['status', '--target', node.target, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { node: { nodeId: string; serventId: string; score: number; leafCapacity: number }; uptimeMs: number; leaves: Array<{ grpcAddress: string }> };
  assert.equal(s.node.nodeId, 'sn-0');
  assert.equal(s.node.serventId, 'ab'.repeat(16));
  assert.equal(s.node.leafCapacity, 64);
  assert.equal(s.uptimeMs, 3_723_000);
  assert.ok(!/"[a-z]+_[a-z_]+":/.test(r.stdout), 'no snake_case names');
  assert.equal(s.leaves.length, 2);
});

test('bad or unreachable target: one line, no stack trace', async () => {
  const bad = await runCli(['status', '--target', '127.0.0.1:99999']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /port must be 1-65535/);
  const port = await closedPort();
  const down = await runCli(['status', '--target', `127.0.0.1:${port}`]);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^superpeer: cannot reach 127\.0\.0\.1:\d+ \(UNAVAILABLE\)/);
  assert.doesNotMatch(down.stderr, /\n\s+at /);
});
