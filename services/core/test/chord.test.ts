import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHORD_BITS, ChordNode, chordId, inHalfOpen, isMaintenance, type ChordMessage, type ChordOptions, type ChordRef } from '../chord.js';
import { convergeRing } from '../chord-converge.js';
import { FakeClock, seeded } from './harness.js';

const PERIOD_MS = 1_000;

/** FIFO delivery between Chord nodes by address, on a fake clock; a dead node's messages fail back to the sender. */
class Ring {
  readonly clock = new FakeClock();
  readonly nodes = new Map<string, ChordNode>();
  readonly dead = new Set<string>();
  messages = 0;
  maintenance = 0;
  private queue: Array<{ to: ChordRef; m: ChordMessage; failed?: () => void }> = [];

  constructor(protected readonly options: Partial<ChordOptions> = {}) {}

  add(id: number, zone?: string): ChordNode {
    const self: ChordRef = { id, address: `n${id}`, zone };
    const node = new ChordNode(
      self,
      {
        now: () => this.clock.now,
        send: (to, m, failed) => {
          this.messages++;
          if (isMaintenance(m)) this.maintenance++;
          this.queue.push({ to, m, failed });
        },
        setTimer: (ms, fire) => this.clock.setTimer(ms, () => !this.dead.has(self.address) && fire()),
      },
      { stabilizeMs: PERIOD_MS, fingerMs: PERIOD_MS, ...this.options },
    );
    this.nodes.set(self.address, node);
    return node;
  }

  run(limit = 1_000_000): void {
    for (let n = 0; this.queue.length > 0 && n < limit; n++) {
      const { to, m, failed } = this.queue.shift()!;
      if (this.dead.has(to.address)) failed?.();
      else this.nodes.get(to.address)?.receive(m);
    }
  }

  /** Maintenance rounds: advance the clock one period at a time, delivering in between. */
  rounds(k: number): void {
    for (let i = 0; i < k; i++) {
      this.clock.advance(PERIOD_MS);
      this.run();
    }
  }

  kill(node: ChordNode): void {
    this.dead.add(node.self.address);
    node.stop();
  }

  live(): ChordNode[] {
    return [...this.nodes.values()].filter((n) => !this.dead.has(n.self.address)).sort((a, b) => a.self.id - b.self.id);
  }
}

const EIGHTH = 2 ** (CHORD_BITS - 3);
const sha = (i: number): string => (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0') + 'ab'.repeat(28);

test('ring intervals wrap around', () => {
  assert.ok(inHalfOpen(5, 10, 5));
  assert.ok(inHalfOpen(11, 10, 5));
  assert.ok(!inHalfOpen(7, 10, 5));
  assert.ok(inHalfOpen(7, 3, 3));
  assert.equal(chordId('ffffffff' + '0'.repeat(56)), 2 ** 32 - 1);
});

test('eight evenly spaced nodes: fingers and a one-hop lookup as computed by hand', () => {
  const r = new Ring();
  const nodes = Array.from({ length: 8 }, (_, i) => r.add(i * EIGHTH));
  convergeRing(nodes);
  const n0 = nodes[0];
  for (let b = 0; b <= CHORD_BITS - 3; b++) assert.equal(n0.fingers[b]!.id, EIGHTH, `finger ${b}`);
  assert.equal(n0.fingers[CHORD_BITS - 2]!.id, 2 * EIGHTH);
  assert.equal(n0.fingers[CHORD_BITS - 1]!.id, 4 * EIGHTH);
  assert.equal(n0.predecessor!.id, 7 * EIGHTH);
  assert.deepEqual(
    n0.successors.map((s) => s.id),
    [1, 2, 3].map((k) => k * EIGHTH),
  );
  const got: Array<[number | undefined, number]> = [];
  n0.lookup(4 * EIGHTH + 5, (node, hops) => got.push([node?.id, hops]));
  n0.lookup(3, (node, hops) => got.push([node?.id, hops]));
  r.run();
  // Key just past node 4: forwarded once to node 4 (finger 31), whose successor node 5 holds it.
  assert.deepEqual(got, [
    [EIGHTH, 0],
    [5 * EIGHTH, 1],
  ]);
});

test('nodes joining one by one through the protocol converge to correct successor lists and fingers', () => {
  const r = new Ring({ proximity: false });
  const random = seeded(3);
  const first = r.add(Math.floor(random() * 2 ** 32));
  first.join(null);
  for (let i = 0; i < 19; i++) {
    r.add(Math.floor(random() * 2 ** 32)).join(first.self);
    r.run();
    r.rounds(2);
  }
  r.rounds(2 * CHORD_BITS);
  const live = r.live();
  live.forEach((n, i) => {
    assert.deepEqual(
      n.successors.map((s) => s.id),
      [1, 2, 3].map((k) => live[(i + k) % live.length].self.id),
    );
    assert.equal(n.predecessor!.id, live[(i - 1 + live.length) % live.length].self.id);
  });
  const reference = live.map((n) => new ChordNode({ ...n.self }, { now: () => 0, send: () => {}, setTimer: () => ({ cancel() {} }) }, { proximity: false }));
  convergeRing(reference);
  live.forEach((n, i) => assert.deepEqual(n.fingers.map((f) => f?.id), reference[i].fingers.map((f) => f?.id)));
});

test('a record is stored on r = 3 distinct members and survives its primary and the next replica failing at once', () => {
  const r = new Ring();
  const random = seeded(9);
  const nodes = Array.from({ length: 40 }, () => r.add(Math.floor(random() * 2 ** 32)));
  convergeRing(nodes);
  const key = sha(1);
  nodes[0].publish(key, 'peer-1');
  r.run();
  const holders = r.live().filter((n) => n.store.has(key));
  assert.equal(holders.length, 3);
  const sorted = r.live();
  const primary = sorted.find((n) => n.self.id >= chordId(key)) ?? sorted[0];
  assert.ok(holders.includes(primary));
  // No repair: the lookup steps around the dead and the locate falls back along the successor list.
  for (const n of nodes) n.stop();
  r.kill(primary);
  r.kill(holders.find((h) => h !== primary)!);
  const found: Array<string[] | null> = [];
  for (const n of r.live().slice(0, 10)) n.locate(key, (p) => found.push(p));
  r.run();
  assert.deepEqual(found, Array.from({ length: 10 }, () => ['peer-1']));
});

test('after failures the ring repairs itself and records are back on r live members', () => {
  const r = new Ring();
  const random = seeded(5);
  const nodes = Array.from({ length: 40 }, () => r.add(Math.floor(random() * 2 ** 32)));
  convergeRing(nodes);
  for (const n of nodes) n.join(null);
  const keys = Array.from({ length: 60 }, (_, i) => sha(i + 100));
  for (const [i, k] of keys.entries()) nodes[i % 40].publish(k, `peer-${i}`);
  r.run();
  for (const i of [3, 4, 5, 17, 30]) r.kill(nodes[i]);
  r.rounds(12);
  const live = r.live();
  live.forEach((n, i) => assert.equal(n.successor.id, live[(i + 1) % live.length].self.id));
  for (const k of keys) assert.equal(live.filter((n) => n.store.has(k)).length >= 3, true, `replicas of ${k}`);
  const found: Array<string[] | null> = [];
  for (const [i, k] of keys.entries()) live[i % live.length].locate(k, (p) => found.push(p));
  r.run();
  assert.equal(found.filter((p) => p && p.length === 1).length, keys.length);
});

test('a member that joins takes over the keys of its arc; one that leaves hands them on', () => {
  const r = new Ring();
  const nodes = [0, 2, 4, 6].map((k) => r.add(k * EIGHTH));
  convergeRing(nodes);
  for (const n of nodes) n.join(null);
  const key = (3 * EIGHTH).toString(16).padStart(8, '0') + 'cd'.repeat(28);
  nodes[0].publish(key, 'peer-9');
  r.run();
  assert.ok(nodes[2].store.has(key)); // successor of 3/8 is 4/8
  const joiner = r.add(3 * EIGHTH + 7);
  joiner.join(nodes[0].self);
  r.run();
  r.rounds(4);
  assert.ok(joiner.store.has(key), 'joiner took over its key');
  assert.equal(joiner.predecessor?.id, 2 * EIGHTH);
  // Leaving with r = 1 shows the hand-over alone (no replicas to fall back on).
  const single = new Ring({ replicas: 1 });
  const ones = [0, 2, 4, 6].map((k) => single.add(k * EIGHTH));
  convergeRing(ones);
  ones[0].publish(key, 'peer-9');
  single.run();
  assert.ok(ones[2].store.has(key) && !ones[3].store.has(key));
  ones[2].leave();
  single.run();
  assert.ok(ones[3].store.has(key), 'the successor received the leaving member’s records');
});

test('a quiet converged ring sends two stabilise messages per position per period and nothing else once fingers are fixed', () => {
  const r = new Ring({ fingerMs: 10_000 * PERIOD_MS });
  const random = seeded(21);
  const nodes = Array.from({ length: 30 }, () => r.add(Math.floor(random() * 2 ** 32)));
  convergeRing(nodes);
  for (const n of nodes) n.join(null);
  r.rounds(5); // past the fast rounds that follow a join
  const before = r.messages;
  r.rounds(10);
  assert.equal(r.messages - before, 30 * 2 * 10);
  assert.equal(r.maintenance, r.messages);
});

test('proximity finger choice picks same-zone fingers more often than the zone-blind choice, with the same lookups', () => {
  const zoneOf = (i: number): string => `z${i % 3}`;
  const share = (proximity: boolean): number => {
    const r = new Ring({ proximity });
    const random = seeded(4);
    const nodes = Array.from({ length: 300 }, (_, i) => r.add(Math.floor(random() * 2 ** 32), zoneOf(i)));
    convergeRing(nodes);
    let same = 0;
    let total = 0;
    for (const n of nodes) {
      for (const f of new Set(n.fingers)) {
        total++;
        if (f!.zone === n.self.zone) same++;
      }
    }
    let wrong = 0;
    const sorted = r.live();
    for (let q = 0; q < 200; q++) {
      const key = Math.floor(random() * 2 ** 32);
      const owner = sorted.find((n) => n.self.id >= key) ?? sorted[0];
      nodes[q].lookup(key, (node) => node?.id !== owner.self.id && wrong++);
    }
    r.run();
    assert.equal(wrong, 0);
    return same / total;
  };
  const blind = share(false);
  const near = share(true);
  assert.ok(near > blind + 0.15, `same-zone fingers ${near} vs ${blind}`);
});

test('Chord mean lookup hops for N = 1000 is within 10% of ½·log2 N', () => {
  const r = new Ring({ proximity: false });
  const random = seeded(11);
  const nodes = Array.from({ length: 1000 }, () => r.add(Math.floor(random() * 2 ** 32)));
  convergeRing(nodes);
  const sorted = [...nodes].sort((a, b) => a.self.id - b.self.id);
  let hops = 0;
  let wrong = 0;
  const lookups = 4000;
  for (let i = 0; i < lookups; i++) {
    const from = nodes[Math.floor(random() * nodes.length)];
    const key = Math.floor(random() * 2 ** 32);
    const owner = sorted.find((n) => n.self.id >= key) ?? sorted[0];
    from.lookup(key, (node, h) => {
      hops += h;
      if (node?.id !== owner.self.id) wrong++;
    });
    r.run();
  }
  const mean = hops / lookups;
  const expected = 0.5 * Math.log2(1000);
  assert.equal(wrong, 0);
  assert.ok(Math.abs(mean - expected) / expected < 0.1, `mean ${mean} vs ${expected}`);
});

/** Delivery as the real node does it: every message is a call, and answers come back on the call. */
class CallRing extends Ring {
  readonly sentTo: Array<{ from: string; to: string; type: string }> = [];
  private calls: Array<{ from: string; to: string; m: ChordMessage }> = [];

  override add(id: number): ChordNode {
    const self: ChordRef = { id, address: `n${id}` };
    const node = new ChordNode(
      self,
      {
        now: () => this.clock.now,
        send: (to, m) => {
          this.sentTo.push({ from: self.address, to: to.address, type: m.type });
          this.calls.push({ from: self.address, to: to.address, m });
        },
        setTimer: (ms, fire) => this.clock.setTimer(ms, () => fire()),
      },
      this.options,
    );
    this.nodes.set(self.address, node);
    return node;
  }

  override run(limit = 1_000_000): void {
    for (let n = 0; this.calls.length > 0 && n < limit; n++) {
      const { from, to, m } = this.calls.shift()!;
      // The answer goes back to the caller, whatever the message names.
      this.nodes.get(to)?.receive(m, (answer) => this.nodes.get(from)?.receive(answer));
    }
  }
}

test('answers come back on the call, along the path; lookups resolve with the same hops', () => {
  const r = new CallRing();
  const random = seeded(5);
  const nodes = Array.from({ length: 64 }, () => r.add(Math.floor(random() * 2 ** 32)));
  convergeRing(nodes);
  const sorted = [...nodes].sort((a, b) => a.self.id - b.self.id);
  let wrong = 0;
  let multiHop = 0;
  for (let i = 0; i < 200; i++) {
    const from = nodes[Math.floor(random() * nodes.length)];
    const key = Math.floor(random() * 2 ** 32);
    const owner = sorted.find((n) => n.self.id >= key) ?? sorted[0];
    let got: number | undefined;
    from.lookup(key, (node, hops) => {
      got = node?.id;
      if (hops > 1) multiHop++;
    });
    r.run();
    if (got !== owner.self.id) wrong++;
  }
  assert.equal(wrong, 0);
  assert.ok(multiHop > 0, 'some lookups were forwarded more than once');
  assert.deepEqual(new Set(r.sentTo.map((s) => s.type)), new Set(['find_successor']), 'no answer was sent to a named address');
});

test('a forged origin or from gets no answer: the answer goes to the caller', () => {
  const r = new CallRing();
  const a = r.add(10);
  const b = r.add(20);
  convergeRing([a, b]);
  const answers: ChordMessage[] = [];
  const victim = { id: 99, address: 'victim:1' };
  b.receive({ type: 'get_state', req: 1, from: victim, notify: false }, (m) => answers.push(m));
  b.receive({ type: 'fetch', req: 2, sha256: 'cd'.repeat(32), from: victim }, (m) => answers.push(m));
  b.receive({ type: 'find_successor', req: 3, key: 15, origin: victim, hops: 1, maintenance: false }, (m) => answers.push(m));
  r.run();
  assert.deepEqual(answers.map((m) => m.type), ['state', 'providers', 'found']);
  assert.ok(r.sentTo.every((s) => s.to !== victim.address), 'nothing sent to the named address');
});

test('records: keys per member and providers per key are capped, refusals reported; records expire', () => {
  const refused: string[] = [];
  let now = 0;
  const node = new ChordNode(
    { id: 1, address: 'n1' },
    { now: () => now, send: () => {}, setTimer: () => ({ cancel() {} }), refused: (r) => refused.push(r) },
    { limits: { maxKeys: 3, maxProvidersPerKey: 2, ttlMs: 1_000 } },
  );
  for (let k = 0; k < 5; k++) node.keep(k.toString(16).padStart(64, '0'), ['p']);
  assert.equal(node.store.size, 3);
  node.keep('0'.repeat(64), ['q', 'r', 's']);
  assert.deepEqual(node.providersOf('0'.repeat(64)), ['p', 'q']);
  assert.deepEqual(refused, ['chord_keys', 'chord_keys', 'chord_providers', 'chord_providers']);
  now = 500;
  node.keep('0'.repeat(64), ['p']); // republished: lives on
  now = 1_200;
  assert.deepEqual(node.providersOf('0'.repeat(64)), ['p']);
  for (let i = 0; i < 10; i++) node.tick();
  assert.equal(node.store.size, 1, 'expired keys swept');
  assert.equal(node.recordCount, 1);
});
