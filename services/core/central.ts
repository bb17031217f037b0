// The `central` search mode (Napster): one index of every peer's files, one
// round trip per search. On a cluster it sits on the registry (Redis); in the
// simulator it is one in-memory node. It is the latency floor and the load
// ceiling the overlay modes are measured against.
import type { FileEntry, Query, QueryHit, ServentId } from './descriptor.js';
import { KeywordIndex, type IndexedFile } from './keyword-index.js';
import { uniqueTokens } from './keywords.js';
import { MAX_RESULTS_PER_HIT } from './limits.js';
import type { PeerInfo } from './peer.js';
import { MAX_RESULTS_PER_QUERY } from './supernode.js';
import { checkFile } from './validate.js';

/** Node ID the central index reports in a hit's path. */
export const CENTRAL_NODE_ID = 'central';

export class CentralIndex {
  readonly index = new KeywordIndex();
  private readonly peers = new Map<ServentId, PeerInfo>();
  /** Searches answered, the index's load. */
  queries = 0;

  get peerCount(): number {
    return this.peers.size;
  }

  /** A peer came online with these files (replaces what it had). */
  register(peer: PeerInfo, files: readonly FileEntry[]): void {
    for (const f of files) checkFile(f);
    this.index.removeOwner(peer.serventId);
    this.peers.set(peer.serventId, peer);
    for (const f of files) this.index.add(peer.serventId, f);
  }

  unregister(serventId: ServentId): void {
    this.peers.delete(serventId);
    this.index.removeOwner(serventId);
  }

  /** Every match, as QueryHits one per owner (the searcher's own files excluded), reported at hop 1. */
  search(q: Query, searcher?: ServentId): QueryHit[] {
    this.queries++;
    const limit = Math.min(q.maxResults || MAX_RESULTS_PER_QUERY, MAX_RESULTS_PER_QUERY);
    const matches: IndexedFile[] = q.sha256 ? this.index.searchHash(q.sha256, limit + 1) : this.index.search(uniqueTokens(q.criteria), limit + 1);
    const byOwner = new Map<ServentId, FileEntry[]>();
    let n = 0;
    for (const m of matches) {
      if (m.owner === searcher || n >= limit) continue;
      const list = byOwner.get(m.owner) ?? [];
      list.push(m.file);
      byOwner.set(m.owner, list);
      n++;
    }
    const hits: QueryHit[] = [];
    for (const [owner, files] of byOwner) {
      const p = this.peers.get(owner);
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
          path: [CENTRAL_NODE_ID],
          queryHops: 1,
        });
      }
    }
    return hits;
  }
}
