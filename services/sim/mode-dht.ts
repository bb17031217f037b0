// The `dht` mode: a Chord ring (services/core/chord.ts) of the elected
// supernodes, each a ChordMember with several ring positions; each leaf
// homes on one supernode and asks it to locate a content hash. The run has
// phases: the ring starts converged, every supernode publishes the records
// of the files it indexes through the real publisher (lookups and batched
// stores to r replicas), then the ring runs its maintenance for a steady
// window whose messages are counted, then (with failFraction) that share of
// members fails at once and every survivor stops its maintenance — the
// searches then measure what replication and fallback alone preserve.
import { createHash } from 'node:crypto';
import { chordId, isMaintenance, type ChordMessage, type ChordRef } from '../core/chord.js';
import { convergeRing } from '../core/chord-converge.js';
import { ChordMember } from '../core/chord-member.js';
import { ChordPublisher } from '../core/chord-publisher.js';
import { RECORD_TTL_MS } from '../core/chord-store.js';
import { Attachments } from './attach.js';
import { LookupTrace } from './dht-trace.js';
import { pickDistinct, range } from './mode-overlay.js';
import type { SearchRecord } from './network.js';
import type { ModeRunner, SimContext } from './runner.js';
import { round } from './stats.js';

/** Ring maintenance periods in the simulation: the node's defaults (services/node/dht.ts). */
export const SIM_STABILIZE_MS = 5_000;
export const SIM_FINGER_MS = 30_000;
/** Longest virtual time the publishing phase may take. */
const PUBLISH_LIMIT_MS = 300_000;

export class DhtRunner implements ModeRunner {
  readonly searchers: number[];
  private readonly members = new Map<number, ChordMember>();
  private readonly publishers = new Map<number, ChordPublisher>();
  private readonly att: Attachments;
  private readonly trace = new LookupTrace();
  private maintenanceMessages = 0;
  private lookupMessages = 0;
  private publishMessages = 0;
  private steadyMessages = 0;
  private locates = 0;
  private locatesFound = 0;
  private failed = 0;
  private recordsWithLiveReplica = 1;
  /** Content hashes some node shares (and so announces): lookups for others cannot succeed. */
  private readonly published = new Set<string>();

  constructor(private readonly c: SimContext) {
    const { pop, net, p } = c;
    this.att = new Attachments(pop, 1, net.alive, c.random);
    for (const s of pop.supernodes) this.makeMember(s);
    convergeRing([...this.members.values()].flatMap((m) => m.nodes));
    for (let i = 0; i < pop.n; i++) if (!pop.isSupernode[i]) this.home(i);
    const leaves = range(pop.n).filter((i) => !pop.isSupernode[i]);
    this.searchers = pickDistinct(leaves.length, p.searchers, c.random).map((j) => leaves[j]);
    this.publish();
    this.steady();
    if (p.failFraction > 0) this.failAtOnce(p.failFraction);
  }

  search(searcher: number, k: number, rec: SearchRecord, done: () => void): boolean {
    const { net, pop, p, cat } = this.c;
    const [home] = this.att.of(searcher);
    if (net.alive[searcher] !== 1 || home === undefined) return false;
    const sha = cat.files[k].sha256;
    rec.queryMessages++;
    net.clock.schedule(net.latency(searcher, home), () => {
      const member = this.members.get(home);
      if (!member || net.alive[home] !== 1) return this.finish(rec, done);
      const counted = this.published.has(sha);
      if (counted) this.locates++;
      member.locate(sha, (providers, hops) => {
        if (counted && providers && providers.length > 0) this.locatesFound++;
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
    this.members.get(i)?.stop();
    this.members.delete(i);
    this.rehomeLeavesOf(i);
  }

  arrive(i: number): void {
    const { net, pop } = this.c;
    net.alive[i] = 1;
    if (!pop.isSupernode[i]) return this.home(i);
    const member = this.makeMember(i);
    const live = [...this.members.values()].filter((m) => m !== member);
    member.join(live.length > 0 ? live[Math.floor(this.c.random() * live.length)].nodes[0].self : null);
  }

  load(): { queries: number[]; leaves: number[] } {
    const { net, pop } = this.c;
    return { queries: pop.supernodes.map((s) => net.handled[s]), leaves: pop.supernodes.map((s) => this.att.leafCount[s]) };
  }

  extra(): Record<string, number> {
    return { chordMaintenanceMessages: this.maintenanceMessages, chordLookupMessages: this.lookupMessages };
  }

  details(): Record<string, unknown> {
    const { p, pop } = this.c;
    const members = pop.supernodes.length;
    const steadyS = p.steadyMs / 1000;
    const ring = this.steadyMessages / members / steadyS;
    // At steady state every record is re-sent once per refresh period, at about what the first publish cost.
    const republish = this.publishMessages / members / (RECORD_TTL_MS / 2 / 1000);
    const loads = pop.supernodes.map((s) => this.members.get(s)?.store.size ?? 0);
    return {
      replicas: p.replicas,
      virtualNodes: p.virtualNodes,
      proximity: p.proximity,
      members,
      keyLoad: keyLoad(loads),
      primaryKeyLoad: keyLoad(this.primaryLoads()),
      maintenanceMessagesPerMemberPerSecond: round(ring + republish),
      ringMessagesPerMemberPerSecond: round(ring),
      republishMessagesPerMemberPerSecond: round(republish),
      publishMessagesPerMember: round(this.publishMessages / members),
      failFraction: p.failFraction,
      failedMembers: this.failed,
      recordsWithLiveReplica: round(this.recordsWithLiveReplica),
      // Over lookups for content someone shares.
      lookupSuccess: round(this.locates ? this.locatesFound / this.locates : 0),
      locates: this.locates,
      lookupLocality: this.trace.report(),
    };
  }

  private publish(): void {
    const { net, pop, cat } = this.c;
    const held = new Map<number, Array<{ sha256: string; provider: string }>>();
    for (let i = 0; i < pop.n; i++) {
      const at = pop.isSupernode[i] ? i : this.att.of(i)[0];
      if (at === undefined) continue;
      let list = held.get(at);
      if (!list) held.set(at, (list = []));
      for (let j = pop.shareStart[i]; j < pop.shareStart[i + 1]; j++) {
        const sha256 = cat.files[pop.fileIds[j]].sha256;
        this.published.add(sha256);
        list.push({ sha256, provider: String(i) });
      }
    }
    let left = 0;
    for (const [s, list] of held) {
      const pub = this.publishers.get(s)!;
      pub.set(list);
      left++;
      net.clock.schedule(this.c.random() * 1_000, () => pub.flush(() => left--));
    }
    const counted = this.countMessages();
    const until = net.clock.now + PUBLISH_LIMIT_MS;
    while (left > 0 && net.clock.now < until) net.clock.run(net.clock.now + 1_000);
    this.publishMessages = this.countMessages() - counted;
  }

  /** Runs the quiet ring for the steady window and counts its messages. */
  private steady(): void {
    const { net, p } = this.c;
    const before = this.maintenanceMessages;
    net.clock.run(net.clock.now + p.steadyMs);
    this.steadyMessages = this.maintenanceMessages - before;
  }

  /** A share of members fails at once; the rest stop repairing, so what is measured is replication and fallback alone. */
  private failAtOnce(fraction: number): void {
    const { pop } = this.c;
    const victims = pickDistinct(pop.supernodes.length, Math.floor(fraction * pop.supernodes.length), this.c.random).map((j) => pop.supernodes[j]);
    for (const s of victims) this.depart(s);
    this.failed = victims.length;
    for (const m of this.members.values()) m.stop();
    const members = [...this.members.values()];
    let live = 0;
    for (const k of this.published) if (members.some((m) => m.store.has(k))) live++;
    this.recordsWithLiveReplica = this.published.size ? live / this.published.size : 1;
  }

  /** Keys per member as primary (the arcs of its positions), over the published keys. */
  private primaryLoads(): number[] {
    const positions = [...this.members.entries()].flatMap(([s, m]) => m.nodes.map((n) => [n.self.id, s] as const)).sort((a, b) => a[0] - b[0]);
    const ids = positions.map((x) => x[0]);
    const count = new Map<number, number>();
    for (const k of this.published) {
      const s = positions[lowerBound(ids, chordId(k)) % ids.length][1];
      count.set(s, (count.get(s) ?? 0) + 1);
    }
    return [...this.members.keys()].map((s) => count.get(s) ?? 0);
  }

  private countMessages(): number {
    return this.maintenanceMessages + this.lookupMessages;
  }

  private finish(rec: SearchRecord, done: () => void): void {
    rec.done = true;
    done();
  }

  private home(leaf: number): void {
    for (const s of this.att.choose(leaf, 1, [])) this.att.add(leaf, s);
  }

  private rehomeLeavesOf(s: number): void {
    const { net, pop } = this.c;
    for (let leaf = 0; leaf < pop.n; leaf++) {
      if (this.att.uplinks[leaf] === s) {
        this.att.remove(leaf, s);
        if (net.alive[leaf] === 1) this.home(leaf);
      }
    }
  }

  private makeMember(s: number): ChordMember {
    const { net, p, pop } = this.c;
    const ids = Array.from({ length: p.virtualNodes }, (_, v) => chordId(createHash('sha256').update(v === 0 ? `p${s}` : `p${s}#${v}`).digest('hex')));
    const member = new ChordMember(
      String(s),
      `z${pop.zone[s]}`,
      ids,
      {
        now: () => net.clock.now,
        setTimer: (ms, fire) => net.clock.schedule(ms, () => net.alive[s] === 1 && fire()),
        send: (to, m, failed) => this.send(s, to, m, failed),
      },
      // The simulation measures the protocol, not the defences: no caps.
      { replicas: p.replicas, proximity: p.proximity, stabilizeMs: SIM_STABILIZE_MS, fingerMs: SIM_FINGER_MS, limits: { maxKeys: Infinity, maxProvidersPerKey: Infinity } },
    );
    this.members.set(s, member);
    this.publishers.set(s, new ChordPublisher(member, () => net.clock.now));
    for (const n of member.nodes) n.startOnConvergedRing();
    return member;
  }

  /** Between members: the zone model's delay; a dead member refuses, and the sender hears so one round trip later. */
  private send(from: number, to: ChordRef, m: ChordMessage, failed?: () => void): void {
    const { net, pop } = this.c;
    const dest = Number(to.address);
    if (dest === from) {
      net.clock.post(0, () => this.members.get(dest)?.receive(to.id, m));
      return;
    }
    if (isMaintenance(m)) this.maintenanceMessages++;
    else this.lookupMessages++;
    if (m.type === 'find_successor' && !m.maintenance) net.handled[dest]++;
    const ms = net.latency(from, dest);
    this.trace.message(m, to.id, `z${pop.zone[from]}`, `z${pop.zone[dest]}`, ms);
    net.clock.post(ms, () => {
      const member = net.alive[dest] === 1 ? this.members.get(dest) : undefined;
      if (member) member.receive(to.id, m);
      else if (failed) net.clock.post(net.latency(dest, from), failed);
    });
  }
}

function keyLoad(loads: number[]): { members: number; mean: number; max: number; maxOverMean: number; cv: number } {
  const n = loads.length;
  const mean = loads.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const max = loads.reduce((a, b) => Math.max(a, b), 0);
  const sd = Math.sqrt(loads.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, n));
  return { members: n, mean: round(mean, 2), max, maxOverMean: round(mean ? max / mean : 0), cv: round(mean ? sd / mean : 0) };
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
