// Gnutella 0.6 routing through the supernode and leaf state machines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Push } from '../descriptor.js';
import { Leaf } from '../leaf.js';
import type { SearchResultEntry, SearchSummary } from '../search-session.js';
import { Supernode } from '../supernode.js';
import { World, peer, sha } from './harness.js';

function linkSupernodes(w: World, a: string, b: string): void {
  (w.nodes.get(a) as Supernode).linkUp(`${a}>${b}`, peer(b, { role: 'supernode' }));
  (w.nodes.get(b) as Supernode).linkUp(`${b}>${a}`, peer(a, { role: 'supernode' }));
}

function attach(w: World, leaf: string, sn: string, files: Array<{ sha256: string; name: string; size: number }> = [], extra = {}): Leaf {
  const l = w.add(leaf, (env) => new Leaf(peer(leaf, extra), env));
  l.uplinkUp(`${leaf}>${sn}`, peer(sn, { role: 'supernode' }));
  const s = w.nodes.get(sn) as Supernode;
  s.attachLeaf(`${sn}>${leaf}`, l.self);
  s.updateShares(`${sn}>${leaf}`, { add: files, remove: [], reset: true });
  return l;
}

function collect(node: Leaf | Supernode, criteria: string, ttl: number, timeoutMs = 1000) {
  const results: SearchResultEntry[] = [];
  const done: SearchSummary[] = [];
  node.search({ criteria, ttl, timeoutMs }, { result: (r) => results.push(r), end: (s) => done.push(s) });
  return { results, done };
}

function line(): World {
  const w = new World();
  for (const n of ['A', 'B', 'C']) w.add(n, (env) => new Supernode(peer(n, { role: 'supernode' }), env));
  linkSupernodes(w, 'A', 'B');
  linkSupernodes(w, 'B', 'C');
  return w;
}

test('line A-B-C: a file on a leaf of C is found from a leaf of A at 3 hops, back along C→B→A', () => {
  const w = line();
  const searcher = attach(w, 'la', 'A');
  attach(w, 'lc', 'C', [{ sha256: sha(1), name: 'rare-blue-whale.mp3', size: 10 }]);
  const { results } = collect(searcher, 'blue whale', 3);
  w.run();
  assert.equal(results.length, 1);
  assert.equal(results[0].hops, 3);
  assert.equal(results[0].hit.nodeId, 'lc');
  // The hit went back C→B→A→la, its payload (path: the supernode that answered) untouched.
  assert.deepEqual(results[0].hit.path, ['C']);
  const hitLinks = w.wire.filter((s) => s.d.payload.kind === 'query_hit').map((s) => s.link);
  assert.deepEqual(hitLinks, ['C>B', 'B>A', 'A>la']);
});

test('line A-B-C: with a TTL too small the file is not found', () => {
  const w = line();
  const searcher = attach(w, 'la', 'A');
  attach(w, 'lc', 'C', [{ sha256: sha(1), name: 'rare-blue-whale.mp3', size: 10 }]);
  const { results, done } = collect(searcher, 'blue whale', 2, 500);
  w.run();
  w.clock.advance(500);
  assert.equal(results.length, 0);
  assert.equal(done[0].reason, 'deadline');
  assert.equal(w.count('B', (o) => o.type === 'descriptor' && o.fate === 'ttl_expired'), 1);
  assert.equal(w.count('C', (o) => o.type === 'descriptor' && o.kind === 'query'), 0);
});

test('a search started at a supernode answers from its own index at hops 0', () => {
  const w = line();
  attach(w, 'la', 'A', [{ sha256: sha(2), name: 'green-hills.ogg', size: 5 }]);
  const { results } = collect(w.nodes.get('A') as Supernode, 'green', 2);
  w.run();
  assert.equal(results.length, 1);
  assert.equal(results[0].hops, 0);
});

test('triangle: each supernode handles the query once; hits go back along the query path', () => {
  const w = new World();
  for (const n of ['A', 'B', 'C']) w.add(n, (env) => new Supernode(peer(n, { role: 'supernode' }), env));
  linkSupernodes(w, 'A', 'B');
  linkSupernodes(w, 'B', 'C');
  linkSupernodes(w, 'A', 'C');
  attach(w, 'lc', 'C', [{ sha256: sha(9), name: 'triangle-song.mp3', size: 3 }]);
  const { results } = collect(w.nodes.get('A') as Supernode, 'triangle', 3);
  w.run();
  for (const n of ['B', 'C']) {
    assert.equal(w.count(n, (o) => o.type === 'query_handled'), 1, `${n} handled the query once`);
  }
  const dups = ['A', 'B', 'C'].reduce(
    (s, n) => s + w.count(n, (o) => o.type === 'descriptor' && o.kind === 'query' && o.fate === 'duplicate'),
    0,
  );
  assert.ok(dups >= 2, `duplicates dropped: ${dups}`);
  // C answered twice at most once per arrival; results are deduplicated per (source, file).
  assert.equal(results.length, 1);
  // Every hit C sent went to the link its query came from.
  const hitsFromC = w.wire.filter((s) => s.from === 'C' && s.d.payload.kind === 'query_hit');
  assert.equal(hitsFromC.length, 1);
  const firstQueryIntoC = w.wire.find((s) => s.link.endsWith('>C') && s.d.payload.kind === 'query')!;
  assert.equal(hitsFromC[0].link, `C>${firstQueryIntoC.from}`);
  assert.equal(results[0].hops, firstQueryIntoC.from === 'B' ? 2 : 1);
});

test('a QueryHit for a query never seen is dropped as unroutable', () => {
  const w = line();
  const b = w.nodes.get('B') as Supernode;
  b.receive('B>A', {
    id: 'ab'.repeat(16),
    ttl: 2,
    hops: 0,
    payload: { kind: 'query_hit', serventId: 'cd'.repeat(16), nodeId: 'x', httpAddress: '', firewalled: true, zone: 'z', results: [{ sha256: sha(1), name: 'a', size: 1 }], path: ['x'], queryHops: 1 },
  });
  assert.equal(w.run(), 0);
  assert.equal(w.count('B', (o) => o.type === 'descriptor' && o.fate === 'unroutable'), 1);
});

test('Pongs come back along the Ping path and describe each supernode', () => {
  const w = line();
  const leaf = attach(w, 'la', 'A');
  const pongs: string[] = [];
  leaf.ping(3, (p, hops) => pongs.push(`${p.nodeId}@${hops}`));
  w.run();
  assert.deepEqual(pongs.sort(), ['A@1', 'B@2', 'C@3']);
  const pongsFromC = w.wire.filter((s) => s.from === 'C' && s.d.payload.kind === 'pong');
  assert.deepEqual(pongsFromC.map((s) => s.link), ['C>B']);
});

test('Push is routed by servent ID to a firewalled leaf along the path its hit came', () => {
  const w = line();
  const searcher = attach(w, 'la', 'A');
  const fw = attach(w, 'lc', 'C', [{ sha256: sha(5), name: 'hidden-track.flac', size: 7 }], { firewalled: true, httpAddress: '' });
  const pushes: Push[] = [];
  fw.onPush = (p) => pushes.push(p);
  const { results } = collect(searcher, 'hidden', 4);
  w.run();
  assert.equal(results.length, 1);
  assert.equal(results[0].hit.firewalled, true);
  assert.equal(results[0].hit.httpAddress, '');
  const routed = searcher.requestPush({ serventId: fw.self.serventId, sha256: sha(5), requesterAddress: '127.0.0.1:7000', token: 'tok' });
  assert.equal(routed, true);
  w.run();
  assert.equal(pushes.length, 1);
  assert.equal(pushes[0].token, 'tok');
  const pushLinks = w.wire.filter((s) => s.d.payload.kind === 'push').map((s) => s.link);
  assert.deepEqual(pushLinks, ['la>A', 'A>B', 'B>C', 'C>lc']);
});

test('a Push toward an unknown servent is unroutable at the supernode', () => {
  const w = line();
  const a = w.nodes.get('A') as Supernode;
  assert.equal(a.requestPush({ serventId: 'ee'.repeat(16), sha256: sha(1), requesterAddress: '127.0.0.1:1', token: '' }), false);
});

test('a leaf leaving takes its files out of the index', () => {
  const w = line();
  attach(w, 'lc', 'C', [{ sha256: sha(1), name: 'gone-soon.mp3', size: 1 }]);
  const c = w.nodes.get('C') as Supernode;
  assert.equal(c.index.size, 1);
  c.detachLeaf('C>lc');
  assert.equal(c.index.size, 0);
  assert.equal(c.leafCount, 0);
});

test('a supernode at capacity refuses another leaf', () => {
  const w = new World();
  const s = w.add('S', (env) => new Supernode(peer('S', { role: 'supernode', leafCapacity: 1 }), env));
  s.attachLeaf('S>l1', peer('l1'));
  assert.throws(() => s.attachLeaf('S>l2', peer('l2')), /capacity/);
});

test('a search ends when enough results arrived', () => {
  const w = line();
  const searcher = attach(w, 'la', 'A');
  for (let i = 0; i < 5; i++) attach(w, `lb${i}`, 'B', [{ sha256: sha(100 + i), name: `common-song-${i}.mp3`, size: 1 }]);
  const results: SearchResultEntry[] = [];
  const done: SearchSummary[] = [];
  searcher.search({ criteria: 'common song', ttl: 3, maxResults: 3, timeoutMs: 1000 }, { result: (r) => results.push(r), end: (s) => done.push(s) });
  w.run();
  assert.equal(results.length, 3);
  assert.equal(done[0].reason, 'enough');
});

test('duplicate table and routes stay bounded under a flood of unique queries', () => {
  const w = new World();
  const s = w.add('S', (env) => new Supernode(peer('S', { role: 'supernode' }), env, { duplicateTableSize: 500, routeTableSize: 500 }));
  for (let i = 0; i < 5000; i++) {
    const id = i.toString(16).padStart(32, '0');
    s.receive('S>x', { id, ttl: 2, hops: 0, payload: { kind: 'query', criteria: 'flood', sha256: '', maxResults: 0, originZone: '' } });
  }
  const sizes = s.tableSizes();
  assert.ok(sizes.duplicates <= 500 && sizes.queryRoutes <= 500, JSON.stringify(sizes));
});
