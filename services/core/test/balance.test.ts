import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { coefficientOfVariation, jainFairness } from '../balance.js';

const close = (a: number, b: number, eps = 1e-9): void => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('coefficientOfVariation: known values and degenerate inputs', () => {
  assert.equal(coefficientOfVariation([]), 0);
  assert.equal(coefficientOfVariation([0, 0, 0]), 0);
  assert.equal(coefficientOfVariation([5, 5, 5, 5]), 0);
  // mean 5, population stddev 2 (the textbook 2,4,4,4,5,5,7,9 example)
  close(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9]), 0.4);
  // one node carries everything among n: stddev/mean = sqrt(n-1)
  close(coefficientOfVariation([10, 0, 0, 0]), Math.sqrt(3));
});

test('jainFairness: known values and degenerate inputs', () => {
  assert.equal(jainFairness([]), 1);
  assert.equal(jainFairness([0, 0]), 1);
  close(jainFairness([3, 3, 3]), 1);
  close(jainFairness([10, 0, 0, 0]), 0.25);
  close(jainFairness([1, 2, 3]), 36 / (3 * 14));
});

test('properties: scale invariant, Jain in [1/n, 1], Jain = 1/(1+CV²)', () => {
  const loads = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 });
  fc.assert(fc.property(loads, fc.integer({ min: 1, max: 100 }), (xs, k) => {
    const scaled = xs.map((x) => x * k);
    close(coefficientOfVariation(scaled), coefficientOfVariation(xs), 1e-6);
    const j = jainFairness(xs);
    assert.ok(j <= 1 + 1e-12 && j >= 1 / xs.length - 1e-12);
    if (xs.some((x) => x > 0)) close(j, 1 / (1 + coefficientOfVariation(xs) ** 2), 1e-9);
  }));
});
