// Text view of the crawled overlay: the supernode graph, leaves per
// supernode, and how evenly and locally the leaves are spread.
import { summarizeTopology, zoneLabel, type TopologyGraph } from './topology-model.js';
import { plain, type Paint } from './colour.js';
import { table } from './format.js';

/** Leaf names listed per supernode before "… +N". */
const MAX_LISTED_LEAVES = 12;

export function topologyText(g: TopologyGraph, seenFrom?: string, paint: Paint = plain): string {
  const s = summarizeTopology(g);
  const fw = s.leaves.filter((l) => l.firewalled).length;
  const lines: string[] = [];
  lines.push(
    `overlay${seenFrom ? ` seen from ${seenFrom}` : ''}: ${s.supernodes.length} supernodes, ` +
      `${s.leaves.length} leaves (${fw} firewalled), ${s.zones.length} zones, ` +
      `${g.links.filter((l) => l.kind === 'link').length} supernode links`,
  );
  lines.push('', paint('bold', 'supernodes'));
  lines.push(...table([
    ['  id', 'zone', 'score', 'leaves', 'neighbours'],
    ...s.supernodes.map((n) => [
      `  ${n.id}`, zoneLabel(n.zone), n.score.toFixed(3), String(s.leafCount.get(n.id) ?? 0),
      (s.neighbours.get(n.id) ?? []).join(', ') || '-',
    ]),
  ]));

  lines.push('', paint('bold', 'leaves by first uplink (* = firewalled, ~ = other zone)'));
  for (const sn of s.supernodes) {
    const ls = s.leavesByFirstUplink.get(sn.id) ?? [];
    const names = ls.slice(0, MAX_LISTED_LEAVES).map((l) => `${l.id}${l.firewalled ? '*' : ''}${l.zone !== sn.zone ? '~' : ''}`);
    const more = ls.length > MAX_LISTED_LEAVES ? ` … +${ls.length - MAX_LISTED_LEAVES}` : '';
    lines.push(`  ${paint('magenta', sn.id)} [${zoneLabel(sn.zone)}] ${ls.length}: ${names.join(' ')}${more}`.trimEnd());
  }
  if (s.orphans.length > 0) {
    lines.push(`  no uplink ${s.orphans.length}: ${s.orphans.slice(0, MAX_LISTED_LEAVES).map((l) => l.id).join(' ')}`);
  }

  const loads = [...s.leafCount.values()];
  lines.push('', paint('bold', 'balance'));
  if (loads.length === 0) {
    lines.push('  no supernodes');
  } else {
    const mean = loads.reduce((a, b) => a + b, 0) / loads.length;
    lines.push(
      `  leaves per supernode: min ${Math.min(...loads)}, mean ${mean.toFixed(1)}, max ${Math.max(...loads)}` +
        ` · CV ${s.cv.toFixed(3)} · Jain ${s.jain.toFixed(3)}`,
    );
  }
  const share = s.uplinks === 0 ? '-' : `${((100 * s.sameZoneUplinks) / s.uplinks).toFixed(1)}%`;
  lines.push(`  same-zone uplinks: ${share} (${s.sameZoneUplinks}/${s.uplinks})`);
  return lines.join('\n');
}
