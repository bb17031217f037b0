// The `central` search mode (Napster): one index of every peer's files, one
// round trip per search. On a cluster it sits on the registry (Redis); in the
// simulator it is one in-memory node. It is the latency floor and the load
// ceiling the overlay modes are measured against.
import type { FileEntry, Query, QueryHit, ServentId } from './descriptor.js';
import { KeywordIndex } from './keyword-index.js';
import type { PeerInfo } from './peer.js';
import { answerQuery } from './answer.js';
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
    return answerQuery(this.index, this.peers, q, { exclude: searcher, answeredBy: CENTRAL_NODE_ID, hops: 1 });
  }
}
