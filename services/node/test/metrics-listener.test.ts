// --metrics-listen: /metrics moves to a listener of its own; the transfer
// port (the one peers reach) no longer serves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode } from './nodes.js';

test('with --metrics-listen, /metrics is on its own address and gone from the HTTP port', async () => {
  const node = await startNode({ id: 'metrics-apart', role: 'supernode', metricsListen: '127.0.0.1:0' });
  try {
    const apart = node.metricsServer!.address;
    const own = await fetch(`http://${apart}/metrics`);
    assert.equal(own.status, 200);
    assert.match(await own.text(), /^superpeer_role\{/m);
    assert.equal((await fetch(`http://${apart}/healthz`)).status, 200);
    assert.equal((await fetch(`http://${apart}/files/${'a'.repeat(64)}`)).status, 404, 'no files on the metrics listener');
    assert.equal((await fetch(`http://${node.httpAddress}/metrics`)).status, 404);
    assert.equal((await fetch(`http://${node.httpAddress}/healthz`)).status, 200, 'probes stay on the HTTP port');
  } finally {
    await node.stop();
  }
});
