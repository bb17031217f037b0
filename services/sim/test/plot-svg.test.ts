import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLinePlot } from '../plot-svg.js';

test('renders a well-formed, deterministic SVG with one polyline per series and a legend', () => {
  const spec = { title: 'A & B', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[1, 2], [2, 4]] as Array<[number, number]> }, { name: 'b<c', points: [[1, 1]] as Array<[number, number]> }] };
  const svg = renderLinePlot(spec);
  assert.equal(svg, renderLinePlot(spec));
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<polyline/g) ?? []).length, 1);
  assert.equal((svg.match(/<circle/g) ?? []).length, 3);
  assert.ok(svg.includes('A &amp; B') && svg.includes('b&lt;c'));
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(!svg.includes('NaN'));
});
