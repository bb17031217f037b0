import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reliabilityOf, RELIABILITY_HISTORY } from '../reliability.js';
import { participationScore } from '../score.js';

const s = (graceful: boolean) => ({ startedAtMs: 0, endedAtMs: 1, graceful });

test('reliability: no history 1, crashes lower it, only recent sessions count', () => {
  assert.equal(reliabilityOf([]), 1);
  assert.equal(reliabilityOf([s(false)]), 0.5);
  assert.equal(reliabilityOf([s(true), s(true), s(true)]), 1);
  assert.ok(Math.abs(reliabilityOf([...Array(9).fill(s(true)), s(false)]) - 10 / 11) < 1e-9);
  const old = [...Array(5).fill(s(false)), ...Array(RELIABILITY_HISTORY).fill(s(true))];
  assert.equal(reliabilityOf(old), 1, 'crashes older than the history are forgotten');
});

test('a crashing node scores lower than the same node that stops gracefully', () => {
  const base = { uptimeMs: 3_600_000, cpuCores: 2, memoryBytes: 2 ** 30, uploadBandwidthBps: 1e7, firewalled: false, filesShared: 10, bytesUploaded: 0, hitsServed: 0 };
  const good = participationScore({ ...base, reliability: reliabilityOf([s(true), s(true)]) }).score;
  const bad = participationScore({ ...base, reliability: reliabilityOf([s(false), s(false)]) }).score;
  assert.ok(good - bad >= 9, `${good} vs ${bad}`);
});
