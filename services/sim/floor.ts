// The floor of messages for one search: how many supernodes hold a match
// (index a live owner of a matching file), as the benchmark counts it on a
// real cluster. No routing scheme can reach them all with fewer query
// messages, so messages per query divided by this says how close routing is.
import { uniqueTokens } from '../core/keywords.js';
import type { FileEntry } from '../core/descriptor.js';
import type { Population } from './population.js';

export class MatchFloor {
  private byToken: Map<string, number[]> | undefined;
  private ownersOf: number[][] | undefined;

  constructor(
    private readonly files: readonly FileEntry[],
    private readonly pop: Population,
    /** Supernodes a leaf is attached to now. */
    private readonly uplinksOf: (leaf: number) => readonly number[],
    private readonly alive: Uint8Array,
  ) {}

  /** Distinct live supernodes indexing a live owner of a file matching every term. */
  supernodesHolding(criteria: string, searcher: number): number {
    const terms = uniqueTokens(criteria);
    if (terms.length === 0) return 0;
    const index = this.tokens();
    const lists = terms.map((t) => index.get(t) ?? []).sort((a, b) => a.length - b.length);
    const holders = new Set<number>();
    for (const f of lists[0]) {
      if (!lists.every((l) => l.includes(f))) continue;
      for (const o of this.owners()[f]) {
        if (o === searcher || this.alive[o] !== 1) continue;
        if (this.pop.isSupernode[o]) holders.add(o);
        else for (const s of this.uplinksOf(o)) holders.add(s);
      }
    }
    return holders.size;
  }

  private tokens(): Map<string, number[]> {
    if (this.byToken) return this.byToken;
    const m = new Map<string, number[]>();
    this.files.forEach((file, f) => {
      for (const t of uniqueTokens(file.name)) {
        const l = m.get(t);
        if (l) l.push(f);
        else m.set(t, [f]);
      }
    });
    return (this.byToken = m);
  }

  private owners(): number[][] {
    if (this.ownersOf) return this.ownersOf;
    const out: number[][] = Array.from({ length: this.files.length }, () => []);
    const { n, shareStart, fileIds } = this.pop;
    for (let i = 0; i < n; i++) for (let j = shareStart[i]; j < shareStart[i + 1]; j++) out[fileIds[j]].push(i);
    return (this.ownersOf = out);
  }
}
