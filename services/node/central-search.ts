// Napster mode: a search is one round trip to the central index in the
// registry, not a walk of the overlay. The results are reported like any
// other (one hit per holder, at hops 1: the index is one hop away), so the
// metrics of the modes compare directly.
import { createHash } from 'node:crypto';
import { SuperpeerError } from '../core/errors.js';
import { tokenize } from '../core/keywords.js';
import type { SearchListener } from '../core/search-session.js';
import type { SearchParams } from '../core/servent.js';
import { validateQueryTerms } from '../core/validate.js';
import type { CentralHit, Registry } from '../registry/registry.js';

/** The index answers in one round trip: one hop. */
export const CENTRAL_HOPS = 1;

export function serventIdOf(nodeId: string): string {
  return createHash('sha256').update(`servent:${nodeId}`).digest('hex').slice(0, 32);
}

export interface CentralObserver {
  sent(): void;
  hit(sameZone: boolean, results: number): void;
  done(firstHitMs: number | null, durationMs: number, results: number): void;
}

export async function centralSearch(
  registry: Registry | undefined,
  zone: string,
  params: SearchParams,
  listener: SearchListener,
  observe: CentralObserver,
): Promise<void> {
  if (!registry) throw new SuperpeerError('UNAVAILABLE', 'central mode needs a registry (--redis)');
  const sha256 = params.sha256 ?? '';
  validateQueryTerms(params.criteria, sha256);
  const started = Date.now();
  const limit = params.maxResults || 100;
  observe.sent();
  let hits: CentralHit[];
  try {
    hits = await registry.searchCentral(sha256 ? { sha256 } : { terms: tokenize(params.criteria) }, limit);
  } catch (err) {
    throw new SuperpeerError('UNAVAILABLE', `central index unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const elapsed = Date.now() - started;
  for (const h of hits) {
    const hit = {
      kind: 'query_hit' as const,
      serventId: serventIdOf(h.nodeId),
      nodeId: h.nodeId,
      httpAddress: h.httpAddress,
      firewalled: h.httpAddress === '',
      zone: h.zone,
      results: [{ sha256: h.sha256, name: h.name, size: h.size }],
      path: ['index'],
      queryHops: CENTRAL_HOPS,
    };
    observe.hit(h.zone === zone, 1);
    listener.result({ file: hit.results[0], hit, hops: CENTRAL_HOPS, elapsedMs: elapsed });
  }
  const duration = Date.now() - started;
  observe.done(hits.length ? elapsed : null, duration, hits.length);
  listener.end({ results: hits.length, hits: hits.length, firstHitMs: hits.length ? elapsed : null, durationMs: duration, reason: 'enough' });
}
