// The `central` mode (Napster): every online peer's files in one CentralIndex
// (services/core/central.ts) on a well-connected host in zone 0; a search is
// one request and one reply.
import { CentralIndex } from '../core/central.js';
import type { FileEntry } from '../core/descriptor.js';
import { pickDistinct } from './mode-overlay.js';
import type { SearchRecord } from './network.js';
import type { ModeRunner, SimContext } from './runner.js';

/** The index host's access delay: a data-centre server. */
export const CENTRAL_ACCESS_MS = 1;

export class CentralRunner implements ModeRunner {
  readonly searchers: number[];
  private readonly index = new CentralIndex();

  constructor(private readonly c: SimContext) {
    for (let i = 0; i < c.pop.n; i++) this.register(i);
    this.searchers = pickDistinct(c.pop.n, c.p.searchers, c.random);
  }

  search(searcher: number, k: number, rec: SearchRecord, done: () => void): boolean {
    const { net, p, cat, pop } = this.c;
    if (net.alive[searcher] !== 1) return false;
    const oneWay = (): number => pop.accessMs[searcher] + CENTRAL_ACCESS_MS + (pop.zone[searcher] === 0 ? p.intraZoneMs : p.interZoneMs);
    rec.queryMessages++;
    net.sentByKind.query++;
    net.clock.schedule(oneWay(), () => {
      const query = { kind: 'query' as const, criteria: cat.queryFor(k), sha256: '', maxResults: p.maxResults, originZone: `z${pop.zone[searcher]}` };
      const hits = this.index.search(query, pop.info(searcher).serventId);
      rec.hitMessages++;
      net.sentByKind.query_hit++;
      net.clock.schedule(oneWay(), () => {
        const at = net.clock.now - rec.issuedAt;
        for (const hit of hits) {
          for (let r = 0; r < hit.results.length && rec.results < p.maxResults; r++) {
            rec.results++;
            rec.hops.push(1);
            if (hit.zone === `z${pop.zone[searcher]}`) rec.sameZoneResults++;
            rec.firstHitMs ??= at;
          }
        }
        rec.done = true;
        done();
      });
    });
    return true;
  }

  depart(i: number): void {
    this.c.net.alive[i] = 0;
    this.index.unregister(this.c.pop.info(i).serventId);
  }

  arrive(i: number): void {
    this.c.net.alive[i] = 1;
    this.register(i);
  }

  load(): { queries: number[]; leaves: number[] } {
    return { queries: [this.index.queries], leaves: [this.index.peerCount] };
  }

  extra(): Record<string, number> {
    return { indexedFiles: this.index.index.size };
  }

  private register(i: number): void {
    const { pop, cat } = this.c;
    const files: FileEntry[] = [];
    for (let j = pop.shareStart[i]; j < pop.shareStart[i + 1]; j++) files.push(cat.files[pop.fileIds[j]]);
    if (files.length > 0) this.index.register(pop.info(i), files);
  }
}
