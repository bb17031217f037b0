import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TokenBucket } from '../token-bucket.js';

test('a full bucket allows the burst, then the rate', () => {
  let now = 0;
  const b = new TokenBucket({ ratePerS: 10, burst: 5 }, () => now);
  for (let i = 0; i < 5; i++) assert.ok(b.take());
  assert.equal(b.take(), false);
  now += 100; // one token per 100 ms
  assert.ok(b.take());
  assert.equal(b.take(), false);
  now += 10_000;
  assert.equal(b.available(), 5, 'never above the burst');
});

test('rate 0 means unlimited', () => {
  const b = new TokenBucket({ ratePerS: 0, burst: 1 }, () => 0);
  for (let i = 0; i < 1000; i++) assert.ok(b.take());
});

test('a clock stepping back neither refills nor breaks the bucket', () => {
  let now = 1_000;
  const b = new TokenBucket({ ratePerS: 1, burst: 1 }, () => now);
  assert.ok(b.take());
  now = 0;
  assert.equal(b.take(), false);
  now = 1_500;
  assert.equal(b.take(), false, 'the step back is not counted twice');
  now = 2_000;
  assert.ok(b.take());
});

test('property: over any run, admitted <= burst + rate * elapsed', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5_000 }),
      fc.integer({ min: 1, max: 100 }),
      fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
      (rate, burst, gaps) => {
        let now = 0;
        const b = new TokenBucket({ ratePerS: rate, burst }, () => now);
        let admitted = 0;
        for (const g of gaps) {
          now += g;
          if (b.take()) admitted++;
        }
        assert.ok(admitted <= burst + (rate * now) / 1000 + 1e-9);
      },
    ),
    { numRuns: 300, seed: 7 },
  );
});
