// Dynamic querying (the Gnutella ultrapeer idea): instead of one deep flood,
// the searching node widens the search in rounds and stops as soon as enough
// results arrived. The first round asks only the searcher's own supernodes
// (TTL 1); each later round picks its TTL from the hits per supernode probed
// so far, as Gnutella's dynamic querying does: the fewer results a supernode
// gave, the more supernodes (the deeper) the next round must reach. Popular
// files are found at the first ring for a fraction of the messages; rare ones
// still get the full depth. Each round is an ordinary search with its own descriptor ID
// (a repeated ID would be dropped as a duplicate by nodes that saw round 1);
// the metrics still count the whole search once (Servent.search observes it).
import type { SearchListener, SearchResultEntry, SearchSummary } from './search-session.js';

/** Time a round waits per unit of TTL before widening: a query and its hit cross each link, ~150 ms per one-way hop worst case. */
export const DYNAMIC_ROUND_MS_PER_TTL = 300;
/** Supernode degree assumed when estimating how many supernodes a TTL reaches (3 dialled links each way). */
export const DYNAMIC_ASSUMED_DEGREE = 6;

export interface DynamicSearchOptions {
  firstTtl: number;
  maxTtl: number;
  maxResults: number;
  roundMsPerTtl: number;
  /** Overall budget; no new round starts past it. */
  timeoutMs: number;
  /** Supernodes the first round probes (a leaf's uplinks; 1 at a supernode). */
  firstProbed: number;
  /** Supernode degree, to estimate how many supernodes a TTL reaches. */
  degree: number;
}

/** Estimated supernodes a search reaches at `ttl`: the first round's, then `degree`-fold per extra hop. */
export function reachAt(ttl: number, o: Pick<DynamicSearchOptions, 'firstTtl' | 'firstProbed' | 'degree'>): number {
  let reach = o.firstProbed;
  let ring = 1;
  for (let t = o.firstTtl; t < ttl; t++) {
    ring *= Math.max(1, o.degree);
    reach += ring;
  }
  return reach;
}

/**
 * The TTL of the next round: the smallest one expected to bring enough
 * results at the hits per supernode seen so far; the cap when nothing was
 * found yet (nothing nearby says nothing about how far to go).
 */
export function nextTtl(current: number, results: number, o: DynamicSearchOptions): number {
  if (current >= o.maxTtl) return o.maxTtl;
  if (results === 0) return o.maxTtl;
  const perSupernode = results / reachAt(current, o);
  const needed = o.maxResults / perSupernode;
  for (let t = current + 1; t < o.maxTtl; t++) if (reachAt(t, o) >= needed) return t;
  return o.maxTtl;
}

/** Same shape as Servent's SearchHandle (kept here so this file imports nothing of servent.ts). */
export interface SearchHandle {
  id: string;
  cancel(): void;
}

/** Starts one round: an ordinary search with this TTL and deadline. */
export type StartRound = (ttl: number, timeoutMs: number, listener: SearchListener) => SearchHandle;

export function dynamicSearch(
  startRound: StartRound,
  now: () => number,
  o: DynamicSearchOptions,
  listener: SearchListener,
): SearchHandle {
  const startedAt = now();
  const seen = new Set<string>();
  let hits = 0;
  let firstHitMs: number | null = null;
  let ended = false;
  let current: SearchHandle | undefined;
  let ttl = o.firstTtl;

  const finish = (reason: SearchSummary['reason']): void => {
    if (ended) return;
    ended = true;
    current?.cancel();
    const summary: SearchSummary = { results: seen.size, hits, firstHitMs, durationMs: now() - startedAt, reason };
    listener.end(summary);
  };

  const round = (): SearchHandle =>
    startRound(ttl, o.roundMsPerTtl * ttl, {
      result(entry: SearchResultEntry): void {
        if (ended) return;
        const key = `${entry.hit.serventId}/${entry.file.sha256}`;
        if (seen.has(key)) return;
        seen.add(key);
        hits++;
        const elapsedMs = now() - startedAt;
        firstHitMs ??= elapsedMs;
        listener.result({ ...entry, elapsedMs });
        if (seen.size >= o.maxResults) finish('enough');
      },
      end(summary: SearchSummary): void {
        if (ended || summary.reason === 'cancelled') return;
        if (seen.size >= o.maxResults) return finish('enough');
        if (ttl >= o.maxTtl || now() - startedAt >= o.timeoutMs) return finish('deadline');
        ttl = nextTtl(ttl, seen.size, o);
        current = round();
      },
    });

  current = round();
  return { id: current.id, cancel: () => finish('cancelled') };
}
