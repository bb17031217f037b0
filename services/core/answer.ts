// How an index answers a Query: matching files grouped into one QueryHit per
// holder (in chunks of MAX_RESULTS_PER_HIT), bounded per query. Shared by the
// supernode (its leaves' files) and the central index (everyone's).
import type { FileEntry, Query, QueryHit, ServentId } from './descriptor.js';
import type { IndexedFile, KeywordIndex } from './keyword-index.js';
import { uniqueTokens } from './keywords.js';
import { MAX_RESULTS_PER_HIT } from './limits.js';
import type { PeerInfo } from './peer.js';

/** Results one index returns for one query, over all holders. */
export const MAX_RESULTS_PER_QUERY = 256;

export interface AnswerOptions {
  /** The searcher's own files are no answer to it. */
  exclude?: ServentId;
  /** Who answered, first entry of each hit's path. */
  answeredBy: string;
  /** Hops of the Query where it was answered. */
  hops: number;
}

export function answerQuery(
  index: KeywordIndex,
  holders: ReadonlyMap<ServentId, PeerInfo>,
  q: Query,
  o: AnswerOptions,
): QueryHit[] {
  const limit = Math.min(q.maxResults || MAX_RESULTS_PER_QUERY, MAX_RESULTS_PER_QUERY);
  const matches: IndexedFile[] = q.sha256 ? index.searchHash(q.sha256, limit + 1) : index.search(uniqueTokens(q.criteria), limit + 1);
  const byOwner = new Map<ServentId, FileEntry[]>();
  let n = 0;
  for (const m of matches) {
    if (m.owner === o.exclude || n >= limit) continue;
    const list = byOwner.get(m.owner) ?? [];
    list.push(m.file);
    byOwner.set(m.owner, list);
    n++;
  }
  const hits: QueryHit[] = [];
  for (const [owner, files] of byOwner) {
    const p = holders.get(owner);
    if (!p) continue;
    for (let i = 0; i < files.length; i += MAX_RESULTS_PER_HIT) {
      hits.push({
        kind: 'query_hit',
        serventId: p.serventId,
        nodeId: p.nodeId,
        httpAddress: p.firewalled ? '' : p.httpAddress,
        firewalled: p.firewalled,
        zone: p.zone,
        results: files.slice(i, i + MAX_RESULTS_PER_HIT),
        path: [o.answeredBy],
        queryHops: o.hops,
      });
    }
  }
  return hits;
}
