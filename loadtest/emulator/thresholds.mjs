// k6's threshold semantics, as its metrics engine applies them at the end of a
// test: every threshold is evaluated, also on a metric without samples (an
// empty Trend reads 0 for every statistic, an empty Rate is 0/0 and fails any
// comparison, an empty Counter counts 0); a sub-metric `name{tag:value,...}`
// takes the samples carrying all those tags. skipEmpty leaves thresholds on
// metrics without samples unjudged (passed), as k6 does while a test runs:
// the scenarios must fail either way.
import { metricTypes } from './k6/runtime.mjs';

const EXPRESSION = /^\s*(count|rate|value|avg|min|max|med|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

function parseKey(key) {
  const open = key.indexOf('{');
  if (open < 0) return { metric: key, tags: {} };
  const tags = {};
  for (const pair of key.slice(open + 1, -1).split(',')) {
    const colon = pair.indexOf(':');
    tags[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return { metric: key.slice(0, open), tags };
}

function percentile(sorted, pct) {
  if (sorted.length === 0) return 0;
  if (sorted.length === 1) return sorted[0];
  const i = (pct / 100) * (sorted.length - 1);
  const lo = Math.floor(i);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** The statistics k6 exposes for a metric's sink. */
export function aggregate(type, values, elapsedMs) {
  if (type === 'counter') {
    const count = values.reduce((a, b) => a + b, 0);
    return { count, rate: count / Math.max(elapsedMs / 1000, 1e-9) };
  }
  if (type === 'rate') return { rate: values.filter((v) => v !== 0).length / values.length, samples: values.length };
  if (type === 'gauge') return { value: values.length === 0 ? 0 : values[values.length - 1] };
  const sorted = values.slice().sort((a, b) => a - b);
  const n = sorted.length;
  return {
    samples: n,
    avg: n === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / n,
    min: n === 0 ? 0 : sorted[0],
    max: n === 0 ? 0 : sorted[n - 1],
    med: percentile(sorted, 50),
    sorted,
  };
}

function valuesOf(samples, key) {
  const { metric, tags } = parseKey(key);
  const wanted = Object.entries(tags);
  return samples.filter((s) => s.metric === metric && wanted.every(([k, v]) => s.tags[k] === v)).map((s) => s.value);
}

function typeOf(key) {
  const { metric } = parseKey(key);
  const type = metricTypes.get(metric);
  if (type === undefined) throw new Error(`threshold on ${key}: no metric ${metric} in the script`);
  return type;
}

export function evaluateThresholds(thresholds, samples, elapsedMs, skipEmpty) {
  const out = [];
  for (const key of Object.keys(thresholds)) {
    const type = typeOf(key);
    const values = valuesOf(samples, key);
    if (skipEmpty && values.length === 0) {
      for (const entry of thresholds[key]) out.push({ key, source: typeof entry === 'string' ? entry : entry.threshold, value: NaN, ok: true });
      continue;
    }
    const stats = aggregate(type, values, elapsedMs);
    for (const entry of thresholds[key]) {
      const source = typeof entry === 'string' ? entry : entry.threshold;
      const m = EXPRESSION.exec(source);
      if (!m) throw new Error(`threshold ${key}: cannot parse ${source}`);
      const lhs = m[2] !== undefined ? percentile(stats.sorted || [], Number(m[2])) : stats[m[1]];
      if (lhs === undefined) throw new Error(`threshold ${key}: ${m[1]} is not a statistic of a ${type}`);
      const rhs = Number(m[4]);
      const ok = { '<': lhs < rhs, '<=': lhs <= rhs, '>': lhs > rhs, '>=': lhs >= rhs, '==': lhs === rhs, '===': lhs === rhs, '!=': lhs !== rhs }[m[3]];
      out.push({ key, source, value: lhs, ok });
    }
  }
  return out;
}

/** The thresholded metrics' statistics, without the raw values. */
export function summarize(samples, thresholds) {
  const out = {};
  for (const key of Object.keys(thresholds)) {
    const type = metricTypes.get(parseKey(key).metric);
    if (type === undefined) continue;
    const stats = aggregate(type, valuesOf(samples, key), 1000);
    if (stats.sorted) {
      stats.p95 = percentile(stats.sorted, 95);
      delete stats.sorted;
    }
    out[key] = stats;
  }
  for (const name of ['iterations', 'dropped_iterations', 'grpc_streams']) out[name] = aggregate('counter', valuesOf(samples, name), 1000);
  // The rare terms' hit rate too: not thresholded, but part of what a run measured.
  for (const key of ['search_hit_rate', 'search_hit_rate{kind:rare}']) {
    const values = valuesOf(samples, key);
    if (values.length > 0 && !(key in out)) out[key] = aggregate('rate', values, 1000);
  }
  return out;
}
