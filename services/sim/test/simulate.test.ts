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
