// @ts-check
// Configuration of the k6 scenarios from environment variables (`k6 run -e
// NAME=value`). Pure functions of the env object, so Node tests can call them
// and every scenario reads the same names with the same defaults.

import { parseTermList, POPULAR_TERMS, RARE_TERMS } from './terms.js';

/** gRPC port of a node (the fixed contract). */
export const DEFAULT_TARGET = '127.0.0.1:6346';
/** HTTP port of a node: GET /files/<sha256>. */
export const DEFAULT_HTTP = '127.0.0.1:6347';

/**
 * @typedef {object} Config
 * @property {string} target host:port of the node's gRPC server
 * @property {boolean} tls connect with TLS instead of plaintext
 * @property {string | null} http host:port for downloads; null = the source named in the hit
 * @property {string} protoDir import path of the repository's protos, relative to loadtest/
 * @property {number} rate iterations per second (arrival-rate executors)
 * @property {string} duration k6 duration, e.g. "1m"
 * @property {number} preAllocatedVUs
 * @property {number} maxVUs
 * @property {number} searchTimeoutMs SearchRequest.timeout_ms
 * @property {number} maxResults SearchRequest.max_results (0 = server default)
 * @property {number} ttl SearchRequest.ttl (0 = server default)
 * @property {number} zipfExponent
 * @property {number} rareFraction
 * @property {number} p95Ms threshold on grpc_req_duration p95
 * @property {number} p99Ms threshold on grpc_req_duration p99
 * @property {number} minCheckRate threshold on the checks rate
 * @property {number} maxDownloadBytes mixed.js downloads only files up to this size
 * @property {string[]} sha256s known content hashes to Locate and download (mixed.js)
 */

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {number} fallback
 * @param {{ min?: number, max?: number, integer?: boolean }} [bounds]
 * @returns {number}
 */
export function numberFrom(env, name, fallback, bounds = {}) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const { min = -Infinity, max = Infinity, integer = false } = bounds;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  }
  return value;
}

const DURATION_RE = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/**
 * A k6 duration string ("30s", "1m30s").
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function durationFrom(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!DURATION_RE.test(raw.trim())) throw new Error(`${name}=${raw}: expected a duration like 30s, 1m or 1m30s`);
  return raw.trim();
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @returns {boolean}
 */
export function flagFrom(env, name) {
  const raw = (env[name] ?? '').trim().toLowerCase();
  return raw === '1' || raw === 'true' || raw === 'yes';
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {Config}
 */
export function readConfig(env) {
  const rate = numberFrom(env, 'RATE', 50, { min: 1, integer: true });
  const preAllocatedVUs = numberFrom(env, 'PRE_VUS', Math.max(5, Math.ceil(rate / 5)), { min: 1, integer: true });
  const sha256s = parseTermList(env.SHA256S ?? '').map((h) => h.toLowerCase());
  for (const h of sha256s) {
    if (!/^[0-9a-f]{64}$/.test(h)) throw new Error(`SHA256S: ${h} is not 64 hex digits`);
  }
  return {
    target: (env.SUPERPEER_TARGET ?? '').trim() || DEFAULT_TARGET,
    tls: flagFrom(env, 'SUPERPEER_TLS'),
    http: (env.SUPERPEER_HTTP ?? '').trim() || null,
    protoDir: (env.PROTO_DIR ?? '').trim() || '../proto',
    rate,
    duration: durationFrom(env, 'DURATION', '1m'),
    preAllocatedVUs,
    maxVUs: numberFrom(env, 'MAX_VUS', Math.max(preAllocatedVUs, rate * 2), { min: preAllocatedVUs, integer: true }),
    searchTimeoutMs: numberFrom(env, 'SEARCH_TIMEOUT_MS', 2000, { min: 1, integer: true }),
    maxResults: numberFrom(env, 'MAX_RESULTS', 25, { min: 0, integer: true }),
    ttl: numberFrom(env, 'TTL', 0, { min: 0, max: 7, integer: true }),
    zipfExponent: numberFrom(env, 'ZIPF_S', 1, { min: 0 }),
    rareFraction: numberFrom(env, 'RARE_FRACTION', 0.1, { min: 0, max: 1 }),
    p95Ms: numberFrom(env, 'P95_MS', 500, { min: 1 }),
    p99Ms: numberFrom(env, 'P99_MS', 1500, { min: 1 }),
    minCheckRate: numberFrom(env, 'MIN_CHECK_RATE', 0.99, { min: 0, max: 1 }),
    maxDownloadBytes: numberFrom(env, 'MAX_DOWNLOAD_BYTES', 1024 * 1024, { min: 1, integer: true }),
    sha256s,
  };
}

/**
 * The term lists: TERMS / RARE_TERMS (comma-separated) or TERMS_FILE /
 * RARE_TERMS_FILE (one per line, read through `readFile`: k6's `open` in the
 * init context). Unset = the built-in lists.
 * @param {Record<string, string | undefined>} env
 * @param {(path: string) => string} readFile
 * @returns {{ popular: string[], rare: string[] }}
 */
export function readTerms(env, readFile) {
  /**
   * @param {string} listName
   * @param {string} fileName
   * @param {readonly string[]} fallback
   * @returns {string[]}
   */
  const list = (listName, fileName, fallback) => {
    const inline = env[listName];
    if (inline !== undefined && inline.trim() !== '') return parseTermList(inline);
    const file = env[fileName];
    if (file !== undefined && file.trim() !== '') return parseTermList(readFile(file.trim()));
    return [...fallback];
  };
  const popular = list('TERMS', 'TERMS_FILE', POPULAR_TERMS);
  const rare = list('RARE_TERMS', 'RARE_TERMS_FILE', RARE_TERMS);
  if (popular.length === 0 && rare.length === 0) throw new Error('TERMS: the term lists are empty');
  return { popular, rare };
}

/**
 * How much later than its deadline a Search stream may close: the server closes
 * it at timeout_ms (or earlier when max_results arrived), the rest is transport.
 */
export const STREAM_CLOSE_SLACK_P95_MS = 250;
export const STREAM_CLOSE_SLACK_P99_MS = 1000;

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
 * The open-loop scenario of the steady scripts: `config.rate` iterations a
 * second for `config.duration`, whatever the latency (constant-arrival-rate).
 * @param {Config} config
 * @returns {import('k6/options').ConstantArrivalRateScenario}
 */
export function steadyScenario(config) {
  return {
    executor: 'constant-arrival-rate',
    rate: config.rate,
    timeUnit: '1s',
    duration: config.duration,
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
  };
}
