// The idle measurement on a small real cluster: every field, and the
// registry traffic of leaves at rest is nil (only supernodes refresh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processCpuSeconds, runIdle } from '../idle.js';

test('processCpuSeconds reads this process and 0 for a missing one', () => {
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
  assert.ok(x > 0 && processCpuSeconds(process.pid) > 0);
  assert.equal(processCpuSeconds(2 ** 30), 0);
});

test('idle 2 supernodes + 12 leaves: CPU per role and Redis commands/s, leaves off the registry', { timeout: 180_000 }, async () => {
  const r = await runIdle({ supernodes: 2, peers: 12, zones: 2, nodesPerProcess: 6, settleS: 22, windowS: 8, seed: 2 });
  for (const k of ['cpuMsPerLeafPerSecond', 'cpuMsPerSupernodePerSecond', 'redisCommandsPerSecond'] as const) assert.ok(Number.isFinite(r[k]) && r[k] >= 0, k);
  assert.equal(r.loadAverage.length, 3);
  assert.ok(r.cpuSecondsPerSecond.total >= r.cpuSecondsPerSecond.redis);
  // Two supernodes refresh every ~10 s (a handful of commands each); 12 leaves polling
  // every second, as nodes once did, would be well over 50/s.
  assert.ok(r.redisCommandsPerSecond < 8, `Redis commands/s at rest: ${r.redisCommandsPerSecond}`);
});
