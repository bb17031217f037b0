// How a leaf chooses its supernodes. Candidates are ranked by free capacity,
// score and measured RTT; same-zone candidates are tried first. Among those,
// the leaf samples two at random and takes the better (power of two choices):
// nearly as even as always taking the least loaded, but thousands of leaves
// acting on the same stale directory don't all pile onto one supernode.
// Pure: randomness is injected.

export interface Candidate {
  id: string;
  /** Participation score 0..100. */
  score: number;
  zone: string;
  leaves: number;
  leafCapacity: number;
  /** Round-trip time measured by Ping/Pong; undefined when not measured yet. */
  rttMs?: number;
}

/** Uplinks a leaf keeps: losing one supernode loses no searchability. */
export const DEFAULT_UPLINKS = 2;
/** Free capacity decides most: it is what spreads the load. */
export const RANK_WEIGHT_FREE = 0.5;
/** Better-scored supernodes are likelier to stay up. */
export const RANK_WEIGHT_SCORE = 0.3;
/** RTT matters less inside a cluster, where zones already capture distance. */
export const RANK_WEIGHT_RTT = 0.2;
/** RTT at which the RTT term is worth half: 20 ms is a cross-zone hop. */
export const RTT_HALF_MS = 20;
/** Unmeasured RTT is assumed to be this (neutral, not best, so measured-fast peers win). */
export const RTT_UNKNOWN_MS = RTT_HALF_MS;
/** Move back to the own zone only into a supernode at least this free, so moves don't refill it at once. */
export const REHOME_MIN_FREE_FRACTION = 0.25;

export function freeSlots(c: Candidate): number {
  return Math.max(0, c.leafCapacity - c.leaves);
}

function freeFraction(c: Candidate): number {
  return c.leafCapacity > 0 ? freeSlots(c) / c.leafCapacity : 0;
}

/** Higher is better; zone is handled separately (as a tier, not a weight). */
export function candidateRank(c: Candidate): number {
  const rtt = c.rttMs ?? RTT_UNKNOWN_MS;
  return (
    RANK_WEIGHT_FREE * freeFraction(c) +
    RANK_WEIGHT_SCORE * Math.min(1, Math.max(0, c.score / 100)) +
    RANK_WEIGHT_RTT * (RTT_HALF_MS / (RTT_HALF_MS + Math.max(0, rtt)))
  );
}

/** Candidates with free capacity, same zone first, then by rank (for display and fallbacks). */
export function rankCandidates(candidates: readonly Candidate[], self: { zone: string }): Candidate[] {
  return candidates
    .filter((c) => freeSlots(c) > 0)
    .sort((a, b) => Number(b.zone === self.zone) - Number(a.zone === self.zone) || candidateRank(b) - candidateRank(a) || (a.id < b.id ? -1 : 1));
}

export interface ChooseUplinksInput {
  candidates: readonly Candidate[];
  self: { zone: string };
  /** How many to choose (default DEFAULT_UPLINKS). */
  count?: number;
  /** Ids to skip: current uplinks, the node itself, supernodes that just failed. */
  exclude?: Iterable<string>;
  /** Uniform in [0, 1). */
  random: () => number;
}

/** Sample two distinct members of `pool` and return the better-ranked one. */
function twoChoices(pool: readonly Candidate[], random: () => number): Candidate {
  if (pool.length === 1) return pool[0];
  const i = Math.min(pool.length - 1, Math.floor(random() * pool.length));
  let j = Math.min(pool.length - 2, Math.floor(random() * (pool.length - 1)));
  if (j >= i) j++;
  const a = pool[i];
  const b = pool[j];
  return candidateRank(b) > candidateRank(a) ? b : a;
}

/**
 * Up to `count` distinct supernodes with free capacity: each one by power of
 * two choices among same-zone candidates, or among all when the zone has none left.
 */
export function chooseUplinks(input: ChooseUplinksInput): Candidate[] {
  const excluded = new Set(input.exclude ?? []);
  let remaining = input.candidates.filter((c) => !excluded.has(c.id) && freeSlots(c) > 0);
  const chosen: Candidate[] = [];
  const count = input.count ?? DEFAULT_UPLINKS;
  while (chosen.length < count && remaining.length > 0) {
    const local = remaining.filter((c) => c.zone === input.self.zone);
    const pick = twoChoices(local.length > 0 ? local : remaining, input.random);
    chosen.push(pick);
    remaining = remaining.filter((c) => c.id !== pick.id);
  }
  return chosen;
}

export interface RehomeInput {
  /** Ids of the supernodes this leaf is attached to now. */
  uplinks: readonly string[];
  /** The directory as last seen (live supernodes). */
  candidates: readonly Candidate[];
  self: { zone: string };
  count?: number;
}

/** A cross-zone uplink could move home: a same-zone supernode, not yet an uplink, has room. */
function homeTargets(input: RehomeInput): Candidate[] {
  const mine = new Set(input.uplinks);
  return input.candidates.filter(
    (c) => c.zone === input.self.zone && !mine.has(c.id) && freeSlots(c) > 0 && freeFraction(c) >= REHOME_MIN_FREE_FRACTION,
  );
}

function crossZoneUplinks(input: RehomeInput): Candidate[] {
  const byId = new Map(input.candidates.map((c) => [c.id, c]));
  return input.uplinks.flatMap((id) => {
    const c = byId.get(id);
    return c && c.zone !== input.self.zone ? [c] : [];
  });
}

/**
 * Whether the leaf should change uplinks now: one dropped (missing from the
 * directory or fewer than `count`), or a cross-zone uplink can move home.
 */
export function shouldRehome(input: RehomeInput): boolean {
  const live = new Set(input.candidates.map((c) => c.id));
  const count = input.count ?? DEFAULT_UPLINKS;
  const alive = input.uplinks.filter((id) => live.has(id)).length;
  if (alive < count && input.candidates.some((c) => !input.uplinks.includes(c.id) && freeSlots(c) > 0)) return true;
  return crossZoneUplinks(input).length > 0 && homeTargets(input).length > 0;
}

/**
 * One move back to the own zone: the worst-ranked cross-zone uplink → a
 * same-zone supernode with room (power of two choices). One at a time, so a
 * freed supernode is not stampeded by every leaf of the zone at once.
 */
export function preferredMove(input: RehomeInput & { random: () => number }): { from: string; to: string } | null {
  const away = crossZoneUplinks(input);
  const targets = homeTargets(input);
  if (away.length === 0 || targets.length === 0) return null;
  const from = away.reduce((worst, c) => (candidateRank(c) < candidateRank(worst) ? c : worst));
  return { from: from.id, to: twoChoices(targets, input.random).id };
}
