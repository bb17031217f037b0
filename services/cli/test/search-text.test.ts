import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchTally, searchHitJson, searchHitLine } from '../render/search-text.js';
import { SEARCH_RESULTS } from './fixtures.js';

test('a hit line shows name, size, hash, source, address or firewalled, hops, zone and path', () => {
  assert.equal(
    searchHitLine(SEARCH_RESULTS[2], 3),
    '  3.  blue-river-live.mp3  5.0 MiB  bbbbbbbbbbbb…  leaf-4 @ 127.0.0.1:7004  hops 2  zone-b  via sn-2 → sn-1 → sn-0  15 ms',
  );
  assert.match(searchHitLine(SEARCH_RESULTS[1], 2), /leaf-3 @ firewalled {2}hops 1/);
});

test('the JSON line is the SearchResult in proto3 JSON, servent ID in hex', () => {
  const j = searchHitJson(SEARCH_RESULTS[1]);
  assert.deepEqual(j, {
    name: 'blue-river.txt', size: 1536, sha256: 'a'.repeat(64), nodeId: 'leaf-3', httpAddress: '', firewalled: true,
    hops: 1, zone: 'zone-b', path: ['sn-2', 'sn-0'], serventId: '02'.repeat(16), elapsedMs: 9,
  });
});

test('summary: results, distinct sources, hops histogram, first hit and total', () => {
  const t = new SearchTally();
  assert.equal(t.summary(812.4), 'no results · total 812 ms');
  t.add(SEARCH_RESULTS[2], 40.2);
  t.add(SEARCH_RESULTS[0], 50);
  t.add(SEARCH_RESULTS[0], 60);
  assert.equal(t.summary(100), '3 results from 2 sources · hops 0:2 2:1 · first hit 40 ms · total 100 ms');
});
