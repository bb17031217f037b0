// @ts-check
// Configuration of the k6 scenarios from environment variables (`k6 run -e
// NAME=value`). Pure functions of the env object, so Node tests can call them
// and every scenario reads the same names with the same defaults.

import { parseTermList, POPULAR_TERMS, RARE_TERMS } from './terms.js';
import { durationMs } from './ramp.js';

/** gRPC port of a node (the fixed contract). */
export const DEFAULT_TARGET = '127.0.0.1:6346';
/** HTTP port of a node: GET /files/<sha256>. */
export const DEFAULT_HTTP = '127.0.0.1:6347';

/**
 * @typedef {object} Config
 * @property {string} target host:port of the node's gRPC server
 * @property {boolean} tls connect with TLS instead of plaintext
 * @property {number} connectTimeoutMs how long Client.connect may block
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
 * @property {number} minHitRate threshold on the share of popular searches with a result
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
  const raw = textFrom(env, name, '').toLowerCase();
  return raw === '1' || raw === 'true' || raw === 'yes';
}

/**
 * A trimmed string variable, or `fallback` when unset or blank.
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function textFrom(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.trim();
}

/**
 * How much later than its deadline a Search stream may close: the server closes
 * it at timeout_ms (or earlier when max_results arrived), the rest is transport.
 */
export const STREAM_CLOSE_SLACK_P95_MS = 250;
export const STREAM_CLOSE_SLACK_P99_MS = 1000;
/** Spare VUs above the Little's-law estimate, for bursts of arrivals and slow closes. */
export const VU_HEADROOM = 1.25;

/**
 * VUs an arrival-rate scenario needs (Little's law: concurrency = arrival rate
 * x time in the system). An iteration holds its VU for one Search stream, which
 * lasts up to its deadline when fewer than max_results match, as most specific
 * names do; so `rate x timeout` VUs are busy in the steady state, and a stream
 * that closes at the p99 slack bound holds one for `timeout + slack`.
 * @param {number} rate iterations per second (the peak, for a ramp)
 * @param {number} searchTimeoutMs
 * @returns {{ preAllocatedVUs: number, maxVUs: number }}
 */
export function vusFor(rate, searchTimeoutMs) {
  const busy = (rate * searchTimeoutMs) / 1000;
  const worst = (rate * (searchTimeoutMs + STREAM_CLOSE_SLACK_P99_MS)) / 1000;
  return {
    preAllocatedVUs: Math.max(5, Math.ceil(busy)),
    maxVUs: Math.max(10, Math.ceil(worst * VU_HEADROOM)),
  };
}

/**
 * PRE_VUS / MAX_VUS, defaulting to `vusFor(rate, searchTimeoutMs)`.
 * @param {Record<string, string | undefined>} env
 * @param {number} rate
 * @param {number} searchTimeoutMs
 * @returns {{ preAllocatedVUs: number, maxVUs: number }}
 */
export function readVus(env, rate, searchTimeoutMs) {
  const sized = vusFor(rate, searchTimeoutMs);
  const preAllocatedVUs = numberFrom(env, 'PRE_VUS', sized.preAllocatedVUs, { min: 1, integer: true });
  const maxVUs = numberFrom(env, 'MAX_VUS', Math.max(preAllocatedVUs, sized.maxVUs), { min: preAllocatedVUs, integer: true });
  return { preAllocatedVUs, maxVUs };
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {Config}
 */
export function readConfig(env) {
  const rate = numberFrom(env, 'RATE', 50, { min: 1, integer: true });
  const searchTimeoutMs = numberFrom(env, 'SEARCH_TIMEOUT_MS', 2000, { min: 1, integer: true });
  const vus = readVus(env, rate, searchTimeoutMs);
  const sha256s = parseTermList(textFrom(env, 'SHA256S', '')).map((h) => h.toLowerCase());
  for (const h of sha256s) {
    if (!/^[0-9a-f]{64}$/.test(h)) throw new Error(`SHA256S: ${h} is not 64 hex digits`);
  }
  return {
    target: textFrom(env, 'SUPERPEER_TARGET', DEFAULT_TARGET),
    tls: flagFrom(env, 'SUPERPEER_TLS'),
    connectTimeoutMs: numberFrom(env, 'CONNECT_TIMEOUT_MS', 5000, { min: 1, integer: true }),
    http: textFrom(env, 'SUPERPEER_HTTP', '') || null,
    protoDir: textFrom(env, 'PROTO_DIR', '../proto'),
    rate,
    duration: durationFrom(env, 'DURATION', '1m'),
    preAllocatedVUs: vus.preAllocatedVUs,
    maxVUs: vus.maxVUs,
    searchTimeoutMs,
    maxResults: numberFrom(env, 'MAX_RESULTS', 25, { min: 0, integer: true }),
    ttl: numberFrom(env, 'TTL', 0, { min: 0, max: 7, integer: true }),
    zipfExponent: numberFrom(env, 'ZIPF_S', 1, { min: 0 }),
    rareFraction: numberFrom(env, 'RARE_FRACTION', 0.1, { min: 0, max: 1 }),
    p95Ms: numberFrom(env, 'P95_MS', 500, { min: 1 }),
    p99Ms: numberFrom(env, 'P99_MS', 1500, { min: 1 }),
    minCheckRate: numberFrom(env, 'MIN_CHECK_RATE', 0.99, { min: 0, max: 1 }),
    minHitRate: numberFrom(env, 'MIN_HIT_RATE', 0.9, { min: 0, max: 1 }),
    maxDownloadBytes: numberFrom(env, 'MAX_DOWNLOAD_BYTES', 1024 * 1024, { min: 1, integer: true }),
    sha256s,
  };
}

/**
 * @typedef {object} GivenTerms the term lists the settings name; null = learn it from the target
 * @property {string[] | null} popular
 * @property {string[] | null} rare
 */

/**
 * The term lists the settings give: TERMS / RARE_TERMS (comma-separated) or
 * TERMS_FILE / RARE_TERMS_FILE (one per line, read through `readFile`: k6's
 * `open` in the init context). A list not given is learned from the target in
 * setup(), unless BUILTIN_TERMS=1 asks for the built-in lists.
 * @param {Record<string, string | undefined>} env
 * @param {(path: string) => string} readFile
 * @returns {GivenTerms}
 */
export function readTerms(env, readFile) {
  const builtin = flagFrom(env, 'BUILTIN_TERMS');
  /**
   * @param {string} listName
   * @param {string} fileName
   * @param {readonly string[]} fallback
   * @returns {string[] | null}
   */
  const list = (listName, fileName, fallback) => {
    const inline = textFrom(env, listName, '');
    if (inline !== '') return parseTermList(inline);
    const file = textFrom(env, fileName, '');
    if (file !== '') return parseTermList(readFile(file));
    return builtin ? fallback.slice() : null;
  };
  const popular = list('TERMS', 'TERMS_FILE', POPULAR_TERMS);
  const rare = list('RARE_TERMS', 'RARE_TERMS_FILE', RARE_TERMS);
  if (popular !== null && rare !== null && popular.length === 0 && rare.length === 0) {
    throw new Error('TERMS: the term lists are empty');
  }
  return { popular, rare };
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

/** Scenario fields that take a k6 duration string. */
const DURATION_FIELDS = ['duration', 'timeUnit'];

/**
 * @param {unknown} a
 * @param {unknown} b
 * @param {boolean} isDuration
 * @returns {boolean}
 */
function sameSetting(a, b, isDuration) {
  if (isDuration && typeof a === 'string' && typeof b === 'string' && DURATION_RE.test(a) && DURATION_RE.test(b)) {
    return durationMs(a) === durationMs(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = /** @type {Record<string, unknown>} */ (a[i]);
      const y = /** @type {Record<string, unknown>} */ (b[i]);
      for (const key of Object.keys(x)) if (!sameSetting(x[key], y[key], key === 'duration')) return false;
    }
    return true;
  }
  return a === b;
}

/**
 * Where the scenario k6 runs differs from the one these settings describe. A
 * `k6 archive` keeps the options it was made with, so RATE or DURATION given
 * only at run time would change the script's view (targets, thresholds) but not
 * the load; setup() refuses such a run instead of measuring something else.
 * @param {Record<string, unknown>} wanted the scenario built from this run's environment
 * @param {Record<string, unknown> | undefined} running exec.test.options.scenarios[name]
 * @returns {string[]} "field: wanted X, running Y" for each difference
 */
export function scenarioDrift(wanted, running) {
  if (running === undefined || running === null) return [];
  /** @type {string[]} */
  const out = [];
  for (const key of Object.keys(wanted)) {
    if (!(key in running)) continue;
    if (!sameSetting(wanted[key], running[key], DURATION_FIELDS.includes(key))) {
      out.push(`${key}: this run's settings give ${JSON.stringify(wanted[key])}, k6 runs ${JSON.stringify(running[key])}`);
    }
  }
  return out;
}
