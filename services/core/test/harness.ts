// A tiny deterministic world for core tests: a fake clock with timers, a
// seeded random, and links that deliver descriptors in FIFO order when the
// test calls run(). No sockets, no sleeps.
import type { Descriptor } from '../descriptor.js';
import type { Environment, LinkId, Observation, Timer } from '../environment.js';
import type { PeerInfo } from '../peer.js';
import type { Servent } from '../servent.js';
import { Supernode } from '../supernode.js';

export class FakeClock {
  now = 0;
  private timers: Array<{ at: number; fire: () => void; live: boolean }> = [];
  setTimer(afterMs: number, fire: () => void): Timer {
    const t = { at: this.now + afterMs, fire, live: true };
    this.timers.push(t);
    return { cancel: () => (t.live = false) };
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.now = due.at;
      due.live = false;
      due.fire();
    }
    this.now = until;
  }
}

export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sent {
  from: string;
  link: LinkId;
  d: Descriptor;
}

/** Nodes by name; a link "a>b" on node a delivers into node b as link "b>a". */
export class World {
  readonly clock = new FakeClock();
  readonly random = seeded(7);
  readonly nodes = new Map<string, Servent>();
  readonly observations = new Map<string, Observation[]>();
  readonly wire: Sent[] = [];
  private queue: Sent[] = [];

  env(name: string): Environment {
    const obs: Observation[] = [];
    this.observations.set(name, obs);
    return {
      now: () => this.clock.now,
      random: this.random,
      send: (link, d) => {
        const sent = { from: name, link, d: structuredClone(d) };
        this.queue.push(sent);
        this.wire.push(sent);
      },
      setTimer: (ms, fire) => this.clock.setTimer(ms, fire),
      observe: (o) => obs.push(o),
    };
  }

  add<T extends Servent>(name: string, make: (env: Environment) => T): T {
    const node = make(this.env(name));
    this.nodes.set(name, node);
    return node;
  }

  /** Delivers queued descriptors until quiet; returns how many were delivered. */
  run(limit = 100_000): number {
    let n = 0;
    while (this.queue.length > 0 && n < limit) {
      const { from, link, d } = this.queue.shift()!;
      const [a, b] = link.split('>');
      if (a !== from) throw new Error(`link ${link} sent from ${from}`);
      const target = this.nodes.get(b);
      if (!target) continue;
      try {
        target.receive(`${b}>${a}`, d);
      } catch {
        // counted by the core as invalid
      }
      n++;
    }
    return n;
  }

  count(name: string, match: (o: Observation) => boolean): number {
    return (this.observations.get(name) ?? []).filter(match).length;
  }
}

export function peer(name: string, extra: Partial<PeerInfo> = {}): PeerInfo {
  const hex = Buffer.from(name.padEnd(16, '.').slice(0, 16)).toString('hex');
  return {
    nodeId: name,
    serventId: hex,
    zone: 'z1',
    grpcAddress: `127.0.0.1:${1000 + name.length}`,
    httpAddress: `127.0.0.1:${2000 + name.length}`,
    firewalled: false,
    score: 50,
    role: 'leaf',
    leafCapacity: 10,
    ...extra,
  };
}

export function sha(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/** A world of supernodes, each edge linked both ways. */
export function supernodeGraph(names: string[], edges: Array<[string, string]>): World {
  const w = new World();
  for (const n of names) w.add(n, (env) => new Supernode(peer(n, { role: 'supernode' }), env));
  for (const [a, b] of edges) {
    (w.nodes.get(a) as Supernode).linkUp(`${a}>${b}`, peer(b, { role: 'supernode' }));
    (w.nodes.get(b) as Supernode).linkUp(`${b}>${a}`, peer(a, { role: 'supernode' }));
  }
  return w;
}
