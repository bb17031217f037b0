import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../simulate.js';

const small = { peers: 2_000, supernodes: 20, queries: 150, seed: 42 };

test('same seed → byte-identical JSON, for every mode and with churn', () => {
  for (const mode of ['supernode', 'flood', 'central', 'dht'] as const) {
    const a = JSON.stringify(simulate({ ...small, mode, churn: mode === 'dht' ? 0 : 0.5 }));
    const b = JSON.stringify(simulate({ ...small, mode, churn: mode === 'dht' ? 0 : 0.5 }));
    assert.equal(a, b, mode);
  }
  assert.notEqual(JSON.stringify(simulate({ ...small, seed: 1 })), JSON.stringify(simulate({ ...small, seed: 2 })));
});

test('supernode mode with QRP and dynamic querying sends ≥10× fewer query messages than flood at no lower success', () => {
  // Same population, files and queries; flood has no tiers so every one of the 3,000 peers is a servent.
  const base = { peers: 3_000, supernodes: 30, queries: 300, seed: 7, ttl: 5, maxResults: 10 };
  const sn = simulate({ ...base, mode: 'supernode' });
  const fl = simulate({ ...base, mode: 'flood' });
  assert.ok(sn.search.successRate >= fl.search.successRate, `success ${sn.search.successRate} vs ${fl.search.successRate}`);
  const ratio = fl.search.queryMessagesPerQuery / sn.search.queryMessagesPerQuery;
  assert.ok(ratio >= 10, `flood ${fl.search.queryMessagesPerQuery} vs supernode ${sn.search.queryMessagesPerQuery} (×${ratio.toFixed(1)})`);
});

test('under churn the report has time windows and searches still succeed', () => {
  // 150 searches at 2/s: a 75 s run in which the average peer leaves 2.5 times.
  const r = simulate({ ...small, mode: 'supernode', churn: 2, windows: 4, queryRatePerS: 2 });
  assert.equal(r.windows.length, 4);
  assert.ok(r.search.successRate > 0.5, `success ${r.search.successRate}`);
  assert.ok(r.extra.qrtRefreshes > small.supernodes);
});

test('dht: mean hops near ½·log2 of the supernode count; central: one round trip', () => {
  const d = simulate({ ...small, mode: 'dht', supernodes: 256, peers: 4_000 });
  assert.ok(Math.abs(d.search.meanHops - 4) < 1, `hops ${d.search.meanHops}`);
  const c = simulate({ ...small, mode: 'central' });
  assert.equal(c.search.messagesPerQuery, 2);
});

test('dht: records on r = 3 members survive a quarter of the members failing at once; r = 1 loses about a quarter', () => {
  const run = (replicas: number) => simulate({ ...small, mode: 'dht', peers: 4_000, supernodes: 200, queries: 400, replicas, failFraction: 0.25 }).dht as Record<string, number>;
  const three = run(3);
  const one = run(1);
  assert.equal(three.failedMembers, 50);
  assert.ok(three.lookupSuccess >= 0.95, `r = 3: ${three.lookupSuccess}`);
  assert.ok(three.lookupSuccess >= three.recordsWithLiveReplica - 0.03, `lookups ${three.lookupSuccess} vs live replicas ${three.recordsWithLiveReplica}`);
  assert.ok(one.lookupSuccess < 0.9, `r = 1: ${one.lookupSuccess}`);
});

test('dht: virtual nodes lower the key load; proximity fingers cross fewer zones; maintenance is counted', () => {
  const run = (virtualNodes: number, proximity: boolean) => simulate({ ...small, mode: 'dht', peers: 4_000, supernodes: 200, queries: 400, virtualNodes, proximity }).dht as { keyLoad: { maxOverMean: number }; primaryKeyLoad: { maxOverMean: number }; maintenanceMessagesPerMemberPerSecond: number; lookupLocality: { crossingsMean: number } };
  const one = run(1, true);
  const eight = run(8, true);
  const blind = run(8, false);
  assert.ok(eight.primaryKeyLoad.maxOverMean < one.primaryKeyLoad.maxOverMean, `${eight.primaryKeyLoad.maxOverMean} vs ${one.primaryKeyLoad.maxOverMean}`);
  assert.ok(eight.keyLoad.maxOverMean < one.keyLoad.maxOverMean);
  assert.ok(eight.lookupLocality.crossingsMean < blind.lookupLocality.crossingsMean, `${eight.lookupLocality.crossingsMean} vs ${blind.lookupLocality.crossingsMean}`);
  assert.ok(eight.maintenanceMessagesPerMemberPerSecond > 0 && eight.maintenanceMessagesPerMemberPerSecond < 10);
});

test('control plane: registry traffic grows with supernodes, no control messages at rest, leaves balanced and in zone', () => {
  const r = simulate({ ...small, mode: 'supernode', controlPlane: true });
  const cp = r.controlPlane!;
  assert.ok(cp, 'controlPlane reported');
  // Each supernode: a refresh and a read per ~10 s, a lease try per ~5 s: well under 1 op/s each.
  assert.ok(cp.registryOpsPerSecond > 0 && cp.registryOpsPerSecond <= small.supernodes, `registry ops/s ${cp.registryOpsPerSecond}`);
  assert.ok(cp.messagesPerLeafPerMinute <= 2, `messages per leaf per minute ${cp.messagesPerLeafPerMinute}`);
  assert.ok(cp.balance.sameZone >= 0.9, `same zone ${cp.balance.sameZone}`);
  assert.ok(cp.balance.atEndCv <= 0.15, `CV ${cp.balance.atEndCv}`);
  assert.equal(cp.electionChanges, 0);
  assert.equal(JSON.stringify(simulate({ ...small, mode: 'supernode', controlPlane: true }).controlPlane), JSON.stringify(cp), 'deterministic');
});
