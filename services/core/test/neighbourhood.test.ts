// Routing past the last hop: behind tables and one agreed relay per
// supernode two links away, through the real supernode and leaf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Leaf } from '../leaf.js';
import { Neighbourhoods } from '../neighbourhood.js';
import type { SearchResultEntry } from '../search-session.js';
import { Supernode } from '../supernode.js';
import { World, peer, sha, supernodeGraph as graph } from './harness.js';

function leafAt(w: World, name: string, sn: string, files: string[] = []): Leaf {
  const l = w.add(name, (env) => new Leaf(peer(name), env));
  l.uplinkUp(`${name}>${sn}`, peer(sn, { role: 'supernode' }));
  const s = w.nodes.get(sn) as Supernode;
  s.attachLeaf(`${sn}>${name}`, l.self);
  s.updateShares(`${sn}>${name}`, { add: files.map((f, i) => ({ sha256: sha(name.length * 100 + i + name.charCodeAt(0)), name: f, size: 1 })), remove: [], reset: true });
  return l;
}

/** What the adapters do: route tables to every neighbour, then neighbourhood adverts (which need the tables). */
function exchange(w: World, names: string[], adverts = true): void {
  const sn = (n: string) => w.nodes.get(n) as Supernode;
  for (const n of names) for (const { link } of sn(n).neighbourList()) sn(link.split('>')[1]).setNeighbourRouteTable(`${link.split('>')[1]}>${n}`, sn(n).routeTable());
  if (!adverts) return;
  for (const n of names) for (const { link } of sn(n).neighbourList()) sn(link.split('>')[1]).setNeighbourhood(`${link.split('>')[1]}>${n}`, sn(n).neighbourhood());
}

function search(w: World, leaf: Leaf, criteria: string, ttl: number): SearchResultEntry[] {
  const results: SearchResultEntry[] = [];
  leaf.search({ criteria, ttl, timeoutMs: 1_000 }, { result: (r) => results.push(r), end: () => {} });
  w.run();
  return results;
}

const queries = (w: World) => w.wire.filter((s) => s.d.payload.kind === 'query');

test('diamond: a supernode two links away gets one copy, through the one agreed relay', () => {
  const names = ['A', 'B', 'C', 'D', 'E'];
  const w = graph(names, [['A', 'B'], ['A', 'C'], ['A', 'D'], ['B', 'E'], ['C', 'E'], ['D', 'E']]);
  const la = leafAt(w, 'la', 'A');
  leafAt(w, 'le', 'E', ['blue whale.mp3']);
  leafAt(w, 'lc', 'C', ['green tea.txt']);
  exchange(w, names);
  const results = search(w, la, 'blue whale', 3);
  assert.equal(results.length, 1);
  assert.equal(results[0].hops, 3);
  // la→A, A→B (the smallest ID linked to both A and E), B→E; C and D hear nothing.
  assert.deepEqual(queries(w).map((s) => s.link), ['la>A', 'A>B', 'B>E']);
});

test('diamond without adverts: the same search floods, E gets a copy per common neighbour', () => {
  const names = ['A', 'B', 'C', 'D', 'E'];
  const w = graph(names, [['A', 'B'], ['A', 'C'], ['A', 'D'], ['B', 'E'], ['C', 'E'], ['D', 'E']]);
  const la = leafAt(w, 'la', 'A');
  leafAt(w, 'le', 'E', ['blue whale.mp3']);
  exchange(w, names, false);
  assert.equal(search(w, la, 'blue whale', 3).length, 1);
  assert.equal(queries(w).filter((s) => s.link.endsWith('>E')).length, 3);
});

test('complete graph: a query reaches each matching supernode once and no other', () => {
  const names = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
  const edges: Array<[string, string]> = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) edges.push([names[i], names[j]]);
  const w = graph(names, edges);
  const la = leafAt(w, 'la', 'A');
  leafAt(w, 'lc', 'C', ['blue whale one.mp3']);
  leafAt(w, 'lf', 'F', ['blue whale two.mp3']);
  leafAt(w, 'lg', 'G', ['green tea.txt']);
  exchange(w, names);
  const results = search(w, la, 'blue whale', 3);
  assert.equal(results.length, 2);
  assert.deepEqual(queries(w).map((s) => s.link).sort(), ['A>C', 'A>F', 'la>A']);
});

test('a file behind a non-matching neighbour is still found at TTL 2 from a supernode', () => {
  const names = ['A', 'B', 'C'];
  const w = graph(names, [['A', 'B'], ['B', 'C']]);
  leafAt(w, 'lc', 'C', ['blue whale.mp3']);
  exchange(w, names);
  const results: SearchResultEntry[] = [];
  (w.nodes.get('A') as Supernode).search({ criteria: 'blue whale', ttl: 2, timeoutMs: 1_000 }, { result: (r) => results.push(r), end: () => {} });
  w.run();
  assert.equal(results.length, 1);
  assert.deepEqual(queries(w).map((s) => s.link), ['A>B', 'B>C']);
  // Nothing behind B matches: B is not asked at all.
  const w2 = graph(names, [['A', 'B'], ['B', 'C']]);
  leafAt(w2, 'lc', 'C', ['green tea.txt']);
  exchange(w2, names);
  (w2.nodes.get('A') as Supernode).search({ criteria: 'blue whale', ttl: 2, timeoutMs: 1_000 }, { result: () => {}, end: () => {} });
  w2.run();
  assert.equal(queries(w2).length, 0);
});

test('an unknown advert makes a relay forward rather than miss', () => {
  const h = new Neighbourhoods();
  assert.equal(h.relays('B', 'from', 'to', 'E'), true);
  h.set('from', { neighbours: ['B', 'C', 'E'] });
  // The sender links E itself.
  assert.equal(h.relays('B', 'from', 'to', 'E'), false);
  h.set('from', { neighbours: ['B', 'C'] });
  assert.equal(h.relays('B', 'from', 'to', 'E'), true);
  h.set('to', { neighbours: ['A', 'B', 'C'] });
  // B is the smallest ID linked to both sender and target; D defers to it.
  assert.equal(h.relays('B', 'from', 'to', 'E'), true);
  assert.equal(h.relays('D', 'from', 'to', 'E'), false);
});
