import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_POPULAR_TERMS, queryOf, resolveTerms, termsFromTopology, type LearnedTerms } from '../lib/learn.js';
import { tokenize } from '../../services/core/keywords.js';

const sha = (n: number): string => n.toString(16).padStart(64, '0');
const node = (id: string, names: Array<[number, string]>) => ({ id, files: names.map(([n, name]) => ({ sha256: sha(n), name })) });

test('queryOf: a file name as the node tokenizes it, without the extension', () => {
  for (const name of ['blue-river_sonata.mp3', 'Live At The Lake (2004).flac', 'a b cd.ogg', 'no-extension', 'x.tar.gz']) {
    const stem = name.lastIndexOf('.') > 0 ? name.slice(0, name.lastIndexOf('.')) : name;
    assert.equal(queryOf(name), tokenize(stem).join(' '), name);
  }
  // Letters outside ASCII are folded by the node in ways ES2017 cannot follow portably: such names are skipped.
  assert.equal(queryOf('café live.mp3'), '');
  assert.equal(queryOf('.hidden'), 'hidden');
});

test('termsFromTopology: names ranked by holders, the target itself not counted; one holder = rare', () => {
  const topology = {
    nodes: [
      node('target', [[1, 'blue-river.mp3'], [9, 'only-mine.ogg']]),
      node('a', [[1, 'blue-river.mp3'], [2, 'red-sun.mp3'], [3, 'lone-wolf.flac']]),
      node('b', [[1, 'blue-river.mp3'], [2, 'red-sun.mp3'], [1, 'blue-river.mp3']]),
      node('c', [[1, 'blue-river.mp3'], [4, 'café.mp3']]),
      { id: 'empty' },
    ],
  };
  const t = termsFromTopology(topology, 'target');
  assert.deepEqual(t.popular, ['blue river', 'red sun']);
  assert.deepEqual(t.rare, ['lone wolf'], 'only-mine is held by the target alone: it finds nothing from there');
  assert.equal(t.nodes, 5);
  assert.equal(t.files, 4);
  assert.deepEqual(termsFromTopology({}, ''), { popular: [], rare: [], nodes: 0, files: 0 });
});

test('termsFromTopology keeps the lists bounded', () => {
  const many = Array.from({ length: MAX_POPULAR_TERMS + 50 }, (_, i): [number, string] => [i + 1, `song${i}.mp3`]);
  const t = termsFromTopology({ nodes: [node('a', many), node('b', many)] }, '');
  assert.equal(t.popular.length, MAX_POPULAR_TERMS);
});

test('resolveTerms: given lists win, the rest is learned; an overlay with nothing to search fails with what to do', () => {
  const learned: LearnedTerms = { popular: ['p'], rare: ['r'], nodes: 3, files: 9 };
  let asked = 0;
  const learn = () => {
    asked += 1;
    return learned;
  };
  assert.deepEqual(resolveTerms({ popular: ['x'], rare: [] }, learn, 0.1), { popular: ['x'], rare: [], source: 'given' });
  assert.equal(asked, 0, 'nothing learned when both lists are given');
  assert.deepEqual(resolveTerms({ popular: ['x'], rare: null }, learn, 0.1).rare, ['r']);
  assert.deepEqual(resolveTerms({ popular: null, rare: null }, learn, 0.1).popular, ['p']);
  const nothing = (): LearnedTerms => ({ popular: [], rare: [], nodes: 1, files: 0 });
  assert.throws(() => resolveTerms({ popular: null, rare: null }, nothing, 0.1), /shares no name.*TERMS/);
  const onlyRare = (): LearnedTerms => ({ popular: [], rare: ['r'], nodes: 2, files: 1 });
  assert.throws(() => resolveTerms({ popular: null, rare: null }, onlyRare, 0.1), /no popular term/);
  assert.deepEqual(resolveTerms({ popular: null, rare: null }, onlyRare, 1).rare, ['r'], 'RARE_FRACTION=1 needs no popular term');
});
