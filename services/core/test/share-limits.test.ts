import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeywordIndex } from '../keyword-index.js';
import { QueryRouteTable } from '../query-route-table.js';
import { ShareRefused } from '../share-limits.js';
import { Supernode } from '../supernode.js';
import { World, peer, seeded } from './harness.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');

function supernode(options = {}) {
  const w = new World();
  const sn = w.add('S', (env) => new Supernode(peer('S', { role: 'supernode', leafCapacity: 8 }), env, options));
  for (const l of ['a', 'b']) sn.attachLeaf(`S>${l}`, peer(l));
  return sn;
}

function refusal(f: () => void): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof ShareRefused, String(e));
    assert.equal(e.code, 'CAPACITY');
    return e.reason;
  }
}

test('tokens per leaf are capped: the files that fit are indexed, the rest refused with share_tokens', () => {
  const sn = supernode({ maxTokensPerLeaf: 10 });
  const add = Array.from({ length: 5 }, (_, i) => ({ sha256: hex(i), name: `one two three f${i}`, size: 1 }));
  assert.equal(refusal(() => sn.updateShares('S>a', { add, remove: [], reset: true })), 'share_tokens');
  assert.equal(sn.index.ownerCount(peer('a').serventId), 2, 'two files of four tokens fit in ten');
  assert.equal(refusal(() => sn.updateShares('S>b', { add: add.slice(0, 2), remove: [], reset: true })), 'ok', 'another leaf has its own budget');
  assert.equal(refusal(() => sn.updateShares('S>a', { add: add.slice(0, 2), remove: [], reset: true })), 'ok', 'a reset frees the budget');
});

test('the index is capped by estimated bytes across leaves (index_full); files per leaf stay all-or-nothing (share_files)', () => {
  const sn = supernode({ maxIndexBytes: 20_000, maxFilesPerLeaf: 50 });
  const files = (owner: number, n: number) => Array.from({ length: n }, (_, i) => ({ sha256: hex(owner * 1000 + i), name: `${'x'.repeat(200)} w${owner}x${i}`, size: 1 }));
  assert.equal(refusal(() => sn.updateShares('S>a', { add: files(1, 8), remove: [], reset: true })), 'ok');
  assert.equal(refusal(() => sn.updateShares('S>b', { add: files(2, 20), remove: [], reset: true })), 'index_full');
  assert.ok(sn.index.bytes <= 20_000, `${sn.index.bytes} bytes`);
  assert.equal(refusal(() => sn.updateShares('S>b', { add: files(3, 51), remove: [], reset: true })), 'share_files');
});

test('a departed leaf leaves nothing behind: entries, tokens, token counts and bytes return to zero', () => {
  const sn = supernode();
  const add = Array.from({ length: 200 }, (_, i) => ({ sha256: hex(i), name: `tok${i} shared words ${'q'.repeat(i % 7)}zz${i}`, size: 1 }));
  sn.updateShares('S>a', { add, remove: [], reset: true });
  assert.ok(sn.index.tokenCount > 200 && sn.index.bytes > 0);
  sn.detachLeaf('S>a');
  assert.equal(sn.index.size, 0);
  assert.equal(sn.index.tokenCount, 0);
  assert.equal(sn.index.bytes, 0);
  assert.equal(sn.index.ownerTokens(peer('a').serventId), 0);
});

test('the tracked route table equals one built from every token, through random adds and removes', () => {
  const random = seeded(4);
  const index = new KeywordIndex();
  index.trackRouteTable(10);
  const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
  const live: Array<[string, string]> = [];
  for (let step = 0; step < 3000; step++) {
    if (live.length > 0 && random() < 0.45) {
      const [owner, sha] = live.splice(Math.floor(random() * live.length), 1)[0];
      index.remove(owner, sha);
    } else {
      const owner = `o${Math.floor(random() * 5)}`;
      const sha = hex(step);
      const name = Array.from({ length: 1 + Math.floor(random() * 4) }, () => words[Math.floor(random() * words.length)]).join(' ');
      index.add(owner, { sha256: sha, name, size: 1 });
      live.push([owner, sha]);
    }
    if (step % 500 === 0) assert.deepEqual(index.routeTable(10).encode(), QueryRouteTable.fromTokens(index.tokens(), 10).encode(), `step ${step}`);
  }
  assert.deepEqual(index.routeTable(10).encode(), QueryRouteTable.fromTokens(index.tokens(), 10).encode());
  for (const [owner, sha] of live) index.remove(owner, sha);
  assert.equal(index.routeTable(10).filled, 0, 'empty index, empty table');
});
