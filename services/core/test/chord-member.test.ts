import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMaintenance, type ChordMessage, type ChordRef } from '../chord.js';
import { convergeRing } from '../chord-converge.js';
import { ChordMember, type MemberOptions } from '../chord-member.js';
import { ChordPublisher } from '../chord-publisher.js';
import { FakeClock, seeded } from './harness.js';

/** Members by address, each with several ring positions; messages delivered FIFO to the position named by ID. */
class Members {
  readonly clock = new FakeClock();
  readonly members = new Map<string, ChordMember>();
  sent = 0;
  stores = 0;
  lookups = 0;
  private queue: Array<{ to: ChordRef; m: ChordMessage }> = [];

  constructor(
    count: number,
    virtualNodes: number,
    seed: number,
    private readonly options: MemberOptions = {},
  ) {
    const random = seeded(seed);
    for (let i = 0; i < count; i++) {
      const address = `m${i}`;
      const ids = Array.from({ length: virtualNodes }, () => Math.floor(random() * 2 ** 32));
      const member = new ChordMember(address, `z${i % 3}`, ids, {
        now: () => this.clock.now,
        send: (to, m) => {
          if (to.address !== address) {
            this.sent++;
            if (m.type === 'store') this.stores++;
            if (m.type === 'find_successor' && isMaintenance(m)) this.lookups++;
          }
          this.queue.push({ to, m });
        },
        setTimer: (ms, fire) => this.clock.setTimer(ms, fire),
      }, this.options);
      this.members.set(address, member);
    }
    convergeRing([...this.members.values()].flatMap((m) => m.nodes));
  }

  run(): void {
    while (this.queue.length > 0) {
      const { to, m } = this.queue.shift()!;
      this.members.get(to.address)?.receive(to.id, m);
    }
  }

  /** Keys held per member over the mean. */
  maxOverMean(): number {
    const loads = [...this.members.values()].map((m) => m.store.size);
    return Math.max(...loads) / (loads.reduce((a, b) => a + b, 0) / loads.length);
  }
}

const hash = (i: number): string => ((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0') + (i % 256).toString(16).padStart(2, '0').repeat(28);

function publishAll(world: Members, keys: number, refreshMs?: number): ChordPublisher[] {
  const members = [...world.members.values()];
  const pubs = members.map((m) => new ChordPublisher(m, () => world.clock.now, refreshMs));
  pubs.forEach((p, i) => p.set(Array.from({ length: Math.ceil(keys / members.length) }, (_, j) => ({ sha256: hash(j * members.length + i), provider: `peer-${i}` }))));
  for (const p of pubs) p.flush();
  world.run();
  return pubs;
}

test('lookups through members with eight positions each end at the key’s true successor position', () => {
  const world = new Members(50, 8, 2);
  const positions = [...world.members.values()].flatMap((m) => m.nodes.map((n) => n.self)).sort((a, b) => a.id - b.id);
  const random = seeded(6);
  let wrong = 0;
  for (let q = 0; q < 300; q++) {
    const key = Math.floor(random() * 2 ** 32);
    const owner = positions.find((p) => p.id >= key) ?? positions[0];
    world.members.get(`m${q % 50}`)!.lookup(key, (node) => node?.id !== owner.id && wrong++);
  }
  world.run();
  assert.equal(wrong, 0);
});

test('virtual nodes even out the keys each member holds', () => {
  const one = new Members(100, 1, 8);
  publishAll(one, 4000);
  const eight = new Members(100, 8, 8);
  publishAll(eight, 4000);
  const a = one.maxOverMean();
  const b = eight.maxOverMean();
  assert.ok(b < a, `max/mean ${b} with 8 positions vs ${a} with 1`);
  assert.ok(b <= 2, `max/mean ${b}`);
  // Every record is on r = 3 distinct members.
  const held = [...eight.members.values()].reduce((s, m) => s + m.store.size, 0);
  assert.equal(held, 3 * 4000);
});

test('publishing is incremental: one lookup per arc, stores batched per member, nothing again until records near expiry', () => {
  const world = new Members(16, 8, 3, { limits: { ttlMs: 60_000 } });
  const pubs = publishAll(world, 2000, 30_000);
  const arcs = 16 * 8;
  assert.ok(world.lookups <= 16 * arcs, `lookups ${world.lookups}`);
  // One store per (publisher, replica member): at most 16 × 15.
  assert.ok(world.stores <= 16 * 15, `stores ${world.stores}`);
  const sent = world.sent;
  for (const p of pubs) p.flush();
  world.run();
  assert.equal(world.sent, sent, 'a second flush with nothing new sends nothing');
  // One new file: one lookup (or none, its arc is cached) and three stores.
  pubs[0].set([...Array.from({ length: 125 }, (_, j) => ({ sha256: hash(j * 16), provider: 'peer-0' })), { sha256: hash(99_999), provider: 'peer-0' }]);
  pubs[0].flush();
  world.run();
  assert.ok(world.sent - sent <= 3 + 8, `new record cost ${world.sent - sent}`);
  // Records are refreshed at half their lifetime, so none expires.
  world.clock.advance(31_000);
  const before = world.stores;
  for (const p of pubs) p.flush();
  world.run();
  assert.ok(world.stores > before);
  world.clock.advance(31_000);
  for (const m of world.members.values()) m.store.expire(world.clock.now);
  const located: Array<string[] | null> = [];
  world.members.get('m5')!.locate(hash(99_999), (p) => located.push(p));
  world.run();
  assert.deepEqual(located, [['peer-0']]);
});
