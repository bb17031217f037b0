// @ts-check
// What every scenario does around its iterations: connect (a failed connect is
// a failed check, not a silent exception), and setup(): reach the target, learn
// the terms from what its overlay shares, refuse settings the running options
// do not reflect, and seed the companion counters. Imports k6 modules: k6 only.

import { check, sleep } from 'k6';
import exec from 'k6/execution';
import grpc from 'k6/net/grpc';
import { Counter } from 'k6/metrics';
import { scenarioDrift } from './env.js';
import { TERMS_CRAWL_NODES, resolveTerms, termsFromTopology } from './learn.js';
import { OPS_OK, SEARCHES_OK, companionSeeds } from './thresholds.js';

export const STATUS_METHOD = 'superpeer.v1.Client/Status';
export const TOPOLOGY_METHOD = 'superpeer.v1.Client/Topology';
/** Topology is a crawl: each hop has its own 2 s bound on the node, this bounds the whole call. */
export const TOPOLOGY_TIMEOUT = '30s';
/** A node runs few crawls at once and answers RESOURCE_EXHAUSTED to more (several k6 runners start together): retry, waiting 1 s, 2 s, ... */
export const TOPOLOGY_ATTEMPTS = 5;
/** A Topology of TERMS_CRAWL_NODES nodes with their file lists is larger than gRPC's default 4 MiB. */
export const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

// Created at module load, which is the init context.
export const searchesOk = new Counter(SEARCHES_OK);
export const opsOk = new Counter(OPS_OK);

/** @type {Record<string, Counter>} */
const COMPANIONS = { [SEARCHES_OK]: searchesOk, [OPS_OK]: opsOk };

/**
 * @typedef {import('k6/net/grpc').Client} GrpcClient
 * @typedef {import('./env.js').Config} Config
 */

/**
 * @param {GrpcClient} client
 * @param {Config} config
 */
function connect(client, config) {
  client.connect(config.target, {
    plaintext: !config.tls,
    timeout: `${config.connectTimeoutMs}ms`,
    maxReceiveSize: MAX_RECEIVE_BYTES,
  });
}

/**
 * Whether an iteration can run: setup()'s terms are there (not with `k6 run
 * --no-setup`: a failed check, so the run cannot pass on iterations that did
 * nothing) and the client is connected.
 * @param {GrpcClient} client
 * @param {Config} config
 * @param {{ connected: boolean }} state per-VU
 * @param {unknown} data what setup() returned
 * @returns {boolean}
 */
export function ready(client, config, state, data) {
  const d = /** @type {{ popular?: unknown, rare?: unknown } | null | undefined} */ (data);
  if (!d || !Array.isArray(d.popular) || !Array.isArray(d.rare)) {
    check(data, { 'setup: search terms learned or given': () => false });
    return false;
  }
  return ensureConnected(client, config, state);
}

/**
 * Connect this VU's client once. A connect that throws (nothing listening, TLS
 * mismatch) is a failed check and the iteration does nothing; the next one tries again.
 * @param {GrpcClient} client
 * @param {Config} config
 * @param {{ connected: boolean }} state per-VU
 * @returns {boolean} whether the client is connected
 */
export function ensureConnected(client, config, state) {
  if (state.connected) return true;
  /** @type {string} */
  let error = '';
  try {
    connect(client, config);
    state.connected = true;
  } catch (err) {
    error = String(err);
  }
  check(error, { 'connect: target reachable': (e) => e === '' });
  return state.connected;
}

/**
 * @typedef {object} SetupData what setup() hands every VU
 * @property {string[]} popular
 * @property {string[]} rare
 * @property {string} source where the terms came from
 * @property {string} nodeId the target's node id
 * @property {string} role the target's role
 */

/**
 * @param {GrpcClient} client
 * @param {string} method
 * @param {object} request
 * @param {string} [timeout]
 * @param {number} [attempts] tries while the node answers RESOURCE_EXHAUSTED or UNAVAILABLE
 * @returns {Record<string, unknown>}
 */
function call(client, method, request, timeout, attempts) {
  const params = timeout === undefined ? {} : { timeout };
  let res = client.invoke(method, request, params);
  for (let attempt = 1; attempt < (attempts || 1) && (res.status === grpc.StatusResourceExhausted || res.status === grpc.StatusUnavailable); attempt++) {
    sleep(attempt);
    res = client.invoke(method, request, params);
  }
  if (res.status !== grpc.StatusOK) {
    const error = /** @type {{ message?: string } | null} */ (res.error);
    throw new Error(`${method}: status ${res.status}${error && error.message ? `: ${error.message}` : ''}`);
  }
  return /** @type {Record<string, unknown>} */ (res.message || {});
}

/**
 * setup(): everything a run must know before the load starts. Throws (k6 then
 * exits non-zero before any load) when the target does not answer, when its
 * overlay shares nothing to search for, or when the running scenario is not the
 * one this run's settings describe (a `k6 archive` made with other settings).
 * @param {GrpcClient} client loaded in the init context, not yet connected
 * @param {Config} config
 * @param {import('./env.js').GivenTerms} given
 * @param {import('k6/options').Options} options the script's exported options
 * @returns {SetupData}
 */
export function setupRun(client, config, given, options) {
  const scenarios = /** @type {Record<string, Record<string, unknown>>} */ (/** @type {unknown} */ (options.scenarios || {}));
  const running = /** @type {Record<string, Record<string, unknown>> | undefined} */ (
    exec.test && exec.test.options ? exec.test.options.scenarios : undefined
  );
  for (const name of Object.keys(scenarios)) {
    const drift = scenarioDrift(scenarios[name], running === undefined ? undefined : running[name]);
    if (drift.length > 0) {
      throw new Error(
        `scenario ${name} is not what this run's settings describe (${drift.join('; ')}). ` +
          'A k6 archive keeps the options it was made with: make it with the -e settings you want to run.',
      );
    }
  }
  try {
    connect(client, config);
  } catch (err) {
    throw new Error(`cannot connect to ${config.target}: ${String(err)}`);
  }
  const status = call(client, STATUS_METHOD, {});
  const node = /** @type {{ nodeId?: string, role?: string }} */ (status.node || {});
  const terms = resolveTerms(
    given,
    () => termsFromTopology(call(client, TOPOLOGY_METHOD, { maxNodes: TERMS_CRAWL_NODES }, TOPOLOGY_TIMEOUT, TOPOLOGY_ATTEMPTS), node.nodeId || ''),
    config.rareFraction,
  );
  client.close();
  const thresholds = /** @type {Record<string, string[]>} */ (options.thresholds || {});
  for (const seed of companionSeeds(thresholds)) {
    const counter = COMPANIONS[seed.metric];
    if (counter !== undefined) counter.add(0, seed.tags);
  }
  return { popular: terms.popular, rare: terms.rare, source: terms.source, nodeId: node.nodeId || '', role: node.role || '' };
}
