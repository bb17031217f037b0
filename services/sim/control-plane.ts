// The control plane at scale: leaves join, supernodes refresh the registry
// and tell their leaves about alternatives, leaves move home and rebalance,
// overloaded supernodes shed, the leader elects from a bounded view — all
// by the core's policies (selection, alternatives, rebalance, shedding,
// candidates, election, timing), stepped once per virtual second. Counts
// what the real node would send: registry round trips and control messages.
import { ALTERNATIVES_MAX, alternativesFingerprint, chooseAlternatives, type Alternative } from '../core/alternatives.js';
import { coefficientOfVariation } from '../core/balance.js';
import { bestCandidates, CANDIDATES_PER_ZONE } from '../core/candidates.js';
import { jittered } from '../core/control-timing.js';
import { decideElection, type ElectionNode } from '../core/election.js';
import { chooseRebalance } from '../core/rebalance.js';
import { chooseUplinks, preferredMove, type Candidate } from '../core/selection.js';
import { shedCount } from '../core/shedding.js';
import type { SimParams } from './params.js';
import type { Population } from './population.js';

/** As services/node: supernode cycle, leader's election, alternatives rate limit (ms). */
export const SUPERNODE_REFRESH_MS = 10_000;
export const ELECTION_INTERVAL_MS = 5_000;
export const ALTERNATIVES_MIN_INTERVAL_MS = 10_000;
export const HOME_MOVE_INTERVAL_MS = 3_000;
/** Leaves join over this window, as a cluster's leaves start over some seconds. */
export const JOIN_WINDOW_MS = 30_000;
/** Then the overlay settles this long... */
export const SETTLE_MS = 60_000;
/** ... and the steady state is measured this long. */
export const STEADY_MS = 120_000;
/** Directory entries a supernode's alternatives are chosen from (a sample of its directory view; all of it up to this size). */
export const DIRECTORY_SAMPLE = 32;
/** Balance and locality are read this long after the last leaf attached. */
export const BALANCE_AFTER_MS = 5_000;

export interface ControlPlaneReport {
  /** Registry round trips per second at steady state (every node's calls together). */
  registryOpsPerSecond: number;
  /** Control messages (Welcome, Alternatives, Redirect, RoleHint) per leaf per minute at steady state. */
  messagesPerLeafPerMinute: number;
  /** The same two while leaves joined and settled. */
  join: { registryOps: number; messagesPerLeaf: number };
  /** Leaves per supernode (coefficient of variation) and share of same-zone uplinks, BALANCE_AFTER_MS after the last leaf attached, and at the end. */
  balance: { cv: number; sameZone: number; atEndCv: number; atEndSameZone: number };
  /** Role changes the leader decided at steady state (0 when the population's election holds). */
  electionChanges: number;
  virtualMs: number;
}

export function simulateControlPlane(p: SimParams, pop: Population, random: () => number): ControlPlaneReport {
  const u = p.uplinks;
  const S = pop.supernodes;
  const isSn = pop.isSupernode;
  const load = new Int32Array(pop.n);
  /** Loads as the directory last saw them (refreshed by each supernode's cycle). */
  const dirLoad = new Int32Array(pop.n);
  const uplinks = new Int32Array(pop.n * u).fill(-1);
  const leavesOf = new Map<number, Set<number>>(S.map((s) => [s, new Set<number>()]));
  const byZone = new Map<number, number[]>();
  for (const s of S) {
    const z = pop.zone[s];
    if (!byZone.has(z)) byZone.set(z, []);
    byZone.get(z)!.push(s);
  }
  const zoneName = (i: number) => `z${pop.zone[i]}`;
  const cand = (s: number, l = dirLoad[s]): Alternative => ({ id: String(s), address: String(s), zone: zoneName(s), score: pop.score[s], leaves: l, leafCapacity: pop.leafCapacity });
  let registryOps = 0;
  let messages = 0;
  const lastMove = new Float64Array(pop.n).fill(-Infinity);

  const sample = (zone: number, k: number): number[] => {
    const out = new Set<number>();
    for (const pool of [byZone.get(zone) ?? [], S]) {
      if (pool.length <= k / 2) pool.forEach((s) => out.add(s));
      else for (let t = 0; t < k; t++) out.add(pool[Math.floor(random() * pool.length)]);
    }
    return [...out];
  };
  const of = (leaf: number) => {
    const out: number[] = [];
    for (let j = 0; j < u; j++) if (uplinks[leaf * u + j] >= 0) out.push(uplinks[leaf * u + j]);
    return out;
  };
  const attach = (leaf: number, s: number) => {
    for (let j = 0; j < u; j++)
      if (uplinks[leaf * u + j] < 0) {
        uplinks[leaf * u + j] = s;
        load[s]++;
        leavesOf.get(s)!.add(leaf);
        messages++; // Welcome (with alternatives)
        return;
      }
  };
  const detach = (leaf: number, s: number) => {
    for (let j = 0; j < u; j++)
      if (uplinks[leaf * u + j] === s) {
        uplinks[leaf * u + j] = -1;
        load[s]--;
        leavesOf.get(s)!.delete(leaf);
      }
  };
  /** A leaf with alternatives in hand: move home, or rebalance (the node's Uplinks.reconsider). */
  const reconsider = (leaf: number, alts: readonly Alternative[], now: number) => {
    if (now - lastMove[leaf] < HOME_MOVE_INTERVAL_MS) return;
    const mine = of(leaf);
    if (mine.length < u) return;
    const known = new Map<string, Candidate>(alts.map((a) => [a.id, a]));
    for (const s of mine) known.set(String(s), cand(s, load[s]));
    const list = [...known.values()];
    const self = { zone: zoneName(leaf) };
    const move =
      preferredMove({ uplinks: mine.map(String), candidates: list, self, count: u, random }) ??
      chooseRebalance({ uplinks: mine.map((s) => known.get(String(s))!), known: list, dialable: new Set(list.map((c) => c.id).filter((id) => !mine.includes(Number(id)))), self, random });
    if (!move) return;
    const to = Number(move.to);
    if (load[to] >= pop.leafCapacity) return;
    lastMove[leaf] = now;
    detach(leaf, Number(move.from));
    attach(leaf, to);
  };
  /** First attach: one registry read (a sample of the directory), then the core's choice. */
  const join = (leaf: number, exclude: number[] = []) => {
    registryOps++;
    const pool = sample(pop.zone[leaf], 8).filter((s) => !exclude.includes(s) && !of(leaf).includes(s));
    const chosen = chooseUplinks({ candidates: pool.map((s) => cand(s, Math.max(dirLoad[s], 0))), self: { zone: zoneName(leaf) }, count: u - of(leaf).length, random });
    for (const c of chosen) {
      const s = Number(c.id);
      if (load[s] < pop.leafCapacity) attach(leaf, s);
    }
  };

  const leaves: number[] = [];
  for (let i = 0; i < pop.n; i++) if (!isSn[i]) leaves.push(i);
  const joinAt = leaves.map(() => Math.floor(random() * JOIN_WINDOW_MS));
  const order = leaves.map((_, k) => k).sort((a, b) => joinAt[a] - joinAt[b]);
  const nextCycle = new Map<number, number>(S.map((s) => [s, jittered(SUPERNODE_REFRESH_MS, random)]));
  const view = new Map<number, number[]>();
  const told = new Map<string, { membership: string; loads: string; at: number }>();
  const end = JOIN_WINDOW_MS + SETTLE_MS + STEADY_MS;
  const lastJoin = joinAt.length ? Math.max(...joinAt) : 0;
  let balanceAt: { cv: number; sameZone: number } | undefined;
  let steadyOps = 0;
  let steadyMessages = 0;
  let joinOps = 0;
  let joinMessages = 0;
  let electionChanges = 0;
  let nextElection = jittered(ELECTION_INTERVAL_MS, random);
  let k = 0;
  const target = Math.max(1, ((pop.n - S.length) * u) / Math.max(1, S.length));
  // Demand by zone as the supernodes' entries report it (every leaf, once joined).
  const leavesByZone: Record<string, number> = {};
  for (const l of leaves) leavesByZone[zoneName(l)] = (leavesByZone[zoneName(l)] ?? 0) + 1;

  for (let now = 0; now <= end; now += 1_000) {
    const steady = now > JOIN_WINDOW_MS + SETTLE_MS;
    const opsBefore = registryOps;
    const msgBefore = messages;
    while (k < order.length && joinAt[order[k]] <= now) join(leaves[order[k++]]);
    for (const s of S) {
      if (nextCycle.get(s)! > now) continue;
      nextCycle.set(s, now + jittered(SUPERNODE_REFRESH_MS, random));
      // setSupernode + directorySince (+ candidates and their decisions where the election runs).
      registryOps += 2;
      dirLoad[s] = load[s];
      // Its view of the directory: the same entries every cycle, as a real supernode's directory is.
      let others = view.get(s);
      if (!others) view.set(s, (others = sample(pop.zone[s], DIRECTORY_SAMPLE).filter((x) => x !== s)));
      const excess = shedCount(load[s], others.map((x) => dirLoad[x]));
      if (excess > 0) {
        const victims = [...leavesOf.get(s)!].slice(-excess);
        for (const leaf of victims) {
          messages++; // Redirect, with alternatives: no registry needed
          detach(leaf, s);
          const alts = chooseAlternatives(others.map((x) => cand(x)), zoneName(leaf)).filter((a) => !of(leaf).includes(Number(a.id)));
          const picked = chooseUplinks({ candidates: alts, self: { zone: zoneName(leaf) }, count: 1, random });
          if (picked.length > 0 && load[Number(picked[0].id)] < pop.leafCapacity) attach(leaf, Number(picked[0].id));
          else join(leaf, [s]);
        }
      }
      const zones = new Map<number, number[]>();
      for (const leaf of leavesOf.get(s)!) {
        const z = pop.zone[leaf];
        if (!zones.has(z)) zones.set(z, []);
        zones.get(z)!.push(leaf);
      }
      for (const [z, ls] of zones) {
        const alts = chooseAlternatives([...others.map((x) => cand(x)), cand(s, load[s])], `z${z}`, ALTERNATIVES_MAX + 1);
        const f = alternativesFingerprint(alts);
        const key = `${s}/${z}`;
        const last = told.get(key);
        if (last && last.membership === f.membership && (last.loads === f.loads || now - last.at < ALTERNATIVES_MIN_INTERVAL_MS)) continue;
        told.set(key, { ...f, at: now });
        if (!last) continue; // The Welcome carried the first list.
        for (const leaf of ls) {
          messages++; // Alternatives
          reconsider(leaf, alts, now);
        }
      }
    }
    if (now >= nextElection) {
      nextElection = now + jittered(ELECTION_INTERVAL_MS, random);
      // Leader: renew + candidate view; every other supernode tries the lease once.
      registryOps += 2 + (S.length - 1);
      const nodes: ElectionNode[] = S.map((s) => ({ id: String(s), score: pop.score[s], eligible: true, role: 'supernode', zone: zoneName(s), leaves: dirLoad[s], leafCapacity: pop.leafCapacity, lastChangeMs: 0 }));
      const candidates = new Map<string, ElectionNode>();
      for (const s of S) {
        const best = bestCandidates(
          [...leavesOf.get(s)!].slice(0, 64).map((l) => ({ id: String(l), zone: zoneName(l), score: pop.score[l], eligible: pop.firewalled[l] === 0, lastChangeMs: 0 })),
          CANDIDATES_PER_ZONE,
        );
        for (const c of best) candidates.set(c.id, { ...c, role: 'leaf', leaves: 0, leafCapacity: 0 });
      }
      const view = [...candidates.values()].sort((a, b) => b.score - a.score).slice(0, 16 * (byZone.size || 1));
      const d = decideElection({ nodes: [...nodes, ...view], leavesByZone, now, options: { targetLeavesPerSupernode: target, minSupernodes: S.length, uplinksPerLeaf: u } });
      if (steady) electionChanges += d.promote.length + d.demote.length;
    }
    if (!balanceAt && now >= lastJoin + BALANCE_AFTER_MS) balanceAt = balance(pop, S, load, uplinks, u);
    if (steady) {
      steadyOps += registryOps - opsBefore;
      steadyMessages += messages - msgBefore;
    } else {
      joinOps += registryOps - opsBefore;
      joinMessages += messages - msgBefore;
    }
  }
  const atEnd = balance(pop, S, load, uplinks, u);
  const steadyS = STEADY_MS / 1000;
  return {
    registryOpsPerSecond: round(steadyOps / steadyS),
    messagesPerLeafPerMinute: round(steadyMessages / Math.max(1, leaves.length) / (steadyS / 60)),
    join: { registryOps: joinOps, messagesPerLeaf: round(joinMessages / Math.max(1, leaves.length)) },
    balance: { cv: balanceAt?.cv ?? atEnd.cv, sameZone: balanceAt?.sameZone ?? atEnd.sameZone, atEndCv: atEnd.cv, atEndSameZone: atEnd.sameZone },
    electionChanges,
    virtualMs: end,
  };
}

function balance(pop: Population, S: readonly number[], load: Int32Array, uplinks: Int32Array, u: number): { cv: number; sameZone: number } {
  let same = 0;
  let all = 0;
  for (let i = 0; i < pop.n; i++) {
    if (pop.isSupernode[i]) continue;
    for (let j = 0; j < u; j++) {
      const s = uplinks[i * u + j];
      if (s < 0) continue;
      all++;
      if (pop.zone[s] === pop.zone[i]) same++;
    }
  }
  return { cv: round(coefficientOfVariation(S.map((s) => load[s]))), sameZone: round(all ? same / all : 0) };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
