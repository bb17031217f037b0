// Which supernodes a supernode recommends to its leaves (Welcome, Redirect
// and later updates carry them, as Gnutella's X-Try-Ultrapeers did), and
// whether a new list is worth sending. A leaf learns its alternatives this
// way instead of reading the registry. Pure.
import { freeSlots, type Candidate } from './selection.js';

/** Alternatives per message: enough to re-home twice over, small enough for every Welcome. */
export const ALTERNATIVES_MAX = 6;
/** Loads are compared in steps of this share of capacity: smaller moves are not news. */
export const ALTERNATIVES_LOAD_STEP = 0.1;

/** A supernode as passed on to leaves. */
export interface Alternative extends Candidate {
  address: string;
}

/**
 * Up to `max` supernodes for a leaf of `zone`: those with room first, same
 * zone first, then the least loaded (by share of capacity).
 */
export function chooseAlternatives(known: readonly Alternative[], zone: string, max = ALTERNATIVES_MAX): Alternative[] {
  const load = (a: Alternative): number => (a.leafCapacity > 0 ? a.leaves / a.leafCapacity : 1);
  return [...known]
    .sort(
      (a, b) =>
        Number(freeSlots(b) > 0) - Number(freeSlots(a) > 0) ||
        Number(b.zone === zone) - Number(a.zone === zone) ||
        load(a) - load(b) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, Math.max(0, max));
}

/**
 * What a list says, coarsely: members, zones and loads in steps. Two lists
 * with the same fingerprint need not both be sent. `membership` alone tells
 * a supernode coming or going (urgent) from loads moving (rate-limited).
 */
export function alternativesFingerprint(list: readonly Alternative[]): { membership: string; loads: string } {
  const sorted = [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    membership: sorted.map((a) => `${a.id}@${a.zone}`).join(','),
    loads: sorted.map((a) => Math.round((a.leafCapacity > 0 ? a.leaves / a.leafCapacity : 1) / ALTERNATIVES_LOAD_STEP)).join(','),
  };
}
