import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { topologySvg, xmlEscape } from '../render/topology-svg.js';
import { topologyFromResponse, ZONE_PALETTE, NO_ZONE_COLOUR } from '../render/topology-model.js';
import { TOPOLOGY } from './fixtures.js';

type El = Record<string, unknown>;
const asList = (v: unknown): El[] => (v === undefined ? [] : Array.isArray(v) ? (v as El[]) : [v as El]);
const group = (svg: El, id: string): El => asList(svg.g).find((g) => g['@_id'] === id) ?? {};

test('the SVG is well-formed XML with one shape per node and one line per link', () => {
  const g = topologyFromResponse(TOPOLOGY);
  const xml = topologySvg(g);
  assert.equal(XMLValidator.validate(xml), true);
  const svg = new XMLParser({ ignoreAttributes: false }).parse(xml).svg as El;
  const supernodes = asList(group(svg, 'supernodes').circle);
  const leaves = asList(group(svg, 'leaves').circle);
  assert.equal(supernodes.length, 3);
  assert.equal(leaves.length, 6);
  assert.equal(asList(group(svg, 'links').line).length, 3);
  assert.equal(asList(group(svg, 'uplinks').line).length, 8);
  // colour by zone, hollow firewalled leaves, larger supernodes
  const sn2 = supernodes.find((c) => String(c.title).startsWith('sn-2'));
  assert.equal(sn2?.['@_fill'], ZONE_PALETTE[1]);
  const hollow = leaves.filter((c) => c['@_fill'] === '#ffffff');
  assert.equal(hollow.length, 2);
  assert.ok(hollow.every((c) => String(c['@_class']).includes('firewalled')));
  assert.ok(Number(supernodes[0]['@_r']) > Number(leaves[0]['@_r']));
  assert.ok(leaves.some((c) => c['@_fill'] === NO_ZONE_COLOUR));
  // title with counts, legend with every zone
  assert.match(String(svg.title), /3 supernodes, 6 leaves \(2 firewalled\), 3 zones, 3 supernode links/);
  assert.match(xml, /zone-a<\/text>/);
  assert.match(xml, /\(no zone\)<\/text>/);
  assert.match(xml, /leaf-&lt;&amp;&gt;/, 'ids are escaped');
});

test('all node positions lie inside the canvas, leaves outside the supernode circle', () => {
  const xml = topologySvg(topologyFromResponse(TOPOLOGY));
  const svg = new XMLParser({ ignoreAttributes: false }).parse(xml).svg as El;
  const [w, h] = [Number(svg['@_width']), Number(svg['@_height'])];
  const circles = [...asList(group(svg, 'supernodes').circle), ...asList(group(svg, 'leaves').circle)];
  for (const c of circles) {
    const [x, y] = [Number(c['@_cx']), Number(c['@_cy'])];
    assert.ok(x > 0 && x < w && y > 0 && y < h, `${x},${y} within ${w}x${h}`);
  }
});

test('empty and single-supernode overlays still render valid SVG', () => {
  assert.equal(XMLValidator.validate(topologySvg({ nodes: [], links: [] })), true);
  const one = topologySvg({
    nodes: [{ id: 'solo', role: 'supernode', zone: 'z', grpc: '', http: '', firewalled: false, uplinks: [], files: [], score: 1, leaves: 0 }],
    links: [],
  });
  assert.equal(XMLValidator.validate(one), true);
  assert.match(one, /class="supernode"/);
});

test('xmlEscape escapes the five XML specials', () => {
  assert.equal(xmlEscape(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
});

test('the legend carries the balance figures', () => {
  const xml = topologySvg(topologyFromResponse(TOPOLOGY));
  assert.match(xml, /CV 0\.177 · Jain 0\.970/);
  assert.match(xml, /same-zone uplinks 75\.0%/);
});
