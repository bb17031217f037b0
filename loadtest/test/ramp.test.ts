import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationMs, stairStages, stepAt, stepRates } from '../lib/ramp.js';

test('durationMs reads k6 duration strings', () => {
  assert.equal(durationMs('500ms'), 500);
  assert.equal(durationMs('30s'), 30_000);
  assert.equal(durationMs('1m30s'), 90_000);
  assert.equal(durationMs('1h'), 3_600_000);
  assert.throws(() => durationMs('30'), /duration/);
  assert.throws(() => durationMs('1m junk'), /duration/);
});

test('stepRates spreads the rates evenly from start to peak', () => {
  assert.deepEqual(stepRates(10, 50, 5), [10, 20, 30, 40, 50]);
  assert.deepEqual(stepRates(10, 50, 1), [50]);
  assert.throws(() => stepRates(50, 10, 3), RangeError);
  assert.throws(() => stepRates(1, 10, 0), RangeError);
});

test('stairStages ramps then holds each rate, and stepAt finds the step by elapsed time', () => {
  const { stages, steps } = stairStages([10, 20], '5s', '30s');
  assert.deepEqual(stages, [
    { duration: '5s', target: 10 }, { duration: '30s', target: 10 },
    { duration: '5s', target: 20 }, { duration: '30s', target: 20 },
  ]);
  assert.deepEqual(steps, [
    { index: 1, rate: 10, startMs: 0, endMs: 35_000 },
    { index: 2, rate: 20, startMs: 35_000, endMs: 70_000 },
  ]);
  assert.equal(stepAt(steps, 0).index, 1);
  assert.equal(stepAt(steps, 34_999).index, 1);
  assert.equal(stepAt(steps, 35_000).index, 2);
  assert.equal(stepAt(steps, 1e9).index, 2, 'after the end: the last step');
});
