// Order statistics for latency samples. Nearest-rank percentiles: every
// reported value is one that was measured.

export interface Quantiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function quantiles(samples: readonly number[]): Quantiles {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    count: s.length,
    p50: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    p99: round(percentile(s, 99)),
    mean: round(s.length ? sum / s.length : NaN),
    max: round(s.length ? s[s.length - 1] : NaN),
  };
}

/** Three decimals: microseconds when the unit is milliseconds. */
export function round(v: number, digits = 3): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** value / floor, or null when the floor was not measured (never a made-up ratio). */
export function ratio(value: number | null, floor: number | null): number | null {
  if (value === null || floor === null || !Number.isFinite(value) || !Number.isFinite(floor) || floor <= 0) return null;
  return round(value / floor, 2);
}
