// The test-only fault switch: zone lists, the loopback check, and the admin
// path absent unless SUPERPEER_FAULT_INJECTION is on.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Faults, isLoopback, parseZones } from '../faults.js';
import type { SuperpeerNode } from '../node.js';
import { startNode, stopAll } from './nodes.js';

describe('fault injection switch', () => {
  const nodes: SuperpeerNode[] = [];
  after(() => stopAll(nodes));

  test('zone lists parse, blocks() follows set(), onChange fires', () => {
    assert.deepEqual(parseZones(' zone-a, zone-b ,'), ['zone-a', 'zone-b']);
    assert.deepEqual(parseZones(undefined), []);
    assert.throws(() => parseZones('a b'));
    const f = new Faults(['zone-b']);
    let changes = 0;
    f.onChange = () => changes++;
    assert.ok(f.blocks('zone-b') && !f.blocks('zone-a') && !f.blocks(undefined));
    f.set([]);
    assert.ok(!f.blocks('zone-b'));
    assert.equal(changes, 1);
  });

  test('only loopback callers count', () => {
    for (const a of ['127.0.0.1', '127.33.4.5', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(a), a);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '1.2.3.4', '', undefined]) assert.ok(!isLoopback(a), String(a));
  });

  test('/admin/faults does not exist by default and switches zones when enabled', async () => {
    const off = await startNode({ id: 'faults-off', role: 'supernode' });
    const on = await startNode({ id: 'faults-on', role: 'supernode', faultInjection: true, faultBlockZones: 'zone-x' });
    nodes.push(off, on);
    assert.equal((await fetch(`http://${off.httpAddress}/admin/faults?block_zones=zone-a`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`http://${off.httpAddress}/admin/faults`)).status, 404);
    assert.deepEqual(await (await fetch(`http://${on.httpAddress}/admin/faults`)).json(), { blockZones: ['zone-x'] });
    const set = await fetch(`http://${on.httpAddress}/admin/faults?block_zones=zone-b,zone-a`, { method: 'POST' });
    assert.deepEqual(await set.json(), { blockZones: ['zone-a', 'zone-b'] });
    assert.ok(on.faults.blocks('zone-a'));
    assert.equal((await fetch(`http://${on.httpAddress}/admin/faults?block_zones=bad%20zone`, { method: 'POST' })).status, 400);
    assert.equal((await fetch(`http://${on.httpAddress}/admin/faults`, { method: 'DELETE' })).status, 405);
  });
});
