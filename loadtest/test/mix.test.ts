import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MIX, parseMix, pickOp } from '../lib/mix.js';

test('the default mix: 60% search, 20% locate, 15% status, 5% download', () => {
  const mix = parseMix(DEFAULT_MIX);
  assert.deepEqual(mix.map((e) => e.op), ['search', 'locate', 'status', 'download']);
  assert.equal(pickOp(mix, 0), 'search');
  assert.equal(pickOp(mix, 0.5999), 'search');
  assert.equal(pickOp(mix, 0.6), 'locate');
  assert.equal(pickOp(mix, 0.85), 'status');
  assert.equal(pickOp(mix, 0.96), 'download');
  assert.equal(pickOp(mix, 0.99999), 'download');
});

test('zero weights drop an operation; bad mixes are rejected', () => {
  assert.deepEqual(parseMix('search=1,download=0'), [{ op: 'search', upTo: 1 }]);
  assert.throws(() => parseMix('search=1,upload=1'), /unknown operation/);
  assert.throws(() => parseMix('search=-1'), /weight/);
  assert.throws(() => parseMix('search=x'), /weight/);
  assert.throws(() => parseMix('search=1,search=2'), /twice/);
  assert.throws(() => parseMix('search=0'), /zero/);
});
