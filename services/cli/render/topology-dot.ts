// Graphviz DOT of the crawled overlay: supernodes clustered by zone, leaves
// as small points, supernode links bold, uplinks thin (dashed across zones).
import { summarizeTopology, zoneColour, zoneLabel, type TopologyGraph } from './topology-model.js';

/** A DOT double-quoted ID: backslashes and quotes escaped, newlines dropped. */
export function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ')}"`;
}

export function topologyDot(g: TopologyGraph): string {
  const s = summarizeTopology(g);
  const zoneOf = new Map(g.nodes.map((n) => [n.id, n.zone]));
  const out: string[] = [];
  out.push('graph superpeer {');
  out.push(`  label=${dotId(`superpeer overlay: ${s.supernodes.length} supernodes, ${s.leaves.length} leaves, ${s.zones.length} zones`)};`);
  out.push('  labelloc=t; layout=neato; overlap=false; splines=true;');
  out.push('  node [fontname="Helvetica", fontsize=10];');
  s.zones.forEach((zone, i) => {
    const colour = zoneColour(s.zones, zone);
    out.push(`  subgraph ${dotId(`cluster_zone_${i}`)} {`);
    out.push(`    label=${dotId(zoneLabel(zone))}; color=${dotId(colour)};`);
    for (const n of s.supernodes.filter((x) => x.zone === zone)) {
      const label = `${n.id}\\n${(s.leafCount.get(n.id) ?? 0)} leaves`;
      out.push(`    ${dotId(n.id)} [shape=circle, style=filled, fillcolor=${dotId(colour)}, penwidth=2, label="${label.replace(/"/g, '\\"')}"];`);
    }
    for (const n of s.leaves.filter((x) => x.zone === zone)) {
      const style = n.firewalled ? `style=solid, color=${dotId(colour)}` : `style=filled, fillcolor=${dotId(colour)}, color=${dotId(colour)}`;
      out.push(`    ${dotId(n.id)} [shape=point, width=0.12, ${style}, tooltip=${dotId(`${n.id} (${n.firewalled ? 'firewalled leaf' : 'leaf'})`)}];`);
    }
    out.push('  }');
  });
  for (const l of g.links) {
    if (l.kind === 'link') {
      out.push(`  ${dotId(l.source)} -- ${dotId(l.target)} [penwidth=2.5, color="#333333"];`);
    } else {
      const cross = zoneOf.get(l.source) !== zoneOf.get(l.target);
      out.push(`  ${dotId(l.source)} -- ${dotId(l.target)} [penwidth=0.5, color="#999999"${cross ? ', style=dashed' : ''}];`);
    }
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
