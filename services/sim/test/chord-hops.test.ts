import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureChordHops } from '../chord-hops.js';

test('Chord on 1,000 core ChordNodes: every lookup right, mean hops within 10 % of ½·log2 N', () => {
  const r = measureChordHops(1_000, 2_000, 1);
  assert.equal(r.nodes, 1_000);
  assert.equal(r.wrong, 0);
  assert.equal(r.histogram.reduce((a, b) => a + b, 0), 2_000);
  assert.ok(r.relativeError < 0.1, `mean ${r.meanHops} vs ${r.predicted}`);
});

test('the same seed measures the same hops', () => {
  assert.deepEqual(measureChordHops(200, 300, 5), measureChordHops(200, 300, 5));
});
