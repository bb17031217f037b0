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

test('--json is the StatusResponse as plain JSON, bytes as hex', async () => {
  const r = await runCli(['status', '--target', node.target, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { node: { node_id: string; servent_id: string; score: number }; uptime_ms: number; leaves: unknown[] };
  assert.equal(s.node.node_id, 'sn-0');
  assert.equal(s.node.servent_id, 'ab'.repeat(16));
  assert.equal(s.uptime_ms, 3_723_000);
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
