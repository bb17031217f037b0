// A search started at this node: collects QueryHits routed back to it,
// keeps one result per (source, file), and ends at its deadline or once it
// has enough results.
import type { FileEntry, QueryHit } from './descriptor.js';
import type { Environment, Timer } from './environment.js';

export interface SearchResultEntry {
  file: FileEntry;
  hit: QueryHit;
  hops: number;
  elapsedMs: number;
}

export interface SearchSummary {
  results: number;
  hits: number;
  firstHitMs: number | null;
  durationMs: number;
  reason: 'enough' | 'deadline' | 'cancelled';
}

export interface SearchListener {
  result(entry: SearchResultEntry): void;
  end(summary: SearchSummary): void;
}

export class SearchSession {
  private readonly seen = new Set<string>();
  private readonly startedAt: number;
  private firstHitAt: number | null = null;
  private hits = 0;
  private timer: Timer | undefined;
  private ended = false;

  constructor(
    readonly id: string,
    private readonly zone: string,
    private readonly maxResults: number,
    private readonly env: Environment,
    private readonly listener: SearchListener,
    private readonly onEnd: (id: string) => void,
  ) {
    this.startedAt = env.now();
  }

  get done(): boolean {
    return this.ended;
  }

  start(timeoutMs: number): void {
    this.timer = this.env.setTimer(timeoutMs, () => this.finish('deadline'));
  }

  deliver(hit: QueryHit, hops: number): void {
    if (this.ended) return;
    const now = this.env.now();
    let fresh = 0;
    for (const file of hit.results) {
      const key = `${hit.serventId}/${file.sha256}`;
      if (this.seen.has(key) || this.seen.size >= this.maxResults) continue;
      this.seen.add(key);
      fresh++;
      this.firstHitAt ??= now;
      this.listener.result({ file, hit, hops, elapsedMs: now - this.startedAt });
    }
    this.hits++;
    this.env.observe({ type: 'hit', hops, sameZone: hit.zone === this.zone, results: fresh });
    if (this.seen.size >= this.maxResults) this.finish('enough');
  }

  cancel(): void {
    this.finish('cancelled');
  }

  private finish(reason: SearchSummary['reason']): void {
    if (this.ended) return;
    this.ended = true;
    this.timer?.cancel();
    const now = this.env.now();
    const summary: SearchSummary = {
      results: this.seen.size,
      hits: this.hits,
      firstHitMs: this.firstHitAt === null ? null : this.firstHitAt - this.startedAt,
      durationMs: now - this.startedAt,
      reason,
    };
    this.onEnd(this.id);
    this.listener.end(summary);
  }
}
