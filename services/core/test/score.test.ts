import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  participationScore,
  SCORE_MAX,
  UPTIME_SATURATION_MS,
  type ParticipationInput,
} from '../score.js';

const GIB = 1024 ** 3;

const zero: ParticipationInput = {
  uptimeMs: 0,
  cpuCores: 0,
  memoryBytes: 0,
  uploadBandwidthBps: 0,
  firewalled: false,
  filesShared: 0,
  bytesUploaded: 0,
  hitsServed: 0,
  reliability: 0,
};

const strong: ParticipationInput = {
  uptimeMs: 10 * UPTIME_SATURATION_MS,
  cpuCores: 64,
  memoryBytes: 256 * GIB,
  uploadBandwidthBps: 10e9,
  firewalled: false,
  filesShared: 1e6,
  bytesUploaded: 1e15,
  hitsServed: 1e9,
  reliability: 1,
};

test('weights sum to 100', () => {
  assert.equal(SCORE_MAX, 100);
});

test('nothing scores 0 and everything saturated scores 100', () => {
  assert.equal(participationScore(zero).score, 0);
  assert.equal(participationScore(strong).score, 100);
});

test('firewalled peers are scored but never eligible', () => {
  const s = participationScore({ ...strong, firewalled: true });
  assert.equal(s.eligible, false);
  assert.equal(s.score, 100);
  assert.equal(participationScore(strong).eligible, true);
});

test('garbage measurements count as zero, not NaN', () => {
  const s = participationScore({ ...zero, uptimeMs: Number.NaN, cpuCores: -3, memoryBytes: Infinity, reliability: 7 });
  assert.ok(Number.isFinite(s.score));
  assert.equal(s.components.cpu, 0);
  assert.equal(s.components.memory, 0);
  assert.equal(s.components.reliability, 1);
});

test('uptime is log-scaled: the first hour counts more than the next', () => {
  const h = 3_600_000;
  const at = (ms: number): number => participationScore({ ...zero, uptimeMs: ms }).score;
  assert.ok(at(h) - at(0) > at(2 * h) - at(h));
  assert.ok(at(2 * h) > at(h));
});

test('a long-lived modest node beats a fresh big one', () => {
  const modest = { ...zero, uptimeMs: 12 * 3_600_000, cpuCores: 1, memoryBytes: 512 * 1024 ** 2, uploadBandwidthBps: 10e6, reliability: 0.95 };
  const fresh = { ...zero, uptimeMs: 60_000, cpuCores: 32, memoryBytes: 64 * GIB, uploadBandwidthBps: 10e6, reliability: 0.5 };
  assert.ok(participationScore(modest).score > participationScore(fresh).score);
});

test('bounded 0..100 and monotone in every input', () => {
  const input = fc.record({
    uptimeMs: fc.double({ min: 0, max: 1e11, noNaN: true }),
    cpuCores: fc.double({ min: 0, max: 256, noNaN: true }),
    memoryBytes: fc.double({ min: 0, max: 1e13, noNaN: true }),
    uploadBandwidthBps: fc.double({ min: 0, max: 1e11, noNaN: true }),
    firewalled: fc.boolean(),
    filesShared: fc.nat(),
    bytesUploaded: fc.double({ min: 0, max: 1e16, noNaN: true }),
    hitsServed: fc.nat(),
    reliability: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  const keys = ['uptimeMs', 'cpuCores', 'memoryBytes', 'uploadBandwidthBps', 'filesShared', 'bytesUploaded', 'hitsServed', 'reliability'] as const;
  fc.assert(
    fc.property(input, fc.constantFrom(...keys), (i, k) => {
      const s = participationScore(i).score;
      assert.ok(s >= 0 && s <= 100);
      const more = participationScore({ ...i, [k]: i[k] * 2 + 1 }).score;
      assert.ok(more >= s, `${k}: ${more} < ${s}`);
    }),
  );
});
