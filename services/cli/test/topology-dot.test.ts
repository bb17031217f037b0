import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotId, topologyDot } from '../render/topology-dot.js';
import { topologyFromResponse } from '../render/topology-model.js';
import { TOPOLOGY } from './fixtures.js';

test('DOT: one undirected graph, zone clusters, every node and edge once', () => {
  const dot = topologyDot(topologyFromResponse(TOPOLOGY));
  assert.match(dot, /^graph superpeer \{/);
  assert.ok(dot.trimEnd().endsWith('}'));
  const opens = (dot.match(/\{/g) ?? []).length;
  const closes = (dot.match(/\}/g) ?? []).length;
  assert.equal(opens, closes);
  assert.equal((dot.match(/subgraph "cluster_zone_/g) ?? []).length, 3);
  assert.equal((dot.match(/ -- /g) ?? []).length, 11, '3 supernode links + 8 uplinks');
  assert.match(dot, /"sn-0" -- "sn-1" \[penwidth=2.5/);
  assert.match(dot, /"leaf-2" -- "sn-0" \[penwidth=0.5, color="#999999", style=dashed\]/, 'cross-zone uplink dashed');
  assert.match(dot, /"leaf-3" \[shape=point, width=0.12, style=solid/, 'firewalled leaf hollow');
  assert.match(dot, /"sn-2" \[shape=circle, style=filled/);
});

test('dotId quotes and escapes', () => {
  assert.equal(dotId('a"b\\c\nd'), '"a\\"b\\\\c d"');
});
