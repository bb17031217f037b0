import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeywordIndex } from '../keyword-index.js';
import { tokenize } from '../keywords.js';
import { sha } from './harness.js';

const file = (n: number, name: string) => ({ sha256: sha(n), name, size: 100 * n });

test('tokens are lower-cased, stripped of accents and split on punctuation', () => {
  assert.deepEqual(tokenize('Blue_River-Sonata (Live).MP3'), ['blue', 'river', 'sonata', 'live', 'mp3']);
  assert.deepEqual(tokenize('Café Déjà vu'), ['cafe', 'deja', 'vu']);
  assert.deepEqual(tokenize('a b c'), []);
});

test('every term must match', () => {
  const ix = new KeywordIndex();
  ix.add('leaf1', file(1, 'blue-river-sonata.mp3'));
  ix.add('leaf1', file(2, 'red-river-blues.mp3'));
  ix.add('leaf2', file(3, 'blue-sky.ogg'));
  assert.deepEqual(ix.search(['river'], 10).map((m) => m.file.sha256).sort(), [sha(1), sha(2)]);
  assert.deepEqual(ix.search(['blue', 'river'], 10).map((m) => m.file.sha256), [sha(1)]);
  assert.deepEqual(ix.search(['blue', 'nothing'], 10), []);
  assert.equal(ix.search(['river'], 1).length, 1);
});

test('remove and removeOwner drop postings', () => {
  const ix = new KeywordIndex();
  ix.add('leaf1', file(1, 'blue-river.mp3'));
  ix.add('leaf2', file(1, 'blue-river.mp3'));
  ix.add('leaf2', file(2, 'green-hills.mp3'));
  assert.equal(ix.searchHash(sha(1), 10).length, 2);
  assert.equal(ix.remove('leaf1', sha(1)), true);
  assert.deepEqual(ix.search(['blue'], 10).map((m) => m.owner), ['leaf2']);
  assert.equal(ix.removeOwner('leaf2'), 2);
  assert.equal(ix.size, 0);
  assert.deepEqual(ix.search(['blue'], 10), []);
  assert.deepEqual([...ix.tokens()], []);
});

test('re-adding a file with a new name replaces its tokens', () => {
  const ix = new KeywordIndex();
  ix.add('o', file(1, 'old-name.mp3'));
  ix.add('o', file(1, 'new-title.mp3'));
  assert.deepEqual(ix.search(['old'], 10), []);
  assert.equal(ix.search(['title'], 10).length, 1);
  assert.equal(ix.size, 1);
});
