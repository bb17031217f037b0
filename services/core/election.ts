// Supernode election: given the registry's view of live nodes, decide who is
// promoted and who is demoted. Pure and deterministic; the leader (the lease
// holder) calls it on every view change and applies the result.
//
// The count follows load. With S supernodes and N nodes, each of the N - S
// leaves holds `uplinksPerLeaf` attachments, so load per supernode is
// (N - S) * u / S. Promote until load <= target * promoteAboveRatio; demote
// only while load would stay <= target * demoteBelowRatio. Between the two
// ratios nothing changes, so a count at a boundary does not flap.

export type Role = 'supernode' | 'leaf';

export interface ElectionNode {
  id: string;
  /** Participation score 0..100. */
  score: number;
  /** false when firewalled: never promoted; demoted if it somehow is a supernode. */
  eligible: boolean;
  role: Role;
  zone: string;
  /** Leaves attached now (supernodes only). */
  leaves: number;
  leafCapacity: number;
  /** When the node last changed role, ms on the view's clock; 0 if it never did (a fresh node is not held). */
  lastChangeMs: number;
}

export interface ElectionOptions {
  /** Attachments a supernode should hold at most. */
  targetLeavesPerSupernode: number;
  /** Never fewer supernodes than this (if enough eligible nodes exist). */
  minSupernodes: number;
  /** Promote when load per supernode exceeds target * this. */
  promoteAboveRatio: number;
  /** Demote only while the remaining supernodes stay at or below target * this. */
  demoteBelowRatio: number;
  /** A node keeps a new role at least this long (unless the minimum needs it). */
  minRoleHoldMs: number;
  /** Uplinks each leaf holds, so one leaf loads this many supernodes. */
  uplinksPerLeaf: number;
}

export const DEFAULT_ELECTION_OPTIONS: ElectionOptions = {
  /** Half the default leaf capacity (64): room to absorb a failed neighbour's leaves. */
  targetLeavesPerSupernode: 32,
  /** Two, so losing one supernode never leaves the overlay without one. */
  minSupernodes: 2,
  promoteAboveRatio: 1.0,
  /** 0.7: a 30% band between promote and demote thresholds keeps roles stable. */
  demoteBelowRatio: 0.7,
  /** 30 s: longer than a leaf takes to re-home, so a change settles before the next. */
  minRoleHoldMs: 30_000,
  /** Leaves keep two uplinks by default (see selection.ts). */
  uplinksPerLeaf: 2,
};

export interface ElectionView {
  /** Supernodes and promotion candidates (all peers, or a bounded top few per zone). */
  nodes: readonly ElectionNode[];
  /**
   * Peers that are not supernodes, by zone, when `nodes` holds only a sample
   * of them (the registry's bounded candidate view). Default: counted from `nodes`.
   */
  leavesByZone?: Readonly<Record<string, number>>;
  now: number;
  options?: Partial<ElectionOptions>;
}

export interface ElectionDecision {
  promote: string[];
  demote: string[];
  /** Eligible supernodes after applying the decision. */
  supernodes: number;
  /** Attachments per supernode after applying the decision (Infinity with none). */
  loadPerSupernode: number;
}

/** Smallest S with (N - S) * u <= S * limit, i.e. S >= N*u / (limit + u). */
function supernodesFor(n: number, u: number, limit: number): number {
  if (n === 0) return 0;
  return Math.ceil((n * u) / (limit + u) - 1e-9);
}

function byScoreDesc(a: ElectionNode, b: ElectionNode): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

interface ZoneLoad {
  leaves: number;
  supernodes: number;
  /** Eligible peers of the zone (supernodes and candidates). */
  eligible: number;
}

export function decideElection(view: ElectionView): ElectionDecision {
  const o: ElectionOptions = { ...DEFAULT_ELECTION_OPTIONS, ...view.options };
  const target = Math.max(1, o.targetLeavesPerSupernode);
  const u = Math.max(1, o.uplinksPerLeaf);
  const held = (x: ElectionNode): boolean => x.lastChangeMs > 0 && view.now - x.lastChangeMs < o.minRoleHoldMs;
  const zones = new Map<string, ZoneLoad>();
  const zone = (z: string): ZoneLoad => {
    let l = zones.get(z);
    if (!l) zones.set(z, (l = { leaves: 0, supernodes: 0, eligible: 0 }));
    return l;
  };
  for (const x of view.nodes) {
    if (x.eligible) zone(x.zone).eligible++;
    if (x.role === 'supernode' && x.eligible) zone(x.zone).supernodes++;
    else if (!view.leavesByZone) zone(x.zone).leaves++;
  }
  for (const [z, count] of Object.entries(view.leavesByZone ?? {})) zone(z).leaves += Math.max(0, count);
  // Ineligible supernodes are about to be demoted: they count as leaves of their zone.
  if (view.leavesByZone) for (const x of view.nodes) if (x.role === 'supernode' && !x.eligible) zone(x.zone).leaves++;
  let n = 0;
  for (const l of zones.values()) n += l.leaves + l.supernodes;

  const eligibleCount = view.nodes.filter((x) => x.eligible).length;
  const minimum = Math.min(o.minSupernodes, eligibleCount);
  const promoteTo = Math.min(eligibleCount, Math.max(minimum, supernodesFor(n, u, target * o.promoteAboveRatio)));
  const demoteTo = Math.max(minimum, supernodesFor(n, u, target * o.demoteBelowRatio));

  // Ineligible supernodes (became firewalled) are always demoted; their leaves re-home.
  const demote = view.nodes.filter((x) => x.role === 'supernode' && !x.eligible).map((x) => x.id);
  const sn = view.nodes.filter((x) => x.role === 'supernode' && x.eligible);

  // Zone-aware: a zone with leaves gets as many supernodes as a leaf holds
  // uplinks (as far as its eligible peers allow, keeping one leaf), so its
  // leaves can stay in zone. The floor is fixed before anyone moves.
  const floors = new Map<string, number>();
  for (const [z, l] of zones) floors.set(z, l.leaves > 0 ? Math.min(u, l.eligible, l.leaves + l.supernodes - 1) : 0);
  const floor = (z: string): number => floors.get(z) ?? 0;
  // Uncovered demand of a zone, in attachments: positive when it lacks capacity.
  const deficit = (z: string): number => {
    const l = zone(z);
    return l.leaves * u - l.supernodes * target;
  };

  const promote: string[] = [];
  let count = sn.length;
  const free = view.nodes.filter((x) => x.role === 'leaf' && x.eligible).sort(byScoreDesc);
  const pool = free.filter((x) => !held(x));
  // Recently demoted nodes come back only when the minimum can't be met otherwise.
  const reserve = free.filter(held);
  // First every zone up to its floor, its best candidates first.
  for (const x of [...pool]) {
    if (zone(x.zone).supernodes >= floor(x.zone)) continue;
    pool.splice(pool.indexOf(x), 1);
    promote.push(x.id);
    zone(x.zone).leaves--;
    zone(x.zone).supernodes++;
    count++;
  }
  if (count < promoteTo) {
    while (count < promoteTo) {
      const pick = pickPromotion(pool, deficit) ?? (count < minimum ? reserve.shift() : undefined);
      if (!pick) break;
      pool.splice(pool.indexOf(pick), 1);
      promote.push(pick.id);
      zone(pick.zone).leaves--;
      zone(pick.zone).supernodes++;
      count++;
    }
  } else if (count > demoteTo && promote.length === 0) {
    const lowest = sn.filter((x) => !held(x)).sort(byScoreDesc).reverse();
    while (count > demoteTo && lowest.length > 0) {
      // Lowest score first, but never below a zone's floor, nor the last supernode of a zone that has leaves.
      const i = lowest.findIndex((x) => zone(x.zone).supernodes > Math.max(1, floor(x.zone)) || zone(x.zone).leaves === 0);
      if (i < 0) break;
      const [pick] = lowest.splice(i, 1);
      demote.push(pick.id);
      zone(pick.zone).supernodes--;
      zone(pick.zone).leaves++;
      count--;
    }
  }
  return { promote, demote, supernodes: count, loadPerSupernode: count === 0 ? Infinity : ((n - count) * u) / count };
}

/**
 * The zone with the largest uncovered demand gets the next supernode (its best
 * candidate); when every zone is covered, the best candidate anywhere.
 */
function pickPromotion(pool: ElectionNode[], deficit: (zone: string) => number): ElectionNode | undefined {
  let best: ElectionNode | undefined;
  let bestDeficit = 0;
  for (const x of pool) {
    const d = deficit(x.zone);
    // pool is sorted by score, so the first candidate seen per zone is its best.
    // Strict: on equal deficits the zone whose best candidate scores higher wins.
    if (d > bestDeficit) {
      best = x;
      bestDeficit = d;
    }
  }
  return best ?? pool[0];
}
