// The overlay over real gRPC on loopback: lines, triangles, TTL and hops,
// reverse routing, re-homing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SuperpeerNode } from '../node.js';
import { client, metricValue, search, shareDir, startNode, stopAll, until } from './nodes.js';
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
    // The supernode that answered; B and A passed the hit's bytes on untouched.
    assert.deepEqual(results[0].path, ['C']);
  });

  test('with a TTL too small it is not found', async () => {
    const results = await search(la, 'blue whale', { ttl: 2, timeoutMs: 500 });
    assert.equal(results.length, 0);
  });

  test('dynamic querying asks the own supernode first, then widens until the file is found', async () => {
    const a = nodes[0];
    const handled = () => metricValue(a, 'superpeer_queries_handled_total');
    const before = await handled();
    const results = await search(la, 'blue whale', { ttl: 3, maxResults: 1, dynamic: true, timeoutMs: 3000 });
    assert.equal(results.length, 1);
    assert.equal(results[0].hops, 3);
    // A round at TTL 1 finds nothing, so the next goes to the cap (TTL 3): two queries through A.
    assert.equal((await handled()) - before, 2);
  });

  test('in supernode mode a search is dynamic unless it asks for a single round', async () => {
    const a = nodes[0];
    const handled = () => metricValue(a, 'superpeer_queries_handled_total');
    const plain = (single: boolean) =>
      new Promise<number>((resolve, reject) => {
        const c = client(la);
        let n = 0;
        const call = c.Search({ query: 'blue whale', sha256: '', ttl: 3, timeout_ms: 3000, max_results: 1, single_round: single });
        call.on('data', () => n++);
        call.on('end', () => (c.close(), resolve(n)));
        call.on('error', (e) => (c.close(), reject(e)));
      });
    let before = await handled();
    assert.equal(await plain(false), 1);
    assert.equal((await handled()) - before, 2, 'two rounds by default');
    before = await handled();
    assert.equal(await plain(true), 1);
    assert.equal((await handled()) - before, 1, 'one round when asked');
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
    const routedByB = () => metricValue(b, 'superpeer_descriptors_total', { type: 'query_hit', fate: 'routed' });
    const before = await routedByB();
    const results = await search(a, 'triangle', { ttl: 3 });
    assert.equal(results.length, 1);
    assert.deepEqual(results[0].path, ['C']);
    // Either C heard it straight from A (1 hop) or through B (2 hops, and B routed the hit back): never a shortcut.
    assert.ok(results[0].hops === 1 || results[0].hops === 2, String(results[0].hops));
    assert.equal((await routedByB()) - before, results[0].hops - 1);
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
      // The holder's share list may still be on its way to s3.
      await until(async () => (await search(leaf, 'kept alive', { ttl: 3 })).length === 1, 20_000, 'found before the cut');
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
      // At TTL 2 the spokes would relay one link on, but nothing behind them holds the term:
      // once their neighbourhood adverts arrived, no spoke is asked.
      await until(async () => {
        const wide = await sent();
        await search(hub, 'nonexistent', { ttl: 2, timeoutMs: 300 });
        return (await sent()) - wide === 0;
      }, 15_000, 'pruned past the last hop');
    } finally {
      await stopAll(all);
    }
  });

  test('diamond: a supernode two links away gets one copy, through one relay', async () => {
    const a = await startNode({ id: 'A', role: 'supernode' });
    const mids: SuperpeerNode[] = [];
    for (const id of ['B', 'C', 'D']) mids.push(await startNode({ id, role: 'supernode', seeds: [a.grpcAddress] }));
    const e = await startNode({ id: 'E', role: 'supernode', seeds: mids.map((m) => m.grpcAddress) });
    const holder = await startNode({ id: 'holder', role: 'leaf', seeds: [e.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'zanzibar-quartet.flac': 'music' }) });
    const all = [a, ...mids, e, holder];
    const supernodes = [a, ...mids, e];
    try {
      await until(() => linked(a, 3) && linked(e, 3) && attached(holder) && (e.core as Supernode).index.size === 1, 20_000, 'diamond');
      const sent = async () => (await Promise.all(supernodes.map((n) => metricValue(n, 'superpeer_descriptors_sent_total', { type: 'query' })))).reduce((x, y) => x + y, 0);
      // Without adverts A would ask B, C and D, and each would pass the query to E.
      await until(async () => {
        const before = await sent();
        const r = await search(a, 'zanzibar', { ttl: 2, timeoutMs: 500 });
        return r.length === 1 && (await sent()) - before === 2;
      }, 20_000, 'A→B→E only');
    } finally {
      await stopAll(all);
    }
  });
});
