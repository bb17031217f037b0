// Load rebalancing by a leaf, after the fact: an uplink well above the mean
// load moves to a supernode well below it, in the same zone (its own or the
// heavy uplink's). Each leaf moves only now and then, at random, so the
// leaves of a busy supernode do not all leave at once. Pure.
import type { Candidate } from './selection.js';

/** Move off an uplink above mean × 1.1 ... */
export const REBALANCE_ABOVE_MEAN = 1.1;
/** ... to one below mean × 0.9. */
export const REBALANCE_BELOW_MEAN = 0.9;
/** Chance per look that a leaf on a heavy uplink moves. */
export const REBALANCE_PROBABILITY = 0.2;
/** A move evens two loads only when they differ by more than two leaves. */
export const REBALANCE_MIN_GAP = 3;

export interface RebalanceInput {
  /** Its uplinks now. */
  uplinks: readonly Candidate[];
  /** Every supernode it knows, uplinks included (the mean is over these). */
  known: readonly Candidate[];
  /** Ids it may move to now (not failing, not pending). */
  dialable: ReadonlySet<string>;
  self: { zone: string };
  random: () => number;
}

export function chooseRebalance(input: RebalanceInput): { from: string; to: string } | null {
  if (input.random() > REBALANCE_PROBABILITY || input.known.length === 0) return null;
  const mean = input.known.reduce((a, k) => a + k.leaves, 0) / input.known.length;
  const heavy = input.uplinks.filter((k) => k.leaves > mean * REBALANCE_ABOVE_MEAN).sort((a, b) => b.leaves - a.leaves)[0];
  if (!heavy) return null;
  const mine = new Set(input.uplinks.map((u) => u.id));
  const light = input.known
    .filter((k) => !mine.has(k.id) && input.dialable.has(k.id) && k.leaves < mean * REBALANCE_BELOW_MEAN && k.leaves < k.leafCapacity && heavy.leaves - k.leaves >= REBALANCE_MIN_GAP)
    .filter((k) => k.zone === heavy.zone || k.zone === input.self.zone)
    .sort((a, b) => a.leaves - b.leaves)[0];
  return light ? { from: heavy.id, to: light.id } : null;
}
