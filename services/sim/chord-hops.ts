// Chord lookup hops against theory: N core ChordNodes on a converged ring
// (convergeRing), random keys looked up from random members through the
// recursive find_successor protocol on the simulator's event queue, every
// answer checked against the true successor. Chord predicts ½·log2 N hops.
import { createHash } from 'node:crypto';
import { ChordNode, chordId, type ChordRef } from '../core/chord.js';
import { convergeRing } from '../core/chord-converge.js';
import { deriveSeed, seededRandom } from '../core/random.js';
import { EventQueue } from './event-queue.js';
import { round } from './stats.js';

export interface ChordHops {
  nodes: number;
  lookups: number;
  meanHops: number;
  /** ½·log2 N. */
  predicted: number;
  /** |mean − predicted| / predicted. */
  relativeError: number;
  /** Lookups that ended at the wrong node or not at all (must be 0). */
  wrong: number;
  /** Hop counts by index. */
  histogram: number[];
}

/** Chord's 32-bit identifier space. */
const ID_SPACE = 2 ** 32;

export function measureChordHops(n: number, lookups: number, seed = 1): ChordHops {
  const random = seededRandom(deriveSeed(seed, `chord-${n}`));
  const clock = new EventQueue();
  const byAddress = new Map<string, ChordNode>();
  const taken = new Set<number>();
  const nodes: ChordNode[] = [];
  for (let i = 0; nodes.length < n && i < 4 * n; i++) {
    // Same derivation as the dht mode: the ID is the hash of the node's name.
    const id = chordId(createHash('sha256').update(`chord-${seed}-${i}`).digest('hex'));
    if (taken.has(id)) continue;
    taken.add(id);
    const self: ChordRef = { id, address: `n${i}` };
    const node = new ChordNode(
      self,
      {
        now: () => clock.now,
        setTimer: (ms, fire) => clock.schedule(ms, fire),
        send: (to, m) => clock.post(0, () => byAddress.get(to.address)?.receive(m)),
      },
      // One position per node and no zones: the hop count Chord's analysis predicts.
      { proximity: false },
    );
    byAddress.set(self.address, node);
    nodes.push(node);
  }
  convergeRing(nodes);
  const ids = nodes.map((x) => x.self.id).sort((a, b) => a - b);
  const owner = (key: number): number => {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return ids[lo % ids.length];
  };
  const histogram: number[] = [];
  let total = 0;
  let wrong = 0;
  for (let q = 0; q < lookups; q++) {
    const from = nodes[Math.floor(random() * nodes.length)];
    const key = Math.floor(random() * ID_SPACE);
    let answered = false;
    from.lookup(key, (node, hops) => {
      answered = true;
      if (node?.id !== owner(key)) wrong++;
      total += hops;
      while (histogram.length <= hops) histogram.push(0);
      histogram[hops]++;
    });
    clock.run();
    if (!answered) wrong++;
  }
  const predicted = 0.5 * Math.log2(nodes.length);
  const meanHops = total / lookups;
  return { nodes: nodes.length, lookups, meanHops: round(meanHops), predicted: round(predicted), relativeError: round(Math.abs(meanHops - predicted) / predicted), wrong, histogram };
}
