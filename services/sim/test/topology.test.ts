// Hand-computable cases: a line, a ring and a star, through simulateTopology.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateTopology, type SimTopology } from '../topology.js';

const file = (n: number, name: string) => ({ sha256: n.toString(16).padStart(64, '0'), name, size: 1 });

function ring(n: number, fileAt: number): SimTopology {
  return {
    supernodes: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, files: i === fileAt ? [file(1, 'blue whale.mp3')] : [] })),
    links: Array.from({ length: n }, (_, i) => [`s${i}`, `s${(i + 1) % n}`] as [string, string]),
  };
}

test('flood on a ring of 10 with TTL t sends exactly 2t query messages (t < n/2) and finds what is within t', () => {
  for (const t of [1, 2, 3, 4]) {
    const r = simulateTopology(ring(10, 3), [{ from: 's0', criteria: 'blue whale', ttl: t }]);
    assert.equal(r.perQuery[0].queryMessages, 2 * t, `ttl ${t}`);
    assert.equal(r.perQuery[0].results, t >= 3 ? 1 : 0);
    if (t >= 3) {
      assert.deepEqual(r.perQuery[0].hops, [3]);
      // The hit walks back 3 links.
      assert.equal(r.perQuery[0].hitMessages, 3);
    }
  }
});

test('flood on a ring of 6 with TTL 5: both directions meet, 7 sends (2 per level, then s3 forwards once more to s4, a duplicate)', () => {
  // Each of the 2 directions travels until the ring closes; the two fronts cross on the last link.
  const r = simulateTopology(ring(6, 3), [{ from: 's0', criteria: 'blue whale', ttl: 5 }]);
  assert.equal(r.perQuery[0].results, 1);
  assert.equal(r.perQuery[0].queryMessages, 7);
});

test('line of 4 supernodes with leaves: a leaf finds a file 4 hops away (leaf→A→B→C→D)', () => {
  const topo: SimTopology = {
    supernodes: ['A', 'B', 'C', 'D'].map((id) => ({ id })),
    links: [
      ['A', 'B'],
      ['B', 'C'],
      ['C', 'D'],
    ],
    leaves: [
      { id: 'la', supernodes: ['A'] },
      { id: 'ld', supernodes: ['D'], files: [file(2, 'red fox.ogg')] },
    ],
  };
  const r = simulateTopology(topo, [{ from: 'la', criteria: 'red fox', ttl: 4 }]);
  assert.deepEqual(r.perQuery[0].hops, [4]);
  // la→A, A→B, B→C, C→D: 4 query messages; the hit D→C→B→A→la: 4.
  assert.equal(r.perQuery[0].queryMessages, 4);
  assert.equal(r.perQuery[0].hitMessages, 4);
});

test('star: hub with 8 spokes, TTL 2 from a spoke reaches all (1 + 7 messages); QRP prunes the last hop to the one match', () => {
  const spokes = Array.from({ length: 8 }, (_, i) => `s${i}`);
  const topo: SimTopology = {
    supernodes: [{ id: 'hub' }, ...spokes.map((id, i) => ({ id, files: i === 5 ? [file(3, 'green tea.txt')] : [file(10 + i, `other thing ${i}.txt`)] }))],
    links: spokes.map((s) => ['hub', s] as [string, string]),
  };
  const q = [{ from: 's0', criteria: 'green tea', ttl: 2 }];
  const flood = simulateTopology(topo, q);
  assert.equal(flood.perQuery[0].queryMessages, 8);
  assert.deepEqual(flood.perQuery[0].hops, [2]);
  const qrp = simulateTopology(topo, q, { qrp: true });
  assert.equal(qrp.perQuery[0].queryMessages, 2);
  assert.deepEqual(qrp.perQuery[0].hops, [2]);
});
