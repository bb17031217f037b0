// A small pure SVG line-plot renderer: series of (x, y) points, linear or
// log2 x axis, ticks, legend. No dependencies; output is deterministic text.

export interface PlotSeries {
  name: string;
  points: Array<[number, number]>;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  logX?: boolean;
  width?: number;
  height?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const MARGIN = { left: 70, right: 150, top: 40, bottom: 50 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(v: number): string {
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toFixed(2)}k`;
  return `${+v.toFixed(3)}`;
}

function ticks(lo: number, hi: number, n = 5): number[] {
  if (hi <= lo) return [lo];
  const step = (hi - lo) / n;
  return Array.from({ length: n + 1 }, (_, i) => lo + i * step);
}

/** A step of 1, 2 or 5 × 10^k giving about n intervals over the range. */
function niceStep(range: number, n = 5): number {
  const raw = range / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Axis ticks at round values from lo up to the first one at or above hi. */
function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo);
  const start = Math.floor(lo / step) * step;
  const out: number[] = [];
  for (let v = start, i = 0; i <= 100; v = start + ++i * step) {
    out.push(+v.toPrecision(12));
    if (v >= hi) break;
  }
  return out;
}

export function renderLinePlot(spec: PlotSpec): string {
  const w = spec.width ?? 640;
  const h = spec.height ?? 400;
  const pw = w - MARGIN.left - MARGIN.right;
  const ph = h - MARGIN.top - MARGIN.bottom;
  const all = spec.series.flatMap((s) => s.points);
  const tx = (x: number): number => (spec.logX ? Math.log2(Math.max(x, 1e-9)) : x);
  const xs = all.map(([x]) => tx(x));
  const ys = all.map(([, y]) => y);
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  const yTicks = niceTicks(Math.min(0, ...ys), ys.length ? Math.max(...ys) || 1 : 1);
  const y0 = yTicks[0];
  const y1 = yTicks[yTicks.length - 1] > y0 ? yTicks[yTicks.length - 1] : y0 + 1;
  const sx = (x: number): number => MARGIN.left + (x1 === x0 ? pw / 2 : ((tx(x) - x0) / (x1 - x0)) * pw);
  const sy = (y: number): number => MARGIN.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${w}" height="${h}" fill="white"/>`);
  out.push(`<text x="${w / 2}" y="22" text-anchor="middle" font-size="15">${esc(spec.title)}</text>`);
  out.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top + ph}" x2="${MARGIN.left + pw}" y2="${MARGIN.top + ph}" stroke="black"/>`);
  out.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + ph}" stroke="black"/>`);
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    out.push(`<line x1="${MARGIN.left - 4}" y1="${y}" x2="${MARGIN.left + pw}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
  }
  const xTicks = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  for (const t of xTicks.length <= 12 ? xTicks : ticks(x0, x1).map((v) => (spec.logX ? 2 ** v : v))) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${MARGIN.top + ph}" x2="${x}" y2="${MARGIN.top + ph + 4}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + ph + 18}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<text x="${MARGIN.left + pw / 2}" y="${h - 10}" text-anchor="middle">${esc(spec.xLabel)}${spec.logX ? ' (log scale)' : ''}</text>`);
  out.push(`<text x="16" y="${MARGIN.top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + ph / 2})">${esc(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    if (pts.length > 1) out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of pts) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${c}"/>`);
    const ly = MARGIN.top + 10 + i * 18;
    out.push(`<line x1="${w - MARGIN.right + 15}" y1="${ly}" x2="${w - MARGIN.right + 35}" y2="${ly}" stroke="${c}" stroke-width="2"/>`);
    out.push(`<text x="${w - MARGIN.right + 40}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
