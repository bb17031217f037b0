// Dynamic querying and QRP last-hop pruning through the real supernode and leaf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextTtl, reachAt } from '../dynamic-query.js';
import { Leaf } from '../leaf.js';
import type { SearchResultEntry, SearchSummary } from '../search-session.js';
import { Supernode } from '../supernode.js';
import { World, peer, sha, supernodeGraph } from './harness.js';

function chain(names: string[]): World {
  return supernodeGraph(names, names.slice(1).map((b, i): [string, string] => [names[i], b]));
}

function leafAt(w: World, name: string, sn: string, files: string[] = []): Leaf {
  const l = w.add(name, (env) => new Leaf(peer(name), env));
  l.uplinkUp(`${name}>${sn}`, peer(sn, { role: 'supernode' }));
  const s = w.nodes.get(sn) as Supernode;
  s.attachLeaf(`${sn}>${name}`, l.self);
  s.updateShares(`${sn}>${name}`, { add: files.map((f, i) => ({ sha256: sha(name.length * 100 + i), name: f, size: 1 })), remove: [], reset: true });
  return l;
}

/** Runs the world while advancing the clock in steps, until the search ends. */
function drive(w: World, done: SearchSummary[], stepMs = 50, maxSteps = 200): void {
  for (let i = 0; i < maxSteps && done.length === 0; i++) {
    w.run();
    w.clock.advance(stepMs);
  }
  w.run();
}

test('dynamic query stops at TTL 1 when the own supernode has enough results', () => {
  const w = chain(['A', 'B', 'C']);
  const searcher = leafAt(w, 'la', 'A');
  leafAt(w, 'lb', 'A', ['blue whale one.mp3', 'blue whale two.mp3']);
  leafAt(w, 'lc', 'C', ['blue whale far.mp3']);
  const results: SearchResultEntry[] = [];
  const done: SearchSummary[] = [];
  searcher.search({ criteria: 'blue whale', ttl: 4, maxResults: 2, dynamic: true, roundMsPerTtl: 100 }, { result: (r) => results.push(r), end: (s) => done.push(s) });
  drive(w, done);
  assert.equal(done[0].reason, 'enough');
  assert.equal(results.length, 2);
  // One round at TTL 1: the query reached A only.
  assert.equal(w.wire.filter((s) => s.d.payload.kind === 'query').length, 1);
});

test('dynamic query with nothing nearby widens straight to the cap and finds the far file', () => {
  const w = chain(['A', 'B', 'C']);
  const searcher = leafAt(w, 'la', 'A');
  leafAt(w, 'lc', 'C', ['blue whale far.mp3']);
  const results: SearchResultEntry[] = [];
  const done: SearchSummary[] = [];
  searcher.search({ criteria: 'blue whale', ttl: 3, maxResults: 1, dynamic: true, roundMsPerTtl: 100 }, { result: (r) => results.push(r), end: (s) => done.push(s) });
  drive(w, done);
  assert.equal(done[0].reason, 'enough');
  assert.equal(results[0].hops, 3);
  // Rounds TTL 1 (la→A), then no hits, so TTL 3 (la→A→B→C): 1 + 3 query messages.
  assert.equal(w.wire.filter((s) => s.d.payload.kind === 'query').length, 4);
  // Two rounds, one search: the searcher observes a single search_done, with the hit.
  const searchesDone = w.observations.get('la')!.filter((o) => o.type === 'search_done');
  assert.deepEqual(searchesDone.map((o) => o.type === 'search_done' && o.results), [1]);
});

test('dynamic query picks the next TTL from the hits per supernode probed', () => {
  const o = { firstTtl: 1, maxTtl: 5, maxResults: 40, roundMsPerTtl: 100, timeoutMs: 10_000, firstProbed: 2, degree: 4 };
  assert.equal(reachAt(1, o), 2);
  assert.equal(reachAt(2, o), 6);
  assert.equal(reachAt(3, o), 22);
  // 10 results from 2 supernodes: 5 each, 40 wanted → 8 supernodes → TTL 3 (22), not 2 (6).
  assert.equal(nextTtl(1, 10, o), 3);
  // 20 results from 2: 10 each → 4 supernodes → TTL 2.
  assert.equal(nextTtl(1, 20, o), 2);
  // 1 result from 2: 80 supernodes → beyond TTL 3's 22 and TTL 4's 86? 86 ≥ 80 → TTL 4.
  assert.equal(nextTtl(1, 1, o), 4);
  assert.equal(nextTtl(1, 0, o), 5);
  assert.equal(nextTtl(5, 3, o), 5);
});

test('a widening round goes through one uplink only', () => {
  const w = chain(['A', 'B', 'C']);
  const searcher = leafAt(w, 'la', 'A');
  searcher.uplinkUp('la>B', peer('B', { role: 'supernode' }));
  (w.nodes.get('B') as Supernode).attachLeaf('B>la', searcher.self);
  leafAt(w, 'lc', 'C', ['blue whale far.mp3']);
  const done: SearchSummary[] = [];
  searcher.search({ criteria: 'blue whale', ttl: 3, maxResults: 1, dynamic: true, roundMsPerTtl: 100 }, { result: () => {}, end: (s) => done.push(s) });
  drive(w, done);
  assert.equal(done[0].reason, 'enough');
  const fromLeaf = w.wire.filter((s) => s.d.payload.kind === 'query' && s.from === 'la');
  // Round 1 to both uplinks, round 2 to one of them.
  assert.equal(fromLeaf.length, 3);
  assert.equal(new Set(fromLeaf.slice(0, 2).map((s) => s.d.id)).size, 1);
  assert.notEqual(fromLeaf[2].d.id, fromLeaf[0].d.id);
});

test('QRP: the last hop skips a neighbour whose table cannot match, and still reaches one that can', () => {
  const w = new World();
  const names = ['A', 'B', 'C', 'D'];
  for (const n of names) w.add(n, (env) => new Supernode(peer(n, { role: 'supernode' }), env));
  const sn = (n: string) => w.nodes.get(n) as Supernode;
  for (const b of ['B', 'C', 'D']) {
    sn('A').linkUp(`A>${b}`, peer(b, { role: 'supernode' }));
    sn(b).linkUp(`${b}>A`, peer('A', { role: 'supernode' }));
  }
  const searcher = leafAt(w, 'la', 'A');
  leafAt(w, 'lb', 'B', ['blue whale.mp3']);
  leafAt(w, 'lc', 'C', ['green tea.txt']);
  for (const b of ['B', 'C', 'D']) sn('A').setNeighbourRouteTable(`A>${b}`, sn(b).routeTable());
  const results: SearchResultEntry[] = [];
  searcher.search({ criteria: 'blue whale', ttl: 2, timeoutMs: 100 }, { result: (r) => results.push(r), end: () => {} });
  w.run();
  assert.equal(results.length, 1);
  const toNeighbours = w.wire.filter((s) => s.d.payload.kind === 'query' && s.from === 'A').map((s) => s.link);
  assert.deepEqual(toNeighbours, ['A>B']);
  // Forgetting the tables restores the flood.
  for (const b of ['B', 'C', 'D']) sn('A').setNeighbourRouteTable(`A>${b}`, undefined);
  searcher.search({ criteria: 'blue whale', ttl: 2, timeoutMs: 100 }, { result: () => {}, end: () => {} });
  const before = w.wire.length;
  w.run();
  assert.equal(w.wire.slice(before).filter((s) => s.d.payload.kind === 'query' && s.from === 'A').length, 3);
});
