// The searches a benchmark sends, drawn from the cluster's actual file names
// the way file-sharing queries are: popular files (ranked by how many peers
// hold them) with Zipf weights, plus a share of rare files held by one peer.
import { deriveSeed, randomInt, seededRandom } from '../core/random.js';
import { queryOf, type GroundTruth } from './truth.js';

/** Classic Zipf exponent of query popularity in file-sharing traces. */
export const DEFAULT_QUERY_ZIPF_S = 1.0;
/** Share of searches for a file only one peer holds. */
export const DEFAULT_RARE_FRACTION = 0.1;

export interface PlannedSearch {
  origin: string;
  criteria: string;
  kind: 'popular' | 'rare';
  /** When it is due, ms after the phase starts (open loop: whatever happened before). */
  atMs: number;
}

export interface WorkloadOptions {
  seed: number;
  rate: number;
  durationMs: number;
  origins: string[];
  zipfS?: number;
  rareFraction?: number;
}

export class TermSource {
  readonly popular: string[];
  readonly rare: string[];
  private readonly cdf: Float64Array;

  constructor(truth: GroundTruth, zipfS = DEFAULT_QUERY_ZIPF_S) {
    const names = new Map<string, string>();
    for (const n of truth.nodes.values()) for (const f of n.files) names.set(f.sha256, f.name);
    const ranked = [...names.entries()].sort((a, b) => truth.replicasOf(b[0]) - truth.replicasOf(a[0]) || (a[1] < b[1] ? -1 : 1));
    this.popular = ranked.map(([, name]) => queryOf(name)).filter((q) => q.length > 0);
    this.rare = ranked.filter(([sha]) => truth.replicasOf(sha) === 1).map(([, name]) => queryOf(name)).filter((q) => q.length > 0);
    if (this.rare.length === 0) this.rare = this.popular.slice(-Math.max(1, Math.floor(this.popular.length / 10)));
    this.cdf = new Float64Array(this.popular.length);
    let sum = 0;
    for (let k = 0; k < this.popular.length; k++) this.cdf[k] = sum += 1 / Math.pow(k + 1, zipfS);
    for (let k = 0; k < this.cdf.length; k++) this.cdf[k] /= sum;
  }

  draw(random: () => number, rareFraction: number): { criteria: string; kind: 'popular' | 'rare' } {
    if (random() < rareFraction) return { criteria: this.rare[randomInt(random, this.rare.length)], kind: 'rare' };
    const u = random();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return { criteria: this.popular[lo], kind: 'popular' };
  }
}

/** Evenly spaced arrivals at `rate` per second for `durationMs`. */
export function planSearches(terms: TermSource, o: WorkloadOptions): PlannedSearch[] {
  const random = seededRandom(deriveSeed(o.seed, `workload:${o.rate}`));
  const count = Math.max(1, Math.round((o.rate * o.durationMs) / 1000));
  const out: PlannedSearch[] = [];
  for (let i = 0; i < count; i++) {
    const { criteria, kind } = terms.draw(random, o.rareFraction ?? DEFAULT_RARE_FRACTION);
    out.push({ origin: o.origins[randomInt(random, o.origins.length)], criteria, kind, atMs: (i * 1000) / o.rate });
  }
  return out;
}
