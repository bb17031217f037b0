import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpiringMap } from '../expiring-map.js';

test('entries expire after their lifetime', () => {
  let now = 0;
  const m = new ExpiringMap<string, number>({ maxEntries: 10, ttlMs: 100, now: () => now });
  m.set('a', 1);
  now = 99;
  assert.equal(m.get('a'), 1);
  now = 100;
  assert.equal(m.get('a'), undefined);
  assert.equal(m.has('a'), false);
});

test('the size bound evicts the oldest entries first', () => {
  const m = new ExpiringMap<number, number>({ maxEntries: 3, ttlMs: 1e9, now: () => 0 });
  for (let i = 0; i < 10; i++) m.set(i, i);
  assert.equal(m.size, 3);
  assert.equal(m.evicted, 7);
  assert.deepEqual([7, 8, 9].map((k) => m.get(k)), [7, 8, 9]);
  assert.equal(m.get(0), undefined);
});

test('refreshing an entry makes it the newest', () => {
  const m = new ExpiringMap<string, number>({ maxEntries: 2, ttlMs: 1e9, now: () => 0 });
  m.set('a', 1);
  m.set('b', 2);
  m.set('a', 3);
  m.set('c', 4);
  assert.equal(m.get('b'), undefined);
  assert.equal(m.get('a'), 3);
});

test('deleteWhere removes routes through a link', () => {
  const m = new ExpiringMap<string, string>({ maxEntries: 10, ttlMs: 1e9, now: () => 0 });
  m.set('q1', 'L1');
  m.set('q2', 'L2');
  m.set('q3', 'L1');
  assert.equal(m.deleteWhere((v) => v === 'L1'), 2);
  assert.equal(m.size, 1);
});

test('a flood of unique keys never grows past the bound', () => {
  const m = new ExpiringMap<number, true>({ maxEntries: 1000, ttlMs: 60_000, now: () => 0 });
  for (let i = 0; i < 50_000; i++) m.set(i, true);
  assert.equal(m.size, 1000);
});
