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
import { readConfig, readTerms, numberFrom, streamThresholds, checksThresholds, latencyThresholds, DEFAULT_HTTP, steadyScenario } from './lib/env.js';
import { termSampler } from './lib/terms.js';
import { recordSearch, searchStream } from './lib/search.js';
import { pickDownload, rememberHashes, sizeOf } from './lib/results.js';
import { DEFAULT_MIX, parseMix, pickOp } from './lib/mix.js';

const config = readConfig(__ENV);
const sampler = termSampler({
  ...readTerms(__ENV, (path) => open(path)),
  exponent: config.zipfExponent,
  rareFraction: config.rareFraction,
});
const mix = parseMix(__ENV.MIX || DEFAULT_MIX);
const downloadP95Ms = numberFrom(__ENV, 'DOWNLOAD_P95_MS', 1000, { min: 1 });
/** Hashes and downloadable hits a VU keeps: enough variety, bounded memory. */
const KNOWN_CAP = 64;
/** Locate stops at the first source: its latency is the lookup, not a deadline. */
const LOCATE_MAX_RESULTS = 1;

const downloadChoked = new Rate('download_choked');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    mixed: steadyScenario(config),
  },
  thresholds: {
    grpc_req_duration: streamThresholds(config),
    'grpc_req_duration{op:locate}': latencyThresholds(config.p95Ms, config.p99Ms),
    'grpc_req_duration{op:status}': latencyThresholds(config.p95Ms, config.p99Ms),
    'search_first_result{kind:popular}': latencyThresholds(config.p95Ms, config.p99Ms),
    'http_req_duration{op:download}': [`p(95)<${downloadP95Ms}`],
    http_req_failed: ['rate<0.01'],
    checks: checksThresholds(config),
  },
};

// A choked upload slot answers 503 + Retry-After: expected under load, not a failure.
http.setResponseCallback(http.expectedStatuses(200, 503));

const client = new grpc.Client();
client.load([config.protoDir], 'superpeer/v1/overlay.proto');

// Per-VU state.
let connected = false;
/** @type {string[]} */
const knownHashes = [...config.sha256s];
/** @type {import('./lib/results.js').SearchResult[]} */
const downloadable = [];

/** @returns {Promise<void>} */
async function search() {
  const { term, kind } = sampler.pick(Math.random);
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
  const message = /** @type {{ sources?: Array<{ sha256: string }> }} */ (res.message);
  check(res, {
    'locate: status OK': (r) => r.status === grpc.StatusOK,
    'locate: a source for the hash': () => (message?.sources ?? []).some((s) => s.sha256 === sha256),
  }, { op: 'locate' });
}

function status() {
  const res = client.invoke('superpeer.v1.Client/Status', {}, { tags: { op: 'status' } });
  const message = /** @type {{ node?: { nodeId?: string, role?: string } }} */ (res.message);
  check(res, {
    'status: status OK': (r) => r.status === grpc.StatusOK,
    'status: names the node and its role': () =>
      (message?.node?.nodeId ?? '') !== '' && ['supernode', 'leaf'].includes(message?.node?.role ?? ''),
  }, { op: 'status' });
}

/** @param {import('./lib/results.js').SearchResult} hit */
function download(hit) {
  const base = config.http ?? (hit.httpAddress || DEFAULT_HTTP);
  const res = http.get(`http://${base}/files/${hit.sha256}`, {
    responseType: 'binary',
    tags: { op: 'download', name: 'GET /files/:sha256' },
  });
  downloadChoked.add(res.status === 503);
  check(res, {
    'download: 200, or 503 when upload slots are full': (r) => r.status === 200 || r.status === 503,
    'download: whole file': (r) => r.status !== 200 || (r.body !== null && r.body.byteLength === sizeOf(hit)),
  }, { op: 'download' });
}

export default async function () {
  if (!connected) {
    client.connect(config.target, { plaintext: !config.tls });
    connected = true;
  }
  const op = pickOp(mix, Math.random());
  if (op === 'status') return status();
  if (op === 'locate' && knownHashes.length > 0) {
    return locate(knownHashes[Math.floor(Math.random() * knownHashes.length)]);
  }
  if (op === 'download' && downloadable.length > 0) {
    return download(downloadable[Math.floor(Math.random() * downloadable.length)]);
  }
  await search();
}
