import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topologyText } from '../render/topology-text.js';
import { topologyFromResponse } from '../render/topology-model.js';
import { TOPOLOGY } from './fixtures.js';

test('text: header counts, supernode table, leaves per supernode, balance', () => {
  const text = topologyText(topologyFromResponse(TOPOLOGY), '127.0.0.1:6346');
  assert.match(text, /^overlay seen from 127\.0\.0\.1:6346: 3 supernodes, 6 leaves \(2 firewalled\), 3 zones, 3 supernode links/);
  assert.match(text, /sn-0\s+zone-a\s+0\.900\s+3\s+sn-1, sn-2/);
  assert.match(text, /sn-2 \[zone-b\] 2: leaf-2 leaf-3\*/);
  assert.match(text, /sn-1 \[zone-a\] 2: leaf-1\* leaf-4~/);
  assert.match(text, /no uplink 1: leaf-<&>/);
  assert.match(text, /leaves per supernode: min 2, mean 2\.7, max 3 · CV 0\.177 · Jain 0\.970/);
  assert.match(text, /same-zone uplinks: 75\.0% \(6\/8\)/);
});

test('text: an empty crawl says so', () => {
  const text = topologyText({ nodes: [], links: [] });
  assert.match(text, /0 supernodes, 0 leaves/);
  assert.match(text, /no supernodes/);
});
