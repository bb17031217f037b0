import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SuperpeerError } from '../../core/errors.js';
import { MAX_CLIENT_BUCKETS, RateLimits, clientAddress } from '../rate-limits.js';

const config = { linkDescriptorRate: 10, linkDescriptorBurst: 20, clientSearchRate: 2, clientSearchBurst: 3, maxConcurrentSearches: 4, maxPendingStreams: 2, chordRate: 5, chordBurst: 5, shareUpdateRate: 4096, shareUpdateBurst: 8192, clientStatusRate: 2, clientStatusBurst: 2, clientTopologyRate: 1, clientTopologyBurst: 1, maxConcurrentCrawls: 1, clientPushRate: 1, clientPushBurst: 2 };
const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof SuperpeerError);
    return e.code;
  }
};

test('descriptors: a bucket per stream', () => {
  let now = 0;
  const l = new RateLimits(config, () => now);
  const a = {};
  const b = {};
  let admitted = 0;
  for (let i = 0; i < 100; i++) if (l.admitDescriptor(a)) admitted++;
  assert.equal(admitted, 20, 'the burst');
  assert.ok(l.admitDescriptor(b), 'another stream has its own bucket');
  now += 1000;
  admitted = 0;
  for (let i = 0; i < 100; i++) if (l.admitDescriptor(a)) admitted++;
  assert.equal(admitted, 10, 'the rate');
});

test('searches: per-client rate, then a node-wide concurrency cap; releases are idempotent', () => {
  let now = 0;
  const l = new RateLimits(config, () => now);
  const held = [l.admitSearch('10.0.0.1'), l.admitSearch('10.0.0.1'), l.admitSearch('10.0.0.1')];
  assert.equal(code(() => l.admitSearch('10.0.0.1')), 'RATE_LIMITED');
  held.push(l.admitSearch('10.0.0.2'));
  assert.equal(code(() => l.admitSearch('10.0.0.3')), 'CAPACITY');
  held[0]();
  held[0]();
  assert.equal(l.searchesRunning, 3);
  assert.equal(code(() => l.admitSearch('10.0.0.3')), 'ok');
  now += 1000;
  for (const r of held) r();
});

test('pending streams are capped; the client table is bounded', () => {
  const l = new RateLimits(config, () => 0);
  const r1 = l.admitPendingStream();
  l.admitPendingStream();
  assert.equal(code(() => l.admitPendingStream()), 'CAPACITY');
  r1();
  assert.equal(code(() => l.admitPendingStream()), 'ok');
  const wide = new RateLimits({ ...config, maxConcurrentSearches: 1e6 }, () => 0);
  for (let i = 0; i < MAX_CLIENT_BUCKETS + 500; i++) wide.admitSearch(`c${i}`);
  assert.equal(wide.clientsTracked, MAX_CLIENT_BUCKETS);
});

test('client addresses from gRPC peer strings', () => {
  assert.equal(clientAddress('ipv4:127.0.0.1:5000'), '127.0.0.1');
  assert.equal(clientAddress('ipv6:[::1]:5000'), '::1');
  assert.equal(clientAddress('unix:/tmp/x'), '/tmp/x');
});

test('Chord calls: a bucket per caller connection', () => {
  let now = 0;
  const l = new RateLimits(config, () => now);
  const admitted = (peer: string) => Array.from({ length: 10 }, () => l.admitChord(peer)).filter(Boolean).length;
  assert.equal(admitted('ipv4:127.0.0.1:5000'), 5);
  assert.equal(admitted('ipv4:127.0.0.1:5001'), 5, 'another connection has its own bucket');
  now += 1_000;
  assert.equal(admitted('ipv4:127.0.0.1:5000'), 5, 'refilled at 5/s');
});

test('share updates: a byte budget per leaf stream, each update at least 1 KiB', () => {
  let now = 0;
  const l = new RateLimits(config, () => now);
  const leaf = {};
  assert.ok(l.admitShareUpdate(leaf, 6000));
  assert.ok(!l.admitShareUpdate(leaf, 6000), 'past the 8 KiB burst');
  assert.ok(l.admitShareUpdate(leaf, 10), 'a tiny update costs 1 KiB');
  assert.ok(l.admitShareUpdate(leaf, 10));
  assert.ok(!l.admitShareUpdate(leaf, 10), 'burst spent');
  assert.ok(l.admitShareUpdate({}, 6000), 'another leaf has its own budget');
  now += 1_000;
  assert.ok(l.admitShareUpdate(leaf, 4000), 'refilled at 4 KiB/s');
});
