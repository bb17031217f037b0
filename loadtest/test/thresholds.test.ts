import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig } from '../lib/env.js';
import { NOT_EMPTY, companionSeeds, parseMetricKey, searchThresholds, searchesPopular } from '../lib/thresholds.js';

test('a searching scenario bounds popular latency and hit rate, each with a companion that fails on no samples', () => {
  const config = readConfig({ MIN_HIT_RATE: '0.95' });
  const t = searchThresholds(config, true);
  assert.deepEqual(t.checks, ['rate>0.99']);
  assert.deepEqual(t['search_hit_rate{kind:popular}'], ['rate>=0.95']);
  assert.deepEqual(t['search_first_result{kind:popular}'], ['p(95)<500', 'p(99)<1500']);
  assert.deepEqual(t['searches_ok{kind:popular}'], [NOT_EMPTY]);
  const rareOnly = searchThresholds(config, false);
  assert.equal(rareOnly['search_hit_rate{kind:popular}'], undefined, 'a rare term may find nothing: no hit-rate bound');
  assert.deepEqual(rareOnly['searches_ok{kind:rare}'], [NOT_EMPTY]);
});

test('searchesPopular: not with RARE_FRACTION=1 or an empty popular list', () => {
  assert.equal(searchesPopular(readConfig({}), { popular: null }), true);
  assert.equal(searchesPopular(readConfig({ RARE_FRACTION: '1' }), { popular: null }), false);
  assert.equal(searchesPopular(readConfig({}), { popular: [] }), false);
});

test('companionSeeds: the metric and tags of every count>0 threshold, so setup() can keep their sinks non-empty', () => {
  const seeds = companionSeeds({
    checks: ['rate>0.99'],
    'searches_ok{kind:popular}': [NOT_EMPTY],
    'ops_ok{op:status}': [{ threshold: NOT_EMPTY }],
    grpc_streams_msgs_received: [NOT_EMPTY],
  });
  assert.deepEqual(seeds, [
    { metric: 'searches_ok', tags: { kind: 'popular' } },
    { metric: 'ops_ok', tags: { op: 'status' } },
    { metric: 'grpc_streams_msgs_received', tags: {} },
  ]);
  assert.deepEqual(parseMetricKey('search_first_result{kind:popular, step:2}'), { metric: 'search_first_result', tags: { kind: 'popular', step: '2' } });
  assert.throws(() => parseMetricKey('x{kind}'), /tag:value/);
});
