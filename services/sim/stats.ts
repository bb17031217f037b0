// Per-mode report: success, results, hops, messages, load balance, latency,
// locality — overall and per time window. Numbers are rounded so the JSON of
// a seed is byte-identical across runs and machines.
import { coefficientOfVariation, jainFairness } from '../core/balance.js';
import type { SearchRecord } from './network.js';

export interface LoadStats {
  nodes: number;
  max: number;
  mean: number;
  cv: number;
  jain: number;
}

export interface SearchStats {
  queries: number;
  /** Searches whose searcher left before the end (churn); not in the rates. */
  abandoned: number;
  successRate: number;
  resultsPerQuery: number;
  /** Results by hop count (index = hops). */
  hopsHistogram: number[];
  meanHops: number;
  messagesPerQuery: number;
  queryMessagesPerQuery: number;
  hitMessagesPerQuery: number;
  /** Supernodes holding a match, per search (floor.ts; 0 where the mode does not measure it). */
  floorPerQuery: number;
  /** Query messages per search over that floor (0 where unmeasured). */
  queryMessagesToFloor: number;
  /** Virtual ms to the first result, over successful searches. */
  firstHitMsMean: number;
  firstHitMsP50: number;
  firstHitMsP95: number;
  /** Share of results from the searcher's own zone. */
  sameZoneShare: number;
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return 0;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function loadStats(xs: readonly number[]): LoadStats {
  const n = xs.length;
  const sum = xs.reduce((a, b) => a + b, 0);
  return { nodes: n, max: xs.reduce((a, b) => Math.max(a, b), 0), mean: round(n ? sum / n : 0), cv: round(coefficientOfVariation(xs)), jain: round(jainFairness(xs)) };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function searchStats(records: readonly SearchRecord[]): SearchStats {
  const done = records.filter((r) => r.done && !r.abandoned);
  const n = done.length;
  const hist: number[] = [];
  let results = 0;
  let same = 0;
  let qm = 0;
  let hm = 0;
  let hopSum = 0;
  let hopCount = 0;
  let floor = 0;
  let floored = 0;
  const first: number[] = [];
  for (const r of done) {
    results += r.results;
    same += r.sameZoneResults;
    qm += r.queryMessages;
    hm += r.hitMessages;
    if (r.floor !== undefined) {
      floor += Math.max(1, r.floor);
      floored++;
    }
    for (const h of r.hops) {
      while (hist.length <= h) hist.push(0);
      hist[h]++;
      hopSum += h;
      hopCount++;
    }
    if (r.firstHitMs !== null) first.push(r.firstHitMs);
  }
  first.sort((a, b) => a - b);
  return {
    queries: n,
    abandoned: records.length - n,
    successRate: round(n ? first.length / n : 0),
    resultsPerQuery: round(n ? results / n : 0),
    hopsHistogram: hist,
    meanHops: round(hopCount ? hopSum / hopCount : 0),
    messagesPerQuery: round(n ? (qm + hm) / n : 0),
    queryMessagesPerQuery: round(n ? qm / n : 0),
    hitMessagesPerQuery: round(n ? hm / n : 0),
    floorPerQuery: round(floored ? floor / floored : 0),
    queryMessagesToFloor: round(floored && floor ? qm / floor : 0),
    firstHitMsMean: round(first.length ? first.reduce((a, b) => a + b, 0) / first.length : 0, 1),
    firstHitMsP50: round(quantile(first, 0.5), 1),
    firstHitMsP95: round(quantile(first, 0.95), 1),
    sameZoneShare: round(results ? same / results : 0),
  };
}
