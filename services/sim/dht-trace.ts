// Where a dht-mode lookup travelled: the recursive find_successor chain and
// the answer back to the origin, per lookup (origin position and request
// number), with the zone boundaries it crossed and its virtual latency —
// the locality measure of proximity finger choice. Lookups answered at
// their origin send nothing and are left out.
import type { ChordMessage } from '../core/chord.js';
import { round } from './stats.js';

interface Path {
  crossings: number;
  ms: number;
}

export interface LookupLocality {
  /** Lookups whose origin and key's successor lie in the same zone. */
  sameZoneLookups: number;
  sameZoneCrossingsMean: number;
  sameZoneLatencyMsP50: number;
  lookups: number;
  crossingsMean: number;
  latencyMsP50: number;
}

export class LookupTrace {
  private readonly open = new Map<string, Path>();
  private readonly same: Path[] = [];
  private readonly all: Path[] = [];

  /** A message between members of zones `from` and `to`, `ms` its one-way delay; only client lookups count. */
  message(m: ChordMessage, toId: number, from: string, to: string, ms: number): void {
    if ((m.type !== 'find_successor' && m.type !== 'found') || m.maintenance) return;
    const k = m.type === 'find_successor' ? `${m.origin.id}:${m.req}` : `${toId}:${m.req}`;
    const p = this.open.get(k) ?? { crossings: 0, ms: 0 };
    if (from !== to) p.crossings++;
    p.ms += ms;
    if (m.type === 'find_successor') return void this.open.set(k, p);
    this.open.delete(k);
    this.all.push(p);
    if (m.node.zone === to) this.same.push(p);
  }

  report(): LookupLocality {
    const mean = (ps: Path[]): number => round(ps.reduce((s, p) => s + p.crossings, 0) / Math.max(1, ps.length));
    const p50 = (ps: Path[]): number => round([...ps].sort((a, b) => a.ms - b.ms)[Math.floor(ps.length / 2)]?.ms ?? 0, 2);
    return { sameZoneLookups: this.same.length, sameZoneCrossingsMean: mean(this.same), sameZoneLatencyMsP50: p50(this.same), lookups: this.all.length, crossingsMean: mean(this.all), latencyMsP50: p50(this.all) };
  }
}
