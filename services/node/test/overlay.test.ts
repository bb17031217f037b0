// The overlay over real gRPC on loopback: lines, triangles, TTL and hops,
// reverse routing, re-homing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SuperpeerNode } from '../node.js';
import { metricValue, search, shareDir, startNode, stopAll, until } from './nodes.js';
import { Supernode } from '../../core/supernode.js';
import { Leaf } from '../../core/leaf.js';

const linked = (n: SuperpeerNode, k: number) => (n.core as Supernode).neighbourList().length >= k;
const attached = (n: SuperpeerNode, k = 1) => (n.core as Leaf).uplinkCount >= k;

describe('line of three supernodes A–B–C', () => {
  const nodes: SuperpeerNode[] = [];
  let la: SuperpeerNode;
  before(async () => {
    const a = await startNode({ id: 'A', role: 'supernode' });
    const b = await startNode({ id: 'B', role: 'supernode', seeds: [a.grpcAddress] });
    const c = await startNode({ id: 'C', role: 'supernode', seeds: [b.grpcAddress] });
    la = await startNode({ id: 'la', role: 'leaf', seeds: [a.grpcAddress], uplinks: 1 });
    const lc = await startNode({ id: 'lc', role: 'leaf', seeds: [c.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'rare-blue-whale.mp3': 'whale song' }) });
    nodes.push(a, b, c, la, lc);
    await until(() => linked(a, 1) && linked(b, 2) && linked(c, 1) && attached(la) && attached(lc), 15_000, 'links');
    await until(() => (c.core as Supernode).index.size === 1, 15_000, 'index');
  });
  after(() => stopAll(nodes));

  test('a file only on a leaf of C is found from a leaf of A at 3 hops, back along C→B→A', async () => {
    const results = await search(la, 'blue whale', { ttl: 3 });
    assert.equal(results.length, 1);
    assert.equal(results[0].name, 'rare-blue-whale.mp3');
    assert.equal(results[0].node_id, 'lc');
    assert.equal(results[0].hops, 3);
    assert.deepEqual(results[0].path, ['C', 'B', 'A']);
  });

  test('with a TTL too small it is not found', async () => {
    const results = await search(la, 'blue whale', { ttl: 2, timeoutMs: 500 });
    assert.equal(results.length, 0);
  });

  test('dynamic querying widens the TTL round by round until the file is found', async () => {
    const a = nodes[0];
    const handled = () => metricValue(a, 'superpeer_queries_handled_total');
    const before = await handled();
    const results = await search(la, 'blue whale', { ttl: 3, maxResults: 1, dynamic: true, timeoutMs: 3000 });
    assert.equal(results.length, 1);
    assert.equal(results[0].hops, 3);
    // Rounds at TTL 1, 2 and 3, each a new query through A.
    assert.equal((await handled()) - before, 3);
  });

  test('bad searches get INVALID_ARGUMENT with a message and the node keeps serving', async () => {
    for (const [query, code] of [
      ['', 'EMPTY_QUERY'],
      ['x'.repeat(300), 'QUERY_TOO_LONG'],
      [Array.from({ length: 30 }, (_, i) => `word${i}`).join(' '), 'TOO_MANY_TERMS'],
    ] as const) {
      await assert.rejects(search(la, query), (e: { code: number; details: string }) => e.code === 3 && e.details.includes(code));
    }
    await assert.rejects(search(la, 'whale', { ttl: 9 }), (e: { code: number }) => e.code === 3);
    await assert.rejects(search(la, '', { sha256: 'zz' }), (e: { code: number; details: string }) => e.code === 3 && e.details.includes('BAD_HASH'));
    assert.equal((await search(la, 'blue whale', { ttl: 3 })).length, 1);
  });
});

describe('triangle of supernodes', () => {
  const nodes: SuperpeerNode[] = [];
  let a: SuperpeerNode, b: SuperpeerNode, c: SuperpeerNode;
  before(async () => {
    a = await startNode({ id: 'A', role: 'supernode' });
    b = await startNode({ id: 'B', role: 'supernode', seeds: [a.grpcAddress] });
    c = await startNode({ id: 'C', role: 'supernode', seeds: [a.grpcAddress, b.grpcAddress] });
    const lc = await startNode({ id: 'lc', role: 'leaf', seeds: [c.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'triangle-song.ogg': 'three sides' }) });
    nodes.push(a, b, c, lc);
    await until(() => linked(a, 2) && linked(b, 2) && linked(c, 2) && attached(lc), 15_000, 'triangle');
    await until(() => c.core instanceof Supernode && c.core.index.size === 1, 15_000, 'index');
  });
  after(() => stopAll(nodes));

  test('each supernode handles the query once; duplicates are dropped and counted', async () => {
    const before = await Promise.all([b, c].map((n) => metricValue(n, 'superpeer_queries_handled_total')));
    const results = await search(a, 'triangle', { ttl: 3 });
    assert.equal(results.length, 1);
    const handled = await Promise.all([b, c].map((n) => metricValue(n, 'superpeer_queries_handled_total')));
    assert.deepEqual(handled.map((h, i) => h - before[i]), [1, 1]);
    let dups = 0;
    for (const n of [a, b, c]) dups += await metricValue(n, 'superpeer_descriptors_total', { type: 'query', fate: 'duplicate' });
    assert.ok(dups >= 1, `duplicates counted: ${dups}`);
  });

  test('the QueryHit travels back along the path the query came', async () => {
    const results = await search(a, 'triangle', { ttl: 3 });
    assert.equal(results.length, 1);
    const path = results[0].path;
    assert.equal(path[0], 'C');
    // Either C heard it straight from A (path C) or through B (path C, B): never a shortcut.
    assert.ok(JSON.stringify(path) === '["C"]' || JSON.stringify(path) === '["C","B"]', JSON.stringify(path));
    assert.equal(results[0].hops, path.length);
  });
});

describe('re-homing', () => {
  test('a leaf whose uplink dies re-attaches to another supernode and keeps searching', async () => {
    const s1 = await startNode({ id: 's1', role: 'supernode' });
    const s2 = await startNode({ id: 's2', role: 'supernode', seeds: [s1.grpcAddress] });
    const s3 = await startNode({ id: 's3', role: 'supernode', seeds: [s1.grpcAddress, s2.grpcAddress] });
    const holder = await startNode({ id: 'holder', role: 'leaf', seeds: [s3.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'kept-alive.txt': 'still here' }) });
    const leaf = await startNode({ id: 'leaf', role: 'leaf', seeds: [s1.grpcAddress, s2.grpcAddress], uplinks: 2 });
    try {
      await until(() => attached(leaf, 2) && attached(holder) && linked(s3, 2), 15_000, 'attached');
      assert.equal((await search(leaf, 'kept alive', { ttl: 3 })).length, 1);
      const victim = (leaf.core as Leaf).uplinkList()[0].peer.nodeId === 's1' ? s1 : s2;
      await victim.stop();
      await until(() => (leaf.core as Leaf).uplinkCount === 1, 3000, 'uplink lost');
      assert.equal((await search(leaf, 'kept alive', { ttl: 3 })).length, 1, 'one uplink left still searches');
      assert.ok((await metricValue(leaf, 'superpeer_rehomes_total')) >= 1);
    } finally {
      await stopAll([s1, s2, s3, holder, leaf].filter((n) => n.isReady));
    }
  });
});

describe('query routing tables (QRP) between real supernodes', () => {
  test('on its last hop a query goes only to the neighbour whose table can match', async () => {
    const hub = await startNode({ id: 'hub', role: 'supernode' });
    const spokes: SuperpeerNode[] = [];
    for (let i = 0; i < 4; i++) spokes.push(await startNode({ id: `spoke${i}`, role: 'supernode', seeds: [hub.grpcAddress] }));
    const holder = await startNode({ id: 'holder', role: 'leaf', seeds: [spokes[2].grpcAddress], uplinks: 1, shareDir: await shareDir({ 'zanzibar-quartet.flac': 'music' }) });
    const all = [hub, ...spokes, holder];
    try {
      await until(() => linked(hub, 4) && attached(holder) && (spokes[2].core as Supernode).index.size === 1, 15_000, 'star');
      // Tables travel every 2 s; wait until the hub has heard from every spoke.
      const sent = () => metricValue(hub, 'superpeer_descriptors_sent_total', { type: 'query' });
      await until(async () => {
        const before = await sent();
        const r = await search(hub, 'zanzibar', { ttl: 1, timeoutMs: 300 });
        return r.length === 1 && (await sent()) - before === 1;
      }, 10_000, 'pruned to one neighbour');
      // A term no spoke holds goes nowhere on the last hop.
      const before = await sent();
      assert.equal((await search(hub, 'nonexistent', { ttl: 1, timeoutMs: 300 })).length, 0);
      assert.equal((await sent()) - before, 0);
      // With a TTL beyond the last hop the query still reaches every neighbour (tables prune the last hop only).
      const wide = await sent();
      await search(hub, 'nonexistent', { ttl: 2, timeoutMs: 300 });
      assert.equal((await sent()) - wide, 4);
    } finally {
      await stopAll(all);
    }
  });
});
