// The fast subset of `make chaos`: each fault scenario on a small real
// cluster, a few seconds a phase. The full-size runs and their figures are in
// docs/reliability.md (services/node/chaos/run.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { churn, gracefulStop, redisLoss, supernodeCrash, type Scale } from '../chaos/scenarios.js';

const SMALL: Scale = { supernodes: 3, peers: 12, nodesPerProcess: 4, rate: 10, phaseMs: 2_500 };

describe('chaos, small', () => {
  test('supernode SIGKILL under load: orphans re-home, no search hangs', async () => {
    const r = await supernodeCrash(SMALL);
    console.log('crash', JSON.stringify(r));
    assert.ok(r.allRehomedMs >= 0 && r.allRehomedMs < 10_000, `re-homed in ${r.allRehomedMs} ms`);
    assert.equal(r.hung, 0);
    assert.ok(r.successPct >= 95, `${r.successPct}%`);
  });

  test('churn: replicated files stay findable; restarted nodes rejoin', async () => {
    const r = await churn({ ...SMALL, phaseMs: 6_000, killEveryMs: 1_200, downMs: 1_000 });
    console.log('churn', JSON.stringify(r));
    assert.ok(r.kills >= 3);
    assert.equal(r.hung, 0);
    assert.ok(r.successPct >= 95, `${r.successPct}%`);
  });

  test('Redis killed and restarted empty: registry rebuilt from live nodes, searches unaffected', async () => {
    const r = await redisLoss(SMALL);
    console.log('redis', JSON.stringify(r));
    assert.ok(r.rebuiltMs >= 0 && r.rebuiltMs < 5_000, `rebuilt in ${r.rebuiltMs} ms`);
    assert.ok(r.successPct >= 99, `${r.successPct}%`);
  });

  test('SIGTERM a supernode: its leaves are handed over, searches keep succeeding', async () => {
    const r = await gracefulStop(SMALL);
    console.log('sigterm', JSON.stringify(r));
    assert.ok(r.allRehomedMs >= 0 && r.allRehomedMs < 5_000);
    assert.equal(r.hung, 0);
    assert.ok(r.successPct >= 99, `${r.successPct}%`);
  });
});
