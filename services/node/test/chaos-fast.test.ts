// The fast subset of `make chaos`: every fault scenario, small and a few
// seconds a phase, on ONE real cluster (each scenario restarts what it killed,
// so the next finds the cluster whole). The full-size runs and their figures
// are in docs/reliability.md (services/node/chaos/run.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chaosCluster, churn, gracefulStop, redisLoss, supernodeCrash, zonePartition, type Scale } from '../chaos/scenarios.js';
import type { ChaosCluster } from '../chaos/cluster.js';

/**
 * Recovery must happen; how fast is a figure for make chaos. This bound holds
 * on 2 cores at load average 30, where timers run seconds late.
 */
const RECOVERY_BOUND_MS = 30_000;
/**
 * Searches have a 2 s deadline; on a machine that loaded a search can miss it
 * without anything being wrong (one miss in a round of 16 is 94 %). What
 * must hold: nothing hangs, the cut is real, recovery happens.
 */
const MIN_SUCCESS_PCT = 85;
const SMALL: Scale = { supernodes: 4, peers: 12, nodesPerProcess: 4, rate: 10, phaseMs: 1_500, bigFileMiB: 32 };

describe('chaos, small, one cluster', () => {
  let c: ChaosCluster;
  before(async () => {
    c = await chaosCluster(SMALL);
  });
  after(() => c?.down());

  test('zone partition: each side finds its own files, cross-zone hits return after the heal', async () => {
    const r = await zonePartition(c, { ...SMALL, probes: 16 });
    console.log('partition', JSON.stringify(r));
    assert.ok(r.crossZoneBeforePct >= MIN_SUCCESS_PCT, `before the cut ${r.crossZoneBeforePct}%`);
    assert.ok(r.splitMs >= 0, 'no stream crosses the cut');
    assert.ok(r.ownZoneDuringPct >= MIN_SUCCESS_PCT, `own zone ${r.ownZoneDuringPct}%`);
    assert.equal(r.crossZoneDuringPct, 0, 'the cut is real');
    assert.ok(r.remergeMs >= 0 && r.crossZoneHitsBackMs >= 0, 're-merged');
    assert.ok(r.crossZoneAfterPct >= MIN_SUCCESS_PCT, `after heal ${r.crossZoneAfterPct}%`);
  });

  test('SIGTERM a supernode mid-download: leaves handed over, the download finishes from the other source, verified', async () => {
    const r = await gracefulStop(c, SMALL);
    console.log('sigterm', JSON.stringify(r));
    assert.ok(r.allRehomedMs >= 0 && r.allRehomedMs < RECOVERY_BOUND_MS, `re-homed in ${r.allRehomedMs} ms`);
    assert.equal(r.hung, 0);
    assert.ok(r.successPct >= MIN_SUCCESS_PCT, `${r.successPct}%`);
    const d = r.download!;
    assert.ok(d.stoppedMidway, 'the stop landed mid-transfer');
    assert.equal(d.exitCode, 0, d.error);
    assert.ok(d.verified && !d.partLeft, 'final file verified, no .part left');
    assert.equal(d.finalBeforeVerified, 0, 'no final file while the .part was still being written');
    assert.ok(d.fromStopped > 0 && d.fromOther > 0, `both sources supplied bytes (${d.fromStopped}, ${d.fromOther})`);
  });

  test('Redis killed and restarted empty: the supernodes rebuild the directory, searches unaffected', async () => {
    const r = await redisLoss(c, SMALL);
    console.log('redis', JSON.stringify(r));
    assert.ok(r.rebuiltMs >= 0 && r.rebuiltMs < RECOVERY_BOUND_MS, `rebuilt in ${r.rebuiltMs} ms`);
    assert.ok(r.successPct >= MIN_SUCCESS_PCT, `${r.successPct}%`);
  });

  test('churn: replicated files stay findable; restarted nodes rejoin', async () => {
    const r = await churn(c, { ...SMALL, phaseMs: 4_000, killEveryMs: 800, downMs: 1_000 });
    console.log('churn', JSON.stringify(r));
    assert.ok(r.kills >= 3);
    assert.equal(r.hung, 0);
    assert.ok(r.successPct >= MIN_SUCCESS_PCT, `${r.successPct}%`);
  });

  test('supernode SIGKILL under load: orphans re-home, no search hangs', async () => {
    // The last scenario: no need to restart the victim.
    const r = await supernodeCrash(c, SMALL, { restore: false });
    console.log('crash', JSON.stringify(r));
    assert.ok(r.allRehomedMs >= 0 && r.allRehomedMs < RECOVERY_BOUND_MS, `re-homed in ${r.allRehomedMs} ms`);
    assert.equal(r.hung, 0);
    assert.ok(r.successPct >= MIN_SUCCESS_PCT, `${r.successPct}%`);
  });
});
