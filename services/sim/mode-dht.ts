// The `dht` mode: a Chord ring (services/core/chord.ts) of the elected
// supernodes; each leaf homes on one supernode and asks it to locate a
// content hash; the supernode runs the Chord lookup and fetches the provider
// records. The ring starts converged (convergeRing) and provider records are
// placed where publish() would put them, without simulating the publish
// traffic; under churn the maintenance protocol runs for real and records on a
// departed node are lost (no replication).
import { createHash } from 'node:crypto';
import { ChordNode, chordId, convergeRing, type ChordMessage } from '../core/chord.js';
import { Attachments } from './attach.js';
import { pickDistinct, range } from './mode-overlay.js';
import type { SearchRecord } from './network.js';
import type { ModeRunner, SimContext } from './runner.js';

export class DhtRunner implements ModeRunner {
  readonly searchers: number[];
  private readonly chord = new Map<number, ChordNode>();
  private readonly att: Attachments;
  private maintenanceMessages = 0;
  private lookupMessages = 0;

  constructor(private readonly c: SimContext) {
    const { pop, net, p } = c;
    this.att = new Attachments(pop, 1, net.alive, c.random);
    for (const s of pop.supernodes) this.makeNode(s);
    convergeRing([...this.chord.values()]);
    const bySuccessor = [...this.chord.values()].sort((a, b) => a.self.id - b.self.id);
    const ids = bySuccessor.map((n) => n.self.id);
    for (let i = 0; i < pop.n; i++) {
      for (let j = pop.shareStart[i]; j < pop.shareStart[i + 1]; j++) {
        const sha = c.cat.files[pop.fileIds[j]].sha256;
        const owner = bySuccessor[lowerBound(ids, chordId(sha)) % ids.length];
        owner.keep(sha, [String(i)]);
      }
      if (!pop.isSupernode[i]) this.home(i);
    }
    if (p.churn > 0) for (const n of this.chord.values()) n.join(null);
    const leaves = range(pop.n).filter((i) => !pop.isSupernode[i]);
    this.searchers = pickDistinct(leaves.length, p.searchers, c.random).map((j) => leaves[j]);
  }

  search(searcher: number, k: number, rec: SearchRecord, done: () => void): boolean {
    const { net, pop, p, cat } = this.c;
    const [home] = this.att.of(searcher);
    if (net.alive[searcher] !== 1 || home === undefined) return false;
    const sha = cat.files[k].sha256;
    rec.queryMessages++;
    net.clock.schedule(net.latency(searcher, home), () => {
      const node = this.chord.get(home);
      if (!node || net.alive[home] !== 1) return this.finish(rec, done);
      node.locate(sha, (providers, hops) => {
        // Recursive lookup: `hops` find_successor messages and one reply, then fetch and its answer.
        rec.queryMessages += (hops > 0 ? hops + 1 : 0) + 2;
        rec.hitMessages++;
        net.clock.schedule(net.latency(home, searcher), () => {
          const at = net.clock.now - rec.issuedAt;
          for (const who of providers ?? []) {
            const i = Number(who);
            if (net.alive[i] !== 1 || i === searcher || rec.results >= p.maxResults) continue;
            rec.results++;
            rec.hops.push(hops);
            if (pop.zone[i] === pop.zone[searcher]) rec.sameZoneResults++;
            rec.firstHitMs ??= at;
          }
          this.finish(rec, done);
        });
      });
    });
    return true;
  }

  depart(i: number): void {
    const { net, pop } = this.c;
    net.alive[i] = 0;
    if (!pop.isSupernode[i]) {
      for (const s of this.att.of(i)) this.att.remove(i, s);
      return;
    }
    this.chord.get(i)?.stop();
    this.chord.delete(i);
    for (let leaf = 0; leaf < pop.n; leaf++) {
      if (this.att.uplinks[leaf] === i) {
        this.att.remove(leaf, i);
        if (net.alive[leaf] === 1) this.home(leaf);
      }
    }
  }

  arrive(i: number): void {
    const { net, pop } = this.c;
    net.alive[i] = 1;
    if (!pop.isSupernode[i]) return this.home(i);
    const node = this.makeNode(i);
    const live = [...this.chord.values()].filter((n) => n !== node);
    node.join(live.length > 0 ? live[Math.floor(this.c.random() * live.length)].self : null);
  }

  load(): { queries: number[]; leaves: number[] } {
    const { net, pop } = this.c;
    return { queries: pop.supernodes.map((s) => net.handled[s]), leaves: pop.supernodes.map((s) => this.att.leafCount[s]) };
  }

  extra(): Record<string, number> {
    return { chordMaintenanceMessages: this.maintenanceMessages, chordLookupMessages: this.lookupMessages };
  }

  private finish(rec: SearchRecord, done: () => void): void {
    rec.done = true;
    done();
  }

  private home(leaf: number): void {
    for (const s of this.att.choose(leaf, 1, [])) this.att.add(leaf, s);
  }

  private makeNode(s: number): ChordNode {
    const { net } = this.c;
    const id = chordId(createHash('sha256').update(`p${s}`).digest('hex'));
    const node = new ChordNode(
      { id, address: String(s) },
      {
        now: () => net.clock.now,
        setTimer: (ms, fire) => net.clock.schedule(ms, () => net.alive[s] === 1 && fire()),
        send: (to, m) => this.send(s, Number(to), m),
      },
      // The simulation measures the protocol, not the defences: no caps.
      { maxKeys: Infinity, maxProvidersPerKey: Infinity },
    );
    this.chord.set(s, node);
    return node;
  }

  private send(from: number, to: number, m: ChordMessage): void {
    const { net } = this.c;
    if (m.type === 'get_state' || m.type === 'state' || m.type === 'notify' || m.type === 'store') this.maintenanceMessages++;
    else this.lookupMessages++;
    if (m.type === 'find_successor') net.handled[to]++;
    net.clock.schedule(net.latency(from, to), () => {
      if (net.alive[to] === 1) this.chord.get(to)?.receive(m);
    });
  }
}

function lowerBound(ids: number[], key: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
