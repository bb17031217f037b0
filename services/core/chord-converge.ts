// A converged Chord ring computed directly (for simulations and tests that
// start from a stable ring): every position's predecessor, successor list
// and fingers as the maintenance protocol would leave them, proximity
// finger choice included.
import { CHORD_BITS, MAX_SUCCESSORS, type ChordNode, type ChordRef } from './chord.js';

const RING = 2 ** CHORD_BITS;

export function convergeRing(nodes: readonly ChordNode[]): void {
  const sorted = [...nodes].sort((a, b) => a.self.id - b.self.id);
  const ids = sorted.map((n) => n.self.id);
  const n = sorted.length;
  const indexOf = (key: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo % n;
  };
  /** The successor list a position just before index i holds: from i on, r distinct members. */
  const listFrom = (i: number, r: number, skip: number): ChordRef[] => {
    const out: ChordRef[] = [];
    const members = new Set<string>();
    for (let k = 0; k < n && members.size < r && out.length < MAX_SUCCESSORS; k++) {
      const ref = sorted[(i + k) % n].self;
      if (ref.id === skip) continue;
      out.push(ref);
      members.add(ref.address);
    }
    return out;
  };
  sorted.forEach((node, i) => {
    const r = node.options.replicas;
    node.settleConverged(sorted[(i - 1 + n) % n].self, listFrom((i + 1) % n, r, node.self.id));
    for (let b = 0; b < CHORD_BITS; b++) {
      const at = indexOf((node.self.id + 2 ** b) % RING);
      node.fingers[b] = n === 1 ? node.self : node.chooseFinger(b, listFrom(at, r, node.self.id));
    }
  });
}
