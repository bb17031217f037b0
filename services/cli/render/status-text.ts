// Human view of one node's Status: who it is, where it sits in the overlay, what it holds.
import type { StatusResponse__Output } from '../../node/generated/superpeer/v1/StatusResponse.js';
import { paintRole, plain, type Paint } from './colour.js';
import { humanDuration, table } from './format.js';

/** Leaves listed by name before the rest are summarised as "… and N more". */
const MAX_LISTED_LEAVES = 20;

export function statusText(s: StatusResponse__Output, paint: Paint = plain): string {
  const n = s.node;
  const role = n?.role || 'unknown';
  const rows: string[][] = [
    ['node', `${n?.node_id || '?'} (${role})`],
    ['zone', n?.zone || '(none)'],
    ['score', (n?.score ?? 0).toFixed(3)],
    ['mode', s.mode || '(default)'],
    ['uptime', humanDuration(s.uptime_ms)],
    ['grpc', n?.grpc_address || '?'],
    ['http', n?.firewalled ? 'firewalled' : n?.http_address || '?'],
  ];
  if (role === 'supernode' || (n?.leaf_capacity ?? 0) > 0) {
    rows.push(['leaf capacity', String(n?.leaf_capacity ?? 0)]);
  }
  rows.push(['shared files', String(s.files.length)]);
  if (role === 'supernode' || s.indexed_files > 0) rows.push(['indexed files', String(s.indexed_files)]);
  // Colour after the table is laid out, so escape codes do not count as width.
  const lines = table(rows).map((line, i) => (i === 0 ? line.replace(`(${role})`, `(${paintRole(paint, role)})`) : line));
  const heading = (text: string): string => paint('bold', text);

  if (role !== 'supernode' || s.uplinks.length > 0) {
    lines.push(heading(`uplinks (${s.uplinks.length})${s.uplinks.length === 0 ? ': none' : ''}`));
    const own = n?.zone ?? '';
    lines.push(...table(s.uplinks.map((u) => [
      `  ${u.node_id}`, u.grpc_address, u.zone || '(no zone)', u.zone && u.zone === own ? 'same zone' : 'cross zone',
    ])));
  }
  if (role === 'supernode' || s.neighbours.length > 0) {
    lines.push(heading(`neighbours (${s.neighbours.length})${s.neighbours.length === 0 ? ': none' : ''}`));
    lines.push(...table(s.neighbours.map((x) => [`  ${x.node_id}`, x.grpc_address, x.zone || '(no zone)'])));
  }
  if (role === 'supernode' || s.leaves.length > 0) {
    const fw = s.leaves.filter((l) => l.firewalled).length;
    const cap = n?.leaf_capacity ? ` of ${n.leaf_capacity}` : '';
    lines.push(heading(`leaves (${s.leaves.length}${cap}, ${fw} firewalled)${s.leaves.length === 0 ? ': none' : ''}`));
    const listed = s.leaves.slice(0, MAX_LISTED_LEAVES);
    lines.push(...table(listed.map((l) => [
      `  ${l.node_id}`, l.zone || '(no zone)', `${l.files} files`, l.firewalled ? 'firewalled' : '',
    ])));
    if (s.leaves.length > listed.length) lines.push(`  … and ${s.leaves.length - listed.length} more`);
  }
  if (s.counters.length > 0) {
    lines.push(heading('counters'));
    const sorted = [...s.counters].sort((a, b) => a.name.localeCompare(b.name));
    lines.push(...table(sorted.map((c) => [`  ${c.name}`, Number.isInteger(c.value) ? String(c.value) : c.value.toFixed(3)])));
  }
  return lines.join('\n');
}
