// Candidate reporting: a supernode tells the registry about its best few
// eligible leaves per zone, so the leader elects from a bounded set that
// grows with the supernodes, not with the peers. Pure.

/** Leaves each supernode reports per zone: with two uplinks per leaf, a leaf is seen twice. */
export const CANDIDATES_PER_ZONE = 2;

export interface LeafCandidate {
  id: string;
  zone: string;
  score: number;
  /** Can be promoted: role elected and not firewalled. */
  eligible: boolean;
  lastChangeMs: number;
}

/** The best `perZone` eligible leaves of each zone, best first. */
export function bestCandidates(leaves: readonly LeafCandidate[], perZone = CANDIDATES_PER_ZONE): LeafCandidate[] {
  const byZone = new Map<string, LeafCandidate[]>();
  for (const l of leaves) {
    if (!l.eligible) continue;
    let list = byZone.get(l.zone);
    if (!list) byZone.set(l.zone, (list = []));
    list.push(l);
  }
  const out: LeafCandidate[] = [];
  for (const list of byZone.values()) {
    list.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    out.push(...list.slice(0, perZone));
  }
  return out;
}
