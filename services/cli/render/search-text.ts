// How search hits look: one human line or one JSON object per hit, and the summary.
import type { SearchResult__Output } from '../../node/generated/superpeer/v1/SearchResult.js';
import { plain, type Paint } from './colour.js';
import { humanSize, shortHash } from './format.js';

/** The JSON line of `superpeer search --json`: the SearchResult in proto3 JSON (a public contract). */
export interface SearchHitJson {
  name: string;
  size: number;
  sha256: string;
  nodeId: string;
  httpAddress: string;
  firewalled: boolean;
  hops: number;
  zone: string;
  path: string[];
  serventId: string;
  elapsedMs: number;
}

export function searchHitJson(r: SearchResult__Output): SearchHitJson {
  return {
    name: r.name,
    size: r.size,
    sha256: r.sha256,
    nodeId: r.node_id,
    httpAddress: r.http_address,
    firewalled: r.firewalled,
    hops: r.hops,
    zone: r.zone,
    path: [...r.path],
    serventId: r.servent_id,
    elapsedMs: r.elapsed_ms,
  };
}

/** "  3. name  1.5 MiB  3fa2c1d09e7b…  leaf-7 @ 127.0.0.1:40123  hops 2  zone-a  via sn-2  41 ms" */
export function searchHitLine(r: SearchResult__Output, index: number, paint: Paint = plain): string {
  const where = r.firewalled || !r.http_address ? paint('yellow', 'firewalled') : r.http_address;
  const via = r.path.length > 0 ? `via ${r.path.join(' → ')}` : 'via (answered locally)';
  return [
    paint('dim', `${String(index).padStart(3)}.`),
    paint('bold', r.name),
    humanSize(r.size),
    paint('dim', shortHash(r.sha256)),
    `${r.node_id || '?'} @ ${where}`,
    paint('cyan', `hops ${r.hops}`),
    r.zone || '(no zone)',
    paint('dim', via),
    `${r.elapsed_ms} ms`,
  ].join('  ');
}

/** Collects what the summary line reports. */
export class SearchTally {
  results = 0;
  readonly sources = new Set<string>();
  readonly hops = new Map<number, number>();
  firstHitMs: number | undefined;

  add(r: SearchResult__Output, elapsedMs: number): void {
    this.results += 1;
    this.sources.add(r.node_id || r.http_address);
    this.hops.set(r.hops, (this.hops.get(r.hops) ?? 0) + 1);
    if (this.firstHitMs === undefined) this.firstHitMs = elapsedMs;
  }

  /** "12 results from 7 sources · hops 0:1 1:4 2:7 · first hit 35 ms · total 812 ms" */
  summary(totalMs: number): string {
    const total = `total ${Math.round(totalMs)} ms`;
    if (this.results === 0) return `no results · ${total}`;
    const hist = [...this.hops.entries()].sort((a, b) => a[0] - b[0]).map(([h, n]) => `${h}:${n}`).join(' ');
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    return [
      `${plural(this.results, 'result')} from ${plural(this.sources.size, 'source')}`,
      `hops ${hist}`,
      `first hit ${Math.round(this.firstHitMs ?? 0)} ms`,
      total,
    ].join(' · ');
  }
}
