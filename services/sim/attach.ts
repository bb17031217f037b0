// Which supernodes a leaf attaches to: the core's chooseUplinks (same zone
// first, power of two choices by free capacity, score and RTT), offered a
// bounded random sample of live supernodes rather than all of them — a leaf
// on the real overlay also only knows the supernodes its registry view or
// Pongs named. The sample keeps 1,000,000 attachments near-linear.
import { chooseUplinks, type Candidate } from '../core/selection.js';
import type { Population } from './population.js';

/** Supernodes offered to one leaf's choice: 4 from its zone and 4 from anywhere. */
export const ATTACH_SAMPLE_PER_TIER = 4;

export class Attachments {
  /** uplinks[leaf * u + j]: supernode peer index, or -1. */
  readonly uplinks: Int32Array;
  readonly leafCount: Int32Array;
  private readonly byZone: number[][];

  constructor(
    private readonly pop: Population,
    private readonly u: number,
    private readonly alive: Uint8Array,
    private readonly random: () => number,
  ) {
    this.uplinks = new Int32Array(pop.n * u).fill(-1);
    this.leafCount = new Int32Array(pop.n);
    const zones = pop.zone.reduce((m, z) => Math.max(m, z), 0) + 1;
    this.byZone = Array.from({ length: zones }, () => []);
    for (const s of pop.supernodes) this.byZone[pop.zone[s]].push(s);
  }

  /** Supernodes of a leaf now. */
  of(leaf: number): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.u; j++) if (this.uplinks[leaf * this.u + j] >= 0) out.push(this.uplinks[leaf * this.u + j]);
    return out;
  }

  /** Chooses up to `count` new supernodes for a leaf; returns them (the caller attaches). */
  choose(leaf: number, count: number, exclude: number[]): number[] {
    const sample = new Set<number>();
    const pools = [this.byZone[this.pop.zone[leaf]], this.pop.supernodes];
    for (const pool of pools) {
      for (let t = 0, got = 0; pool.length > 0 && got < ATTACH_SAMPLE_PER_TIER && t < 4 * ATTACH_SAMPLE_PER_TIER; t++) {
        const s = pool[Math.floor(this.random() * pool.length)];
        if (this.alive[s] !== 1 || exclude.includes(s) || this.leafCount[s] >= this.pop.leafCapacity || sample.has(s)) continue;
        sample.add(s);
        got++;
      }
    }
    if (sample.size < count) {
      // Sampling missed (a crowded or mostly dead zone): scan for any room, bounded by the supernode count.
      for (const s of this.pop.supernodes) {
        if (sample.size >= count) break;
        if (this.alive[s] === 1 && !exclude.includes(s) && this.leafCount[s] < this.pop.leafCapacity) sample.add(s);
      }
    }
    const candidates: Candidate[] = [...sample].map((s) => ({
      id: String(s),
      score: this.pop.score[s],
      zone: `z${this.pop.zone[s]}`,
      leaves: this.leafCount[s],
      leafCapacity: this.pop.leafCapacity,
    }));
    return chooseUplinks({ candidates, self: { zone: `z${this.pop.zone[leaf]}` }, count, random: this.random }).map((c) => Number(c.id));
  }

  add(leaf: number, sn: number): void {
    for (let j = 0; j < this.u; j++) {
      if (this.uplinks[leaf * this.u + j] < 0) {
        this.uplinks[leaf * this.u + j] = sn;
        this.leafCount[sn]++;
        return;
      }
    }
  }

  remove(leaf: number, sn: number): void {
    for (let j = 0; j < this.u; j++) {
      if (this.uplinks[leaf * this.u + j] === sn) {
        this.uplinks[leaf * this.u + j] = -1;
        this.leafCount[sn]--;
      }
    }
  }
}

/** A connected random graph of average degree ≈ `degree`: a shuffled ring plus random chords. */
export function randomGraph(members: readonly number[], degree: number, random: () => number): Array<[number, number]> {
  const m = members.length;
  if (m < 2) return [];
  const order = [...members];
  for (let i = m - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const edges: Array<[number, number]> = [];
  const seen = new Set<string>();
  const add = (a: number, b: number): void => {
    if (a === b) return;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push([a, b]);
  };
  for (let i = 0; i < m; i++) add(order[i], order[(i + 1) % m]);
  const target = Math.min(Math.floor((m * degree) / 2), (m * (m - 1)) / 2);
  for (let t = 0; edges.length < target && t < 20 * target; t++) add(order[Math.floor(random() * m)], order[Math.floor(random() * m)]);
  return edges;
}
