// The control-plane policies the node and the simulator share: alternatives,
// shedding, link choice, candidate reporting, rebalancing, timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternativesFingerprint, chooseAlternatives, type Alternative } from '../alternatives.js';
import { shedCount } from '../shedding.js';
import { chooseLinks } from '../link-choice.js';
import { bestCandidates } from '../candidates.js';
import { chooseRebalance, REBALANCE_PROBABILITY } from '../rebalance.js';
import { backoffMs, jittered } from '../control-timing.js';
import { seededRandom } from '../random.js';

const alt = (id: string, zone: string, leaves: number, leafCapacity = 64): Alternative => ({ id, address: `${id}:6346`, zone, score: 50, leaves, leafCapacity });

test('alternatives: room first, own zone first, then least loaded; bounded', () => {
  const list = chooseAlternatives([alt('full', 'a', 64), alt('b1', 'b', 1), alt('a2', 'a', 30), alt('a1', 'a', 10), alt('b2', 'b', 0)], 'a', 4);
  assert.deepEqual(list.map((a) => a.id), ['a1', 'a2', 'b2', 'b1']);
  assert.deepEqual(chooseAlternatives([alt('x', 'a', 1)], 'a', 0), []);
});

test('alternatives fingerprint: membership apart from loads, loads in steps', () => {
  const f = alternativesFingerprint([alt('a', 'z', 10), alt('b', 'z', 20)]);
  assert.deepEqual(alternativesFingerprint([alt('b', 'z', 21), alt('a', 'z', 10)]), f, 'one leaf more is not news');
  const moved = alternativesFingerprint([alt('a', 'z', 10), alt('b', 'z', 40)]);
  assert.equal(moved.membership, f.membership);
  assert.notEqual(moved.loads, f.loads);
  assert.notEqual(alternativesFingerprint([alt('a', 'z', 10)]).membership, f.membership);
});

test('shedding: only far above the mean', () => {
  assert.equal(shedCount(10, [10, 10, 10]), 0);
  assert.equal(shedCount(40, [10, 10, 10]), 40 - (Math.ceil(17.5 * 1.15) + 1));
  assert.equal(shedCount(0, []), 0);
});

test('link choice: the ring successors of its own id, itself excluded', () => {
  const e = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
  assert.deepEqual(chooseLinks('c', e, 3).map((x) => x.id), ['d', 'e', 'a']);
  assert.deepEqual(chooseLinks('e', e, 2).map((x) => x.id), ['a', 'b']);
});

test('candidates: best eligible per zone', () => {
  const l = (id: string, zone: string, score: number, eligible = true) => ({ id, zone, score, eligible, lastChangeMs: 0 });
  const best = bestCandidates([l('a1', 'a', 10), l('a2', 'a', 30), l('a3', 'a', 20), l('fw', 'a', 99, false), l('b1', 'b', 5)], 2);
  assert.deepEqual(best.map((c) => c.id), ['a2', 'a3', 'b1']);
});

test('rebalance: a heavy uplink moves to a light same-zone supernode, only with a real gap', () => {
  const c = (id: string, zone: string, leaves: number) => ({ id, zone, leaves, leafCapacity: 64, score: 50 });
  const known = [c('heavy', 'a', 40), c('mid', 'a', 20), c('light', 'a', 5), c('other', 'b', 0)];
  const input = { uplinks: [known[0], known[1]], known, dialable: new Set(['light', 'other']), self: { zone: 'a' }, random: () => 0 };
  assert.deepEqual(chooseRebalance(input), { from: 'heavy', to: 'light' });
  assert.equal(chooseRebalance({ ...input, random: () => REBALANCE_PROBABILITY + 0.01 }), null, 'only now and then');
  assert.equal(chooseRebalance({ ...input, dialable: new Set(['other']) }), null, 'never across zones to a third zone');
  const tiny = [c('x', 'a', 1), c('y', 'a', 0)];
  assert.equal(chooseRebalance({ uplinks: [tiny[0]], known: tiny, dialable: new Set(['y']), self: { zone: 'a' }, random: () => 0 }), null, 'one leaf apart is even');
});

test('timing: jitter stays within ±20 %, backoff doubles up to its cap', () => {
  const r = seededRandom(7);
  for (let i = 0; i < 1000; i++) {
    const v = jittered(10_000, r);
    assert.ok(v >= 8_000 && v <= 12_000, String(v));
  }
  const mid = () => 0.5;
  assert.deepEqual([0, 1, 2, 3, 10].map((a) => backoffMs(a, 500, 15_000, mid)), [500, 1_000, 2_000, 4_000, 15_000]);
});
