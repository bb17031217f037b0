import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefficientOfVariation } from '../balance.js';
import { seededRandom } from '../random.js';
import {
  candidateRank,
  chooseUplinks,
  preferredMove,
  rankCandidates,
  shouldRehome,
  type Candidate,
} from '../selection.js';

function sn(id: string, extra: Partial<Candidate> = {}): Candidate {
  return { id, score: 50, zone: 'a', leaves: 0, leafCapacity: 64, ...extra };
}

test('rank: free capacity, score and RTT each improve a candidate', () => {
  const base = sn('x', { leaves: 32, rttMs: 10 });
  assert.ok(candidateRank({ ...base, leaves: 10 }) > candidateRank(base));
  assert.ok(candidateRank({ ...base, score: 90 }) > candidateRank(base));
  assert.ok(candidateRank({ ...base, rttMs: 1 }) > candidateRank(base));
});

test('rankCandidates puts the own zone first and drops full supernodes', () => {
  const ranked = rankCandidates(
    [sn('far', { zone: 'b', score: 100 }), sn('near', { score: 10 }), sn('full', { leaves: 64 })],
    { zone: 'a' },
  );
  assert.deepEqual(ranked.map((c) => c.id), ['near', 'far']);
});

test('chooseUplinks picks distinct supernodes, own zone first, skipping excluded and full ones', () => {
  const candidates = [sn('a1'), sn('a2', { leaves: 64 }), sn('a3'), sn('b1', { zone: 'b' }), sn('b2', { zone: 'b' })];
  const random = seededRandom(1);
  for (let i = 0; i < 50; i++) {
    const up = chooseUplinks({ candidates, self: { zone: 'a' }, count: 2, exclude: ['a3'], random });
    assert.equal(up.length, 2);
    assert.equal(up[0].id, 'a1'); // the only same-zone one with room
    assert.ok(['b1', 'b2'].includes(up[1].id));
  }
});

test('chooseUplinks returns fewer when not enough candidates, none when all are full', () => {
  const random = seededRandom(2);
  assert.equal(chooseUplinks({ candidates: [sn('a')], self: { zone: 'a' }, random }).length, 1);
  assert.equal(chooseUplinks({ candidates: [sn('a', { leaves: 64 })], self: { zone: 'a' }, random }).length, 0);
});

test('power of two choices: of the two sampled, the freer one wins', () => {
  const candidates = [sn('busy', { leaves: 60 }), sn('idle', { leaves: 0 })];
  for (let seed = 0; seed < 20; seed++) {
    const [up] = chooseUplinks({ candidates, self: { zone: 'a' }, count: 1, random: seededRandom(seed) });
    assert.equal(up.id, 'idle');
  }
});

test('statistical spread: 1000 leaves over 20 equal supernodes, two uplinks each', () => {
  const random = seededRandom(42);
  const sns = Array.from({ length: 20 }, (_, i) => sn(`s${i}`, { leafCapacity: 200 }));
  for (let leaf = 0; leaf < 1000; leaf++) {
    for (const up of chooseUplinks({ candidates: sns, self: { zone: 'a' }, count: 2, random })) up.leaves++;
  }
  const loads = sns.map((s) => s.leaves);
  assert.equal(loads.reduce((a, b) => a + b, 0), 2000);
  const cv = coefficientOfVariation(loads);
  assert.ok(cv < 0.05, `CV ${cv.toFixed(3)} of ${loads.join(',')}`);
});

test('statistical spread beats uniform random choice', () => {
  const cvOf = (pick: (c: Candidate[], r: () => number) => Candidate): number => {
    const random = seededRandom(7);
    const sns = Array.from({ length: 20 }, (_, i) => sn(`s${i}`, { leafCapacity: 10_000 }));
    for (let leaf = 0; leaf < 1000; leaf++) pick(sns, random).leaves++;
    return coefficientOfVariation(sns.map((s) => s.leaves));
  };
  const twoChoices = cvOf((c, r) => chooseUplinks({ candidates: c, self: { zone: 'a' }, count: 1, random: r })[0]);
  const uniform = cvOf((c, r) => c[Math.floor(r() * c.length)]);
  assert.ok(twoChoices < uniform / 2, `two choices ${twoChoices} vs uniform ${uniform}`);
});

test('shouldRehome: a dropped uplink triggers re-homing at once', () => {
  const candidates = [sn('a1'), sn('a2'), sn('a3')];
  assert.equal(shouldRehome({ uplinks: ['a1', 'a2'], candidates, self: { zone: 'a' } }), false);
  assert.equal(shouldRehome({ uplinks: ['a1', 'gone'], candidates, self: { zone: 'a' } }), true);
  assert.equal(shouldRehome({ uplinks: ['a1'], candidates, self: { zone: 'a' } }), true);
});

test('shouldRehome / preferredMove: move back home when own-zone capacity frees', () => {
  const full = [sn('a1', { leaves: 64 }), sn('b1', { zone: 'b' }), sn('b2', { zone: 'b' })];
  const input = { uplinks: ['b1', 'b2'], self: { zone: 'a' } };
  assert.equal(shouldRehome({ ...input, candidates: full }), false);
  assert.equal(preferredMove({ ...input, candidates: full, random: seededRandom(3) }), null);

  // a1 now has room (but a nearly full a2 is not a target: it would refill at once).
  const freed = [sn('a1', { leaves: 10 }), sn('a2', { leaves: 60 }), sn('b1', { zone: 'b', leaves: 50 }), sn('b2', { zone: 'b' })];
  assert.equal(shouldRehome({ ...input, candidates: freed }), true);
  for (let seed = 0; seed < 10; seed++) {
    // the worse-ranked cross-zone uplink (b1, busier) moves.
    assert.deepEqual(preferredMove({ ...input, candidates: freed, random: seededRandom(seed) }), { from: 'b1', to: 'a1' });
  }
});

test('no move when already home', () => {
  const candidates = [sn('a1'), sn('a2'), sn('a3')];
  assert.equal(preferredMove({ uplinks: ['a1', 'a2'], candidates, self: { zone: 'a' }, random: seededRandom(1) }), null);
});
