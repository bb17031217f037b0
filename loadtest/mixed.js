// @ts-check
// A mixed client workload at a constant arrival rate: each iteration is one
// operation drawn from MIX (default search=60,locate=20,status=15,download=5).
// Locate and download use content hashes this VU's searches found (or SHA256S);
// until it has one, the iteration searches instead.
//
//   k6 run -e SUPERPEER_TARGET=127.0.0.1:6346 -e SUPERPEER_HTTP=127.0.0.1:6347 loadtest/mixed.js

import grpc from 'k6/net/grpc';
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';
import { readConfig, readTerms, numberFrom, DEFAULT_HTTP, steadyScenario } from './lib/env.js';
import {
  checksThresholds, latencyThresholds, searchThresholds, searchesPopular, streamThresholds, OPS_OK, NOT_EMPTY,
} from './lib/thresholds.js';
import { vuSampler } from './lib/terms.js';
import { recordSearch, searchStream } from './lib/search.js';
import { pickDownload, rememberHashes, sizeOf } from './lib/results.js';
import { DEFAULT_MIX, parseMix, pickOp } from './lib/mix.js';
import { opsOk, ready, setupRun } from './lib/vu.js';

const config = readConfig(__ENV);
const given = readTerms(__ENV, (path) => open(path));
const mix = parseMix(__ENV.MIX || DEFAULT_MIX);
const downloadP95Ms = numberFrom(__ENV, 'DOWNLOAD_P95_MS', 1000, { min: 1 });
/** Hashes and downloadable hits a VU keeps: enough variety, bounded memory. */
const KNOWN_CAP = 64;
/** Locate stops at the first source: its latency is the lookup, not a deadline. */
const LOCATE_MAX_RESULTS = 1;

const downloadChoked = new Rate('download_choked');

const ops = mix.map((entry) => entry.op);
// Locate and download search first until they know a hash, unless SHA256S gives Locate its hashes.
const searches = ops.includes('search') || ops.includes('download') || (ops.includes('locate') && config.sha256s.length === 0);
const thresholds = searches
  ? searchThresholds(config, searchesPopular(config, given))
  : { grpc_req_duration: streamThresholds(config), checks: checksThresholds(config) };
for (const op of ['locate', 'status']) {
  if (!ops.includes(op)) continue;
  thresholds[`grpc_req_duration{op:${op}}`] = latencyThresholds(config.p95Ms, config.p99Ms);
  thresholds[`${OPS_OK}{op:${op}}`] = [NOT_EMPTY];
}
if (ops.includes('download')) {
  thresholds['http_req_duration{op:download}'] = [`p(95)<${downloadP95Ms}`];
  thresholds.http_req_failed = ['rate<0.01'];
  thresholds[`${OPS_OK}{op:download}`] = [NOT_EMPTY];
}

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    mixed: steadyScenario(config),
  },
  thresholds,
};

// A choked upload slot answers 503 + Retry-After: expected under load, not a failure.
http.setResponseCallback(http.expectedStatuses(200, 503));

const client = new grpc.Client();
client.load([config.protoDir], 'superpeer/v1/overlay.proto');

export function setup() {
  return setupRun(client, config, given, options);
}

// Per-VU state.
/** @type {{ connected: boolean, sampler: ReturnType<typeof import('./lib/terms.js').termSampler> | null }} */
const vu = { connected: false, sampler: null };
/** @type {string[]} */
const knownHashes = [...config.sha256s];
/** @type {import('./lib/results.js').SearchResult[]} */
const downloadable = [];

/**
 * @param {import('./lib/vu.js').SetupData} data
 * @returns {Promise<void>}
 */
async function search(data) {
  const { term, kind } = vuSampler(vu, data, config).pick(Math.random);
  const request = { query: term, maxResults: config.maxResults, timeoutMs: config.searchTimeoutMs, ttl: config.ttl };
  const tags = { op: 'search', kind };
  const outcome = await searchStream(client, request, tags);
  recordSearch(outcome, tags, request);
  rememberHashes(knownHashes, outcome.results, KNOWN_CAP);
  const hit = pickDownload(outcome.results, config.maxDownloadBytes);
  if (hit !== null && !downloadable.some((d) => d.sha256 === hit.sha256)) {
    downloadable.push(hit);
    if (downloadable.length > KNOWN_CAP) downloadable.shift();
  }
}

/** @param {string} sha256 */
function locate(sha256) {
  const res = client.invoke(
    'superpeer.v1.Client/Locate',
    { sha256, timeoutMs: config.searchTimeoutMs, maxResults: LOCATE_MAX_RESULTS },
    { tags: { op: 'locate' } },
  );
  const message = /** @type {{ sources?: Array<{ sha256?: string }> } | null} */ (res.message);
  const sources = message && Array.isArray(message.sources) ? message.sources : [];
  const ok = check(res, {
    'locate: status OK': (r) => r.status === grpc.StatusOK,
    'locate: a source for the hash': () => sources.some((s) => s.sha256 === sha256),
  }, { op: 'locate' });
  if (ok) opsOk.add(1, { op: 'locate' });
}

function status() {
  const res = client.invoke('superpeer.v1.Client/Status', {}, { tags: { op: 'status' } });
  const message = /** @type {{ node?: { nodeId?: string, role?: string } } | null} */ (res.message);
  const node = message && message.node ? message.node : {};
  const ok = check(res, {
    'status: status OK': (r) => r.status === grpc.StatusOK,
    'status: names the node and its role': () => (node.nodeId || '') !== '' && ['supernode', 'leaf'].includes(node.role || ''),
  }, { op: 'status' });
  if (ok) opsOk.add(1, { op: 'status' });
}

/** @param {import('./lib/results.js').SearchResult} hit */
function download(hit) {
  const base = config.http !== null ? config.http : hit.httpAddress || DEFAULT_HTTP;
  const res = http.get(`http://${base}/files/${hit.sha256}`, {
    responseType: 'binary',
    tags: { op: 'download', name: 'GET /files/:sha256' },
  });
  downloadChoked.add(res.status === 503);
  const ok = check(res, {
    'download: 200, or 503 when upload slots are full': (r) => r.status === 200 || r.status === 503,
    'download: whole file': (r) => r.status !== 200 || (r.body !== null && r.body.byteLength === sizeOf(hit)),
  }, { op: 'download' });
  if (ok && res.status === 200) opsOk.add(1, { op: 'download' });
}

/** @param {import('./lib/vu.js').SetupData} data */
export default async function (data) {
  if (!ready(client, config, vu, data)) return;
  const op = pickOp(mix, Math.random());
  if (op === 'status') return status();
  if (op === 'locate' && knownHashes.length > 0) {
    return locate(knownHashes[Math.floor(Math.random() * knownHashes.length)]);
  }
  if (op === 'download' && downloadable.length > 0) {
    return download(downloadable[Math.floor(Math.random() * downloadable.length)]);
  }
  await search(data);
}
