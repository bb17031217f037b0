// The sweeps behind docs/simulation.md's plots: success and messages vs TTL
// per mode, messages per query and load CV vs N, Chord hops vs log N.
import { measureChordHops, type ChordHops } from './chord-hops.js';
import { renderLinePlot, type PlotSeries } from './plot-svg.js';
import type { SimMode, SimParams } from './params.js';
import { simulate, type SimReport } from './simulate.js';

export interface SweepOptions {
  base: Partial<SimParams>;
  modes: SimMode[];
  ttls: number[];
  sizes: number[];
  /** Peers per supernode when N varies. */
  peersPerSupernode: number;
  /** Chord ring sizes for the lookup-hops check (core ChordNodes on a converged ring). */
  chordSizes: number[];
  chordLookups: number;
  onRun?: (label: string) => void;
}

export interface SweepResult {
  byTtl: Array<{ mode: SimMode; ttl: number; successRate: number; messagesPerQuery: number }>;
  bySize: Array<{ mode: SimMode; peers: number; supernodes: number; messagesPerQuery: number; loadCv: number; meanHops: number }>;
  chord: ChordHops[];
}

export function runSweep(o: SweepOptions): SweepResult {
  const run = (label: string, p: Partial<SimParams>): SimReport => {
    o.onRun?.(label);
    return simulate({ ...o.base, ...p });
  };
  const byTtl: SweepResult['byTtl'] = [];
  for (const mode of o.modes) {
    for (const ttl of o.ttls) {
      const r = run(`${mode} ttl=${ttl}`, { mode, ttl });
      byTtl.push({ mode, ttl, successRate: r.search.successRate, messagesPerQuery: r.search.messagesPerQuery });
    }
  }
  const bySize: SweepResult['bySize'] = [];
  for (const mode of o.modes) {
    for (const peers of o.sizes) {
      const supernodes = Math.max(2, Math.round(peers / o.peersPerSupernode));
      const r = run(`${mode} N=${peers}`, { mode, peers, supernodes });
      bySize.push({ mode, peers, supernodes, messagesPerQuery: r.search.messagesPerQuery, loadCv: r.load.queries.cv, meanHops: r.search.meanHops });
    }
  }
  const chord: ChordHops[] = [];
  for (const n of o.chordSizes) {
    o.onRun?.(`chord N=${n}`);
    chord.push(measureChordHops(n, o.chordLookups, o.base.seed ?? 1));
  }
  return { byTtl, bySize, chord };
}

/** SVG files by name. */
export function sweepPlots(s: SweepResult): Record<string, string> {
  const modes = [...new Set([...s.byTtl.map((r) => r.mode), ...s.bySize.map((r) => r.mode)])];
  const series = <T extends { mode: SimMode }>(rows: T[], x: (r: T) => number, y: (r: T) => number, only?: SimMode[]): PlotSeries[] =>
    modes.filter((m) => !only || only.includes(m)).map((m) => ({ name: m, points: rows.filter((r) => r.mode === m).map((r) => [x(r), y(r)] as [number, number]) }));
  const dht = s.bySize.filter((r) => r.mode === 'dht');
  return {
    'success-vs-ttl.svg': renderLinePlot({ title: 'Search success vs TTL', xLabel: 'TTL', yLabel: 'success rate', series: series(s.byTtl, (r) => r.ttl, (r) => r.successRate) }),
    'messages-vs-ttl.svg': renderLinePlot({ title: 'Messages per query vs TTL', xLabel: 'TTL', yLabel: 'messages per query', series: series(s.byTtl, (r) => r.ttl, (r) => r.messagesPerQuery) }),
    'messages-vs-n.svg': renderLinePlot({ title: 'Messages per query vs N', xLabel: 'peers N', yLabel: 'messages per query', logX: true, series: series(s.bySize, (r) => r.peers, (r) => r.messagesPerQuery) }),
    'load-cv-vs-n.svg': renderLinePlot({ title: 'Query load CV across serving nodes vs N', xLabel: 'peers N', yLabel: 'CV of queries handled', logX: true, series: series(s.bySize, (r) => r.peers, (r) => r.loadCv, ['supernode', 'flood', 'dht']) }),
    'chord-hops-vs-logn.svg': renderLinePlot({
      title: 'Chord lookup hops vs log2 of ring size',
      xLabel: 'log2 N (ring members)',
      yLabel: 'mean hops',
      series: [
        { name: 'ChordNode ring', points: s.chord.map((r) => [Math.log2(r.nodes), r.meanHops]) },
        ...(dht.length > 0 ? [{ name: 'dht mode', points: dht.map((r) => [Math.log2(r.supernodes), r.meanHops] as [number, number]) }] : []),
        { name: '½·log2 N', points: [...s.chord.map((r) => r.nodes), ...dht.map((r) => r.supernodes)].sort((a, b) => a - b).map((n) => [Math.log2(n), 0.5 * Math.log2(n)] as [number, number]) },
      ],
    }),
  };
}
