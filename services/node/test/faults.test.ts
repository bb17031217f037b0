// The test-only fault switch: zone lists, the loopback check, and the admin
// path absent unless SUPERPEER_FAULT_INJECTION is on.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Supernode } from '../../core/supernode.js';
import { Faults, isLoopback, parseZones } from '../faults.js';
import type { SuperpeerNode } from '../node.js';
import { startNode, stopAll, until } from './nodes.js';

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

  test('a link cut by the switch is refused while cut and re-forms after the heal, route tables already exchanged', async () => {
    const a = await startNode({ id: 'cut-a', role: 'supernode', zone: 'za' });
    const b = await startNode({ id: 'cut-b', role: 'supernode', zone: 'zb', seeds: [a.grpcAddress] });
    nodes.push(a, b);
    const links = (x: SuperpeerNode) => (x.core as Supernode).neighbourList().length;
    // QRP tables travel once the first interval passed: a re-link must cope with them.
    const tables = (x: SuperpeerNode) => (x.core as unknown as { neighbourTables: Map<string, unknown> }).neighbourTables.size;
    await until(() => links(a) === 1 && links(b) === 1 && tables(b) === 1, 10_000, 'linked, tables exchanged');
    a.faults.set(['zb']);
    b.faults.set(['za']);
    await until(() => links(a) === 0 && links(b) === 0, 5_000, 'cut');
    a.faults.set([]);
    b.faults.set([]);
    await until(() => links(a) === 1 && links(b) === 1, 5_000, 're-linked after the heal');
  });
});
