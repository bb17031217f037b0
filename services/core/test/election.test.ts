import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideElection, type ElectionNode, type ElectionOptions } from '../election.js';

const HOLD_MS = 30_000;
const opts: Partial<ElectionOptions> = {
  targetLeavesPerSupernode: 10,
  minSupernodes: 2,
  promoteAboveRatio: 1.0,
  demoteBelowRatio: 0.7,
  minRoleHoldMs: HOLD_MS,
  uplinksPerLeaf: 1,
};
const NOW = 1_000_000;

function node(id: string, score: number, extra: Partial<ElectionNode> = {}): ElectionNode {
  return { id, score, eligible: true, role: 'leaf', zone: 'a', leaves: 0, leafCapacity: 64, lastChangeMs: 0, ...extra };
}

/** Apply a decision to the view, as the leader and the promoted nodes would. */
function apply(nodes: ElectionNode[], d: { promote: string[]; demote: string[] }, now: number): ElectionNode[] {
  return nodes.map((x) =>
    d.promote.includes(x.id)
      ? { ...x, role: 'supernode', lastChangeMs: now }
      : d.demote.includes(x.id)
        ? { ...x, role: 'leaf', lastChangeMs: now }
        : x,
  );
}

test('from zero supernodes: the best-scored eligible peers are promoted, best first', () => {
  const nodes = Array.from({ length: 30 }, (_, i) => node(`n${String(i).padStart(2, '0')}`, i));
  const d = decideElection({ nodes, now: NOW, options: opts });
  // 30 nodes, 1 uplink each, target 10: S >= 30/11 -> 3.
  assert.deepEqual(d.promote, ['n29', 'n28', 'n27']);
  assert.deepEqual(d.demote, []);
  assert.equal(d.supernodes, 3);
  assert.ok(d.loadPerSupernode <= 10);
});

test('never fewer than the minimum, even with no load', () => {
  const nodes = [node('a', 5), node('b', 9), node('c', 1)];
  const d = decideElection({ nodes, now: NOW, options: { ...opts, minSupernodes: 2 } });
  assert.deepEqual(d.promote, ['b', 'a']);
});

test('the minimum is capped by the number of eligible peers', () => {
  const nodes = [node('a', 5), node('b', 9, { eligible: false })];
  const d = decideElection({ nodes, now: NOW, options: { ...opts, minSupernodes: 3 } });
  assert.deepEqual(d.promote, ['a']);
});

test('firewalled peers are never promoted, whatever their score', () => {
  const nodes = Array.from({ length: 40 }, (_, i) => node(`n${i}`, i, { eligible: i < 20 }));
  const d = decideElection({ nodes, now: NOW, options: opts });
  assert.ok(d.promote.length > 0);
  for (const id of d.promote) assert.ok(Number(id.slice(1)) < 20, `${id} is firewalled`);
  assert.equal(d.promote[0], 'n19');
});

test('a firewalled supernode is demoted and replaced', () => {
  const nodes = [
    node('fw', 99, { role: 'supernode', eligible: false }),
    node('s1', 50, { role: 'supernode' }),
    ...Array.from({ length: 10 }, (_, i) => node(`l${i}`, i)),
  ];
  const d = decideElection({ nodes, now: NOW, options: opts });
  assert.deepEqual(d.demote, ['fw']);
  assert.deepEqual(d.promote, ['l9']);
});

test('the count follows the target ratio, with two uplinks per leaf', () => {
  for (const n of [10, 50, 200, 1000]) {
    const nodes = Array.from({ length: n }, (_, i) => node(`n${i}`, i % 100));
    const d = decideElection({ nodes, now: NOW, options: { ...opts, uplinksPerLeaf: 2, targetLeavesPerSupernode: 32 } });
    const s = d.supernodes;
    assert.ok(((n - s) * 2) / s <= 32, `n=${n}: load ${d.loadPerSupernode}`);
    // ...and not more than needed: one fewer would overload.
    if (s > 2) assert.ok(((n - s + 1) * 2) / (s - 1) > 32, `n=${n}: ${s} is more than needed`);
  }
});

test('surplus supernodes are demoted lowest score first, down to the demote threshold', () => {
  const sns = Array.from({ length: 10 }, (_, i) => node(`s${i}`, 50 + i, { role: 'supernode' }));
  const leaves = Array.from({ length: 20 }, (_, i) => node(`l${i}`, i));
  const d = decideElection({ nodes: [...sns, ...leaves], now: NOW, options: opts });
  // 30 nodes; load must stay <= 7 after demotion: S >= 30/8 -> 4, so 6 go.
  assert.deepEqual(d.demote, ['s0', 's1', 's2', 's3', 's4', 's5']);
  assert.equal(d.supernodes, 4);
  assert.ok(d.loadPerSupernode <= 7);
});

test('recently promoted supernodes are not demoted (role hold)', () => {
  const sns = Array.from({ length: 6 }, (_, i) => node(`s${i}`, 50 + i, { role: 'supernode', lastChangeMs: i < 3 ? NOW - 1000 : 0 }));
  const d = decideElection({ nodes: sns, now: NOW, options: opts });
  assert.deepEqual(d.demote.sort(), ['s3', 's4', 's5']);
  assert.equal(d.supernodes, 3); // the minimum is 2, but s0..s2 are held
});

test('hysteresis: load oscillating across the promote threshold does not flap', () => {
  let nodes: ElectionNode[] = [];
  let now = NOW;
  let changes = 0;
  const counts: number[] = [];
  // Grow to 66 nodes (6 supernodes at load exactly 10), then oscillate 67/66: 67 needs
  // a 7th; back at 66 the 7 carry 59/7 = 8.4 > 7, so none is demoted again.
  const sizes = [...Array.from({ length: 66 }, (_, i) => i + 1), ...Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 67 : 66))];
  for (const size of sizes) {
    while (nodes.length < size) nodes.push(node(`n${nodes.length}`, nodes.length % 17));
    nodes = nodes.slice(0, size);
    for (let round = 0; round < 3; round++) {
      const d = decideElection({ nodes, now, options: opts });
      changes += d.promote.length + d.demote.length;
      nodes = apply(nodes, d, now);
      now += HOLD_MS; // long enough that holds never block
    }
    counts.push(nodes.filter((x) => x.role === 'supernode').length);
  }
  assert.equal(counts[65], 6);
  assert.deepEqual(new Set(counts.slice(67)), new Set([7]));
  assert.ok(changes <= 8, `${changes} role changes`);
});

test('repeated calls on an unchanged view are idempotent', () => {
  let nodes = Array.from({ length: 100 }, (_, i) => node(`n${i}`, i));
  const first = decideElection({ nodes, now: NOW, options: opts });
  nodes = apply(nodes, first, NOW);
  for (let i = 1; i <= 5; i++) {
    const d = decideElection({ nodes, now: NOW + i * HOLD_MS, options: opts });
    assert.deepEqual([d.promote, d.demote], [[], []]);
  }
});

test('zone spread: promotions go first to zones lacking capacity', () => {
  const nodes = [
    // zone a already has a supernode and few leaves; zone b has many leaves and none.
    node('a-sn', 90, { role: 'supernode', zone: 'a' }),
    ...Array.from({ length: 5 }, (_, i) => node(`a${i}`, 80 + i, { zone: 'a' })),
    ...Array.from({ length: 25 }, (_, i) => node(`b${String(i).padStart(2, '0')}`, 10 + i, { zone: 'b' })),
  ];
  const d = decideElection({ nodes, now: NOW, options: opts });
  // 31 nodes need 3 supernodes: both new ones go to b, its best two, although a's score higher.
  assert.deepEqual(d.promote, ['b24', 'b23']);
});

test('zone spread: three zones from scratch each get a supernode', () => {
  const nodes = ['x', 'y', 'z'].flatMap((z, zi) => Array.from({ length: 20 }, (_, i) => node(`${z}${i}`, zi * 30 + i, { zone: z })));
  const d = decideElection({ nodes, now: NOW, options: opts });
  const zones = new Set(d.promote.map((id) => id[0]));
  assert.deepEqual([...zones].sort(), ['x', 'y', 'z']);
  assert.equal(d.promote.length, 6);
});

test('demotion keeps the last supernode of a zone that has leaves', () => {
  const nodes = [
    node('a1', 1, { role: 'supernode', zone: 'a' }),
    node('b1', 50, { role: 'supernode', zone: 'b' }),
    node('b2', 60, { role: 'supernode', zone: 'b' }),
    node('b3', 70, { role: 'supernode', zone: 'b' }),
    node('al', 0, { zone: 'a' }),
    node('bl', 0, { zone: 'b' }),
  ];
  const d = decideElection({ nodes, now: NOW, options: opts });
  assert.deepEqual(d.demote, ['b1', 'b2']);
});

test('fresh nodes (never changed role) are promotable at once, even at virtual time 0', () => {
  const nodes = Array.from({ length: 50 }, (_, i) => node(`n${i}`, i));
  const d = decideElection({ nodes, now: 1_000, options: opts });
  assert.equal(d.promote.length, 5);
});

test('recently demoted nodes come back only when the minimum needs them', () => {
  const nodes = [node('demoted', 99, { lastChangeMs: NOW - 1_000 }), node('other', 1)];
  assert.deepEqual(decideElection({ nodes, now: NOW, options: { ...opts, minSupernodes: 1 } }).promote, ['other']);
  assert.deepEqual(decideElection({ nodes, now: NOW, options: { ...opts, minSupernodes: 2 } }).promote.sort(), ['demoted', 'other']);
});

test('zone-aware: every zone with leaves gets as many supernodes as a leaf holds uplinks', () => {
  // 60 peers over 3 zones, two uplinks, target 32: the load alone asks for 4 supernodes,
  // which cannot give three zones two each; the zone floor asks for 6.
  const nodes = Array.from({ length: 60 }, (_, i) => node(`n${String(i).padStart(2, '0')}`, 100 - i, { zone: `z${i % 3}` }));
  const d = decideElection({ nodes, now: NOW, options: { ...opts, uplinksPerLeaf: 2, targetLeavesPerSupernode: 32 } });
  const perZone = new Map<string, number>();
  for (const id of d.promote) {
    const z = nodes.find((x) => x.id === id)!.zone;
    perZone.set(z, (perZone.get(z) ?? 0) + 1);
  }
  assert.deepEqual([...perZone.entries()].sort(), [['z0', 2], ['z1', 2], ['z2', 2]]);
  // Each zone's best two.
  assert.deepEqual(d.promote.filter((id) => nodes.find((x) => x.id === id)!.zone === 'z0'), ['n00', 'n03']);
  // A floor never demotes below itself, even when the load alone would.
  const after = apply(nodes, d, NOW - 10 * HOLD_MS);
  assert.deepEqual(decideElection({ nodes: after, now: NOW, options: { ...opts, uplinksPerLeaf: 2, targetLeavesPerSupernode: 32 } }).demote, []);
});

test('zone floor: a zone with one peer or no eligible peer gets none; one leaf always remains', () => {
  const nodes = [
    ...Array.from({ length: 20 }, (_, i) => node(`a${i}`, 50 + i, { zone: 'a' })),
    node('lonely', 99, { zone: 'b' }),
    node('fw1', 99, { zone: 'c', eligible: false }),
    node('fw2', 99, { zone: 'c', eligible: false }),
    node('d1', 80, { zone: 'd' }),
    node('d2', 70, { zone: 'd' }),
  ];
  const d = decideElection({ nodes, now: NOW, options: { ...opts, uplinksPerLeaf: 2, targetLeavesPerSupernode: 32 } });
  assert.ok(!d.promote.includes('lonely') && !d.promote.includes('fw1') && !d.promote.includes('fw2'));
  // Zone d has two peers: one becomes a supernode, one stays a leaf.
  assert.equal(d.promote.filter((id) => id.startsWith('d')).length, 1);
  assert.equal(d.promote.filter((id) => id.startsWith('a')).length, 2);
});

test('from a bounded candidate view: leaves counted by zone, not listed one by one', () => {
  // Two supernodes in zone a; 100 leaves there and 40 in zone b, of which only the best few are candidates.
  const nodes = [
    node('s1', 90, { role: 'supernode', zone: 'a', leaves: 64 }),
    node('s2', 80, { role: 'supernode', zone: 'a', leaves: 64 }),
    node('a-c1', 60, { zone: 'a' }),
    node('a-c2', 50, { zone: 'a' }),
    node('b-c1', 40, { zone: 'b' }),
    node('b-c2', 30, { zone: 'b' }),
  ];
  const d = decideElection({ nodes, leavesByZone: { a: 100, b: 40 }, now: NOW, options: { ...opts, uplinksPerLeaf: 2, targetLeavesPerSupernode: 32 } });
  // 142 peers x 2 / 34 -> 9 supernodes: zone b first gets its floor of two, then the deficit decides.
  assert.ok(d.promote.includes('b-c1') && d.promote.includes('b-c2'));
  assert.deepEqual(d.promote.slice(0, 2), ['b-c1', 'b-c2']);
  assert.equal(d.supernodes, 6, 'every candidate of the bounded view promoted');
});
