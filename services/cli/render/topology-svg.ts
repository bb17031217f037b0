// SVG picture of the crawled overlay, drawn by hand (no graphviz needed):
// supernodes on an inner circle grouped by zone, each leaf on an outer ring
// in the sector of its first uplink; colour = zone, size/shape = role.
import {
  summarizeTopology, zoneColour, zoneLabel, type TopologyGraph, type TopologyNodeJson,
} from './topology-model.js';

const SIZE_PX = 900; // drawing area (square); the legend sits to its right
const LEGEND_W_PX = 240;
const TITLE_H_PX = 40;
const CENTRE_PX = SIZE_PX / 2;
const INNER_R_PX = 190; // supernode circle
const OUTER_R_PX = 330; // first leaf ring; further rings step outwards
const RING_STEP_PX = 14;
const MAX_RINGS = 6; // leaves of one sector are spread over at most this many rings
const SUPERNODE_R_PX = 16;
const LEAF_R_PX = 4;

/** Text and attribute escaping for XML. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface Point { x: number; y: number }

const polar = (r: number, angle: number): Point => ({
  x: CENTRE_PX + r * Math.cos(angle),
  y: TITLE_H_PX + CENTRE_PX + r * Math.sin(angle),
});
const f = (n: number): string => n.toFixed(1);

/** Positions: supernodes evenly on the inner circle, leaves in their first uplink's sector. */
function layout(g: TopologyGraph): Map<string, Point> {
  const s = summarizeTopology(g);
  const pos = new Map<string, Point>();
  const k = s.supernodes.length;
  const sector = k > 0 ? (2 * Math.PI) / k : 2 * Math.PI;
  const start = -Math.PI / 2; // first supernode at the top
  s.supernodes.forEach((n, i) => pos.set(n.id, k === 1 ? { x: CENTRE_PX, y: TITLE_H_PX + CENTRE_PX } : polar(INNER_R_PX, start + i * sector)));
  const place = (leaves: TopologyNodeJson[], from: number, width: number): void => {
    const rings = Math.min(MAX_RINGS, Math.max(1, Math.ceil(leaves.length / 40)));
    const perRing = Math.ceil(leaves.length / rings);
    leaves.forEach((leaf, j) => {
      const ring = j % rings;
      const slot = Math.floor(j / rings);
      const a = from + (width * (slot + 0.5)) / perRing;
      pos.set(leaf.id, polar(OUTER_R_PX + ring * RING_STEP_PX, a));
    });
  };
  s.supernodes.forEach((n, i) => {
    // keep a small gap between sectors so groups stay visibly apart
    const gap = Math.min(0.08, sector * 0.1);
    place(s.leavesByFirstUplink.get(n.id) ?? [], start + i * sector - sector / 2 + gap / 2, sector - gap);
  });
  // leaves without a known uplink go on a ring of their own, outside the rest
  s.orphans.forEach((leaf, j) => {
    pos.set(leaf.id, polar(OUTER_R_PX + (MAX_RINGS + 1) * RING_STEP_PX, start + ((j + 0.5) * 2 * Math.PI) / s.orphans.length));
  });
  return pos;
}

export function topologySvg(g: TopologyGraph): string {
  const s = summarizeTopology(g);
  const pos = layout(g);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const colour = (zone: string): string => zoneColour(s.zones, zone);
  const width = SIZE_PX + LEGEND_W_PX;
  const height = SIZE_PX + TITLE_H_PX;
  const fw = s.leaves.filter((l) => l.firewalled).length;
  const snLinks = g.links.filter((l) => l.kind === 'link').length;
  const title = `superpeer overlay — ${s.supernodes.length} supernodes, ${s.leaves.length} leaves (${fw} firewalled), ${s.zones.length} zones, ${snLinks} supernode links`;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<title>${xmlEscape(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="16" y="26" font-size="16" font-weight="bold">${xmlEscape(title)}</text>`);

  out.push('<g id="uplinks" stroke-width="0.6" stroke-opacity="0.45" fill="none">');
  for (const l of g.links.filter((x) => x.kind === 'uplink')) {
    const a = pos.get(l.source);
    const b = pos.get(l.target);
    if (!a || !b) continue;
    const leaf = byId.get(l.source);
    const sn = byId.get(l.target);
    const cross = leaf?.zone !== sn?.zone;
    out.push(`<line x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(b.x)}" y2="${f(b.y)}" stroke="${colour(leaf?.zone ?? '')}"${cross ? ' stroke-dasharray="3 3"' : ''}/>`);
  }
  out.push('</g>');

  out.push('<g id="links" stroke="#333333" stroke-width="2.5" stroke-opacity="0.8">');
  for (const l of g.links.filter((x) => x.kind === 'link')) {
    const a = pos.get(l.source);
    const b = pos.get(l.target);
    if (a && b) out.push(`<line x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(b.x)}" y2="${f(b.y)}"/>`);
  }
  out.push('</g>');

  out.push('<g id="leaves">');
  for (const leaf of s.leaves) {
    const p = pos.get(leaf.id);
    if (!p) continue;
    const c = colour(leaf.zone);
    const fill = leaf.firewalled ? 'fill="#ffffff" stroke-width="1.5"' : `fill="${c}" stroke-width="0.5"`;
    const tip = `${leaf.id} · leaf${leaf.firewalled ? ' (firewalled)' : ''} · ${zoneLabel(leaf.zone)} · ${leaf.files.length} files · uplinks ${leaf.uplinks.join(', ') || 'none'}`;
    out.push(`<circle class="leaf${leaf.firewalled ? ' firewalled' : ''}" cx="${f(p.x)}" cy="${f(p.y)}" r="${LEAF_R_PX}" ${fill} stroke="${c}"><title>${xmlEscape(tip)}</title></circle>`);
  }
  out.push('</g>');

  out.push('<g id="supernodes">');
  for (const n of s.supernodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const leaves = s.leafCount.get(n.id) ?? 0;
    const tip = `${n.id} · supernode · ${zoneLabel(n.zone)} · score ${n.score.toFixed(3)} · ${leaves} leaves · ${n.grpc}`;
    out.push(`<circle class="supernode" cx="${f(p.x)}" cy="${f(p.y)}" r="${SUPERNODE_R_PX}" fill="${colour(n.zone)}" stroke="#222222" stroke-width="2.5"><title>${xmlEscape(tip)}</title></circle>`);
    out.push(`<text x="${f(p.x)}" y="${f(p.y + 4)}" font-size="10" text-anchor="middle" fill="#000000">${leaves}</text>`);
    out.push(`<text x="${f(p.x)}" y="${f(p.y - SUPERNODE_R_PX - 5)}" font-size="11" text-anchor="middle" font-weight="bold">${xmlEscape(n.id)}</text>`);
  }
  out.push('</g>');

  out.push(...legend(s.zones, colour, balanceLines(s)));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function balanceLines(s: ReturnType<typeof summarizeTopology>): string[] {
  const loads = [...s.leafCount.values()];
  if (loads.length === 0) return ['no supernodes'];
  const share = s.uplinks === 0 ? '-' : `${((100 * s.sameZoneUplinks) / s.uplinks).toFixed(1)}%`;
  return [
    `leaves/supernode ${Math.min(...loads)}–${Math.max(...loads)}`,
    `CV ${s.cv.toFixed(3)} · Jain ${s.jain.toFixed(3)}`,
    `same-zone uplinks ${share}`,
  ];
}

function legend(zones: string[], colour: (zone: string) => string, balance: string[]): string[] {
  const x = SIZE_PX + 10;
  let y = TITLE_H_PX + 20;
  const out: string[] = ['<g id="legend" font-size="12">'];
  out.push(`<text x="${x}" y="${y}" font-weight="bold">zones</text>`);
  for (const z of zones) {
    y += 20;
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colour(z)}"/><text x="${x + 20}" y="${y}">${xmlEscape(zoneLabel(z))}</text>`);
  }
  y += 32;
  out.push(`<text x="${x}" y="${y}" font-weight="bold">roles</text>`);
  y += 24;
  out.push(`<circle cx="${x + 8}" cy="${y - 4}" r="9" fill="#cccccc" stroke="#222222" stroke-width="2.5"/><text x="${x + 24}" y="${y}">supernode (number = leaves)</text>`);
  y += 20;
  out.push(`<circle cx="${x + 8}" cy="${y - 4}" r="${LEAF_R_PX}" fill="#777777" stroke="#777777"/><text x="${x + 24}" y="${y}">leaf</text>`);
  y += 20;
  out.push(`<circle cx="${x + 8}" cy="${y - 4}" r="${LEAF_R_PX}" fill="#ffffff" stroke="#777777" stroke-width="1.5"/><text x="${x + 24}" y="${y}">firewalled leaf</text>`);
  y += 32;
  out.push(`<text x="${x}" y="${y}" font-weight="bold">lines</text>`);
  y += 20;
  out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="#333333" stroke-width="2.5"/><text x="${x + 24}" y="${y}">supernode link</text>`);
  y += 20;
  out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="#777777" stroke-width="1"/><text x="${x + 24}" y="${y}">uplink, same zone</text>`);
  y += 20;
  out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="#777777" stroke-width="1" stroke-dasharray="3 3"/><text x="${x + 24}" y="${y}">uplink, other zone</text>`);
  y += 32;
  out.push(`<text x="${x}" y="${y}" font-weight="bold">balance</text>`);
  for (const line of balance) {
    y += 18;
    out.push(`<text x="${x}" y="${y}">${xmlEscape(line)}</text>`);
  }
  out.push('</g>');
  return out;
}
