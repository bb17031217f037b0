import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeTopology, topologyFromResponse, zoneColour, ZONE_PALETTE, NO_ZONE_COLOUR } from '../render/topology-model.js';
import { TOPOLOGY } from './fixtures.js';

test('links are de-duplicated and every node uplink becomes an uplink link', () => {
  const g = topologyFromResponse(TOPOLOGY);
  const sn = g.links.filter((l) => l.kind === 'link');
  assert.equal(sn.length, 3, 'sn-0/sn-1 reported from both ends counts once');
  const up = g.links.filter((l) => l.kind === 'uplink').map((l) => `${l.source}>${l.target}`).sort();
  assert.deepEqual(up, ['leaf-0>sn-0', 'leaf-0>sn-1', 'leaf-1>sn-0', 'leaf-1>sn-1', 'leaf-2>sn-0', 'leaf-2>sn-2', 'leaf-3>sn-2', 'leaf-4>sn-1']);
  assert.deepEqual(Object.keys(g.nodes[0]).sort(), ['files', 'firewalled', 'grpc', 'http', 'id', 'leaves', 'role', 'score', 'uplinks', 'zone']);
});

test('summary: leaves per supernode, balance, same-zone share, orphans', () => {
  const s = summarizeTopology(topologyFromResponse(TOPOLOGY));
  assert.deepEqual(s.supernodes.map((n) => n.id), ['sn-0', 'sn-1', 'sn-2']);
  assert.deepEqual(Object.fromEntries(s.leafCount), { 'sn-0': 3, 'sn-1': 3, 'sn-2': 2 });
  assert.deepEqual(s.leavesByFirstUplink.get('sn-1')?.map((l) => l.id), ['leaf-1', 'leaf-4']);
  assert.deepEqual(s.orphans.map((l) => l.id), ['leaf-<&>']);
  assert.deepEqual(s.neighbours.get('sn-0'), ['sn-1', 'sn-2']);
  // uplinks: leaf-0 a>a a>a, leaf-1 a>a a>a, leaf-2 b>b b>a, leaf-3 b>b, leaf-4 b>a => 6 of 8 same zone
  assert.equal(s.uplinks, 8);
  assert.equal(s.sameZoneUplinks, 6);
  const mean = 8 / 3;
  const sd = Math.sqrt(((3 - mean) ** 2 * 2 + (2 - mean) ** 2) / 3);
  assert.ok(Math.abs(s.cv - sd / mean) < 1e-9);
  assert.ok(Math.abs(s.jain - 64 / (3 * 22)) < 1e-9);
});

test('zone colours: fixed palette in zone order, grey for no zone', () => {
  const zones = ['', 'zone-a', 'zone-b'];
  assert.equal(zoneColour(zones, 'zone-a'), ZONE_PALETTE[0]);
  assert.equal(zoneColour(zones, 'zone-b'), ZONE_PALETTE[1]);
  assert.equal(zoneColour(zones, ''), NO_ZONE_COLOUR);
});
