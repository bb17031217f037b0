import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KIND_POPULAR, KIND_RARE, POPULAR_TERMS, RARE_TERMS, parseTermList, pickIndex, termSampler, zipfCdf,
} from '../lib/terms.js';

/** mulberry32: a small seeded generator, so frequencies are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DRAWS = 100_000;

test('zipfCdf rises to exactly 1 with weights 1/k^s', () => {
  const cdf = zipfCdf(4, 1);
  const h = 1 + 1 / 2 + 1 / 3 + 1 / 4;
  assert.equal(cdf.length, 4);
  assert.ok(Math.abs(cdf[0] - 1 / h) < 1e-12);
  assert.ok(Math.abs(cdf[1] - cdf[0] - 1 / 2 / h) < 1e-12);
  assert.equal(cdf[3], 1);
  assert.deepEqual(zipfCdf(4, 0), [0.25, 0.5, 0.75, 1]);
  assert.throws(() => zipfCdf(0, 1), RangeError);
  assert.throws(() => zipfCdf(3, -1), RangeError);
});

test('pickIndex maps the unit interval onto ranks', () => {
  const cdf = [0.5, 0.75, 1];
  assert.equal(pickIndex(cdf, 0), 0);
  assert.equal(pickIndex(cdf, 0.4999), 0);
  assert.equal(pickIndex(cdf, 0.5), 1);
  assert.equal(pickIndex(cdf, 0.9999), 2);
});

test('popular terms are drawn in Zipf proportions: rank 1 about twice rank 2, ten times rank 10', () => {
  const sampler = termSampler({ rareFraction: 0 });
  const random = seeded(42);
  const counts = new Map<string, number>();
  for (let i = 0; i < DRAWS; i++) {
    const { term, kind } = sampler.pick(random);
    assert.equal(kind, KIND_POPULAR);
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  const first = counts.get(POPULAR_TERMS[0]) ?? 0;
  const second = counts.get(POPULAR_TERMS[1]) ?? 0;
  const tenth = counts.get(POPULAR_TERMS[9]) ?? 0;
  assert.ok(Math.abs(first / second - 2) < 0.15, `rank1/rank2 = ${first / second}`);
  assert.ok(Math.abs(first / tenth - 10) < 1.5, `rank1/rank10 = ${first / tenth}`);
  assert.ok(counts.size > POPULAR_TERMS.length * 0.9, 'the tail is drawn too');
});

test('rareFraction sets the share of rare terms, drawn only from the rare list', () => {
  const sampler = termSampler({ rareFraction: 0.2 });
  const random = seeded(7);
  let rare = 0;
  for (let i = 0; i < DRAWS; i++) {
    const { term, kind } = sampler.pick(random);
    if (kind === KIND_RARE) {
      rare += 1;
      assert.ok(RARE_TERMS.includes(term));
    } else assert.ok(POPULAR_TERMS.includes(term));
  }
  assert.ok(Math.abs(rare / DRAWS - 0.2) < 0.01, `rare share ${rare / DRAWS}`);
});

test('custom lists: only rare terms, or only popular ones, still sample; both empty is an error', () => {
  const onlyRare = termSampler({ popular: [], rare: ['x', 'y'] });
  const random = seeded(1);
  for (let i = 0; i < 100; i++) assert.equal(onlyRare.pick(random).kind, KIND_RARE);
  const onlyPopular = termSampler({ popular: ['a'], rare: [], rareFraction: 0.5 });
  for (let i = 0; i < 100; i++) assert.deepEqual(onlyPopular.pick(random), { term: 'a', kind: KIND_POPULAR });
  assert.throws(() => termSampler({ popular: [], rare: [] }), RangeError);
  assert.throws(() => termSampler({ rareFraction: 1.5 }), RangeError);
});

test('parseTermList: commas or lines, trimmed, comments and duplicates dropped, order kept', () => {
  assert.deepEqual(parseTermList(' mp3, live remix ,\n# a comment\n\nmp3\njazz\r\n'), ['mp3', 'live remix', 'jazz']);
  assert.deepEqual(parseTermList(''), []);
});

test('the built-in lists are distinct single words', () => {
  const all = [...POPULAR_TERMS, ...RARE_TERMS];
  assert.equal(new Set(all).size, all.length);
  for (const t of all) assert.match(t, /^[a-z0-9]+$/);
});
