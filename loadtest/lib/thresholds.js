// @ts-check
// The thresholds that decide a run's exit code, built in one place so no
// scenario can pass on nothing. k6 passes a latency threshold on a metric that
// got no samples (an empty Trend has p(95) = 0), so every threshold that needs
// samples comes with a companion Counter threshold `count>0` over the same
// population, and setup() adds a 0 to each companion so its sink is never
// empty. No k6 imports.

import { STREAM_CLOSE_SLACK_P95_MS, STREAM_CLOSE_SLACK_P99_MS } from './env.js';
import { KIND_POPULAR, KIND_RARE } from './terms.js';

/** Counter: searches whose stream ended OK with at least one well-formed result (tags: kind, and step in a ramp). */
export const SEARCHES_OK = 'searches_ok';
/** Counter: mixed.js operations that did what they should (tag: op). */
export const OPS_OK = 'ops_ok';
/** The companion expression: fails when the population is empty. */
export const NOT_EMPTY = 'count>0';

/**
 * @typedef {import('./env.js').Config} Config
 * @typedef {Record<string, string[]>} Thresholds
 */

/**
 * @param {number} p95Ms
 * @param {number} p99Ms
 * @returns {string[]}
 */
export function latencyThresholds(p95Ms, p99Ms) {
  return [`p(95)<${p95Ms}`, `p(99)<${p99Ms}`];
}

/**
 * grpc_req_duration bounds for a scenario whose calls include Search streams.
 * k6 records a stream's whole lifetime in grpc_req_duration, and a Search
 * stream lives until its deadline unless max_results arrived, so the bound is
 * "closed on time"; how fast results come is thresholded on search_first_result.
 * @param {Config} config
 * @returns {string[]}
 */
export function streamThresholds(config) {
  return latencyThresholds(
    config.searchTimeoutMs + STREAM_CLOSE_SLACK_P95_MS,
    config.searchTimeoutMs + STREAM_CLOSE_SLACK_P99_MS,
  );
}

/**
 * @param {Config} config
 * @returns {string[]}
 */
export function checksThresholds(config) {
  return [`rate>${config.minCheckRate}`];
}

/**
 * Whether any search will be for a popular term: not when RARE_FRACTION=1 or
 * the popular list was given empty.
 * @param {Config} config
 * @param {{ popular: string[] | null }} given
 * @returns {boolean}
 */
export function searchesPopular(config, given) {
  return config.rareFraction < 1 && (given.popular === null || given.popular.length > 0);
}

/**
 * The thresholds of a scenario that searches. Popular searches carry the
 * latency and hit-rate bounds (a rare term may legitimately find nothing
 * before its deadline); their companion is searches_ok{kind:popular}. A run
 * of rare terms only still needs one search that found something.
 * @param {Config} config
 * @param {boolean} popular whether popular terms are searched (searchesPopular)
 * @returns {Thresholds}
 */
export function searchThresholds(config, popular) {
  /** @type {Thresholds} */
  const t = {
    grpc_req_duration: streamThresholds(config),
    checks: checksThresholds(config),
  };
  if (popular) {
    t[`search_first_result{kind:${KIND_POPULAR}}`] = latencyThresholds(config.p95Ms, config.p99Ms);
    t[`search_hit_rate{kind:${KIND_POPULAR}}`] = [`rate>=${config.minHitRate}`];
    t[`${SEARCHES_OK}{kind:${KIND_POPULAR}}`] = [NOT_EMPTY];
  } else {
    t[`${SEARCHES_OK}{kind:${KIND_RARE}}`] = [NOT_EMPTY];
  }
  return t;
}

/**
 * @typedef {object} Seed one sample of 0 that keeps a companion's sink from being empty
 * @property {string} metric
 * @property {Record<string, string>} tags
 */

/**
 * The metric and tags of every `count>0` threshold: setup() adds 0 to each.
 * @param {Record<string, ReadonlyArray<string | { threshold: string }>>} thresholds
 * @returns {Seed[]}
 */
export function companionSeeds(thresholds) {
  /** @type {Seed[]} */
  const seeds = [];
  for (const key of Object.keys(thresholds)) {
    const companion = thresholds[key].some((x) => (typeof x === 'string' ? x : x.threshold) === NOT_EMPTY);
    if (companion) seeds.push(parseMetricKey(key));
  }
  return seeds;
}

/**
 * "name{a:1,b:2}" → { metric: "name", tags: { a: "1", b: "2" } }.
 * @param {string} key
 * @returns {Seed}
 */
export function parseMetricKey(key) {
  const open = key.indexOf('{');
  if (open < 0) return { metric: key, tags: {} };
  if (!key.endsWith('}')) throw new Error(`threshold key ${key}: missing }`);
  /** @type {Record<string, string>} */
  const tags = {};
  for (const pair of key.slice(open + 1, -1).split(',')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new Error(`threshold key ${key}: expected tag:value, got ${pair}`);
    tags[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return { metric: key.slice(0, open), tags };
}
