// @ts-check
// One Search over k6's server-streaming gRPC API, read to its end, with the
// metrics every search scenario reports. Imports k6 modules: k6 only.

import { check } from 'k6';
import { Stream } from 'k6/net/grpc';
import { Counter, Rate, Trend } from 'k6/metrics';
import { isSearchResult, withZeroValues } from './results.js';
import { searchesOk } from './vu.js';

/** Fully qualified method, as k6 names it. */
export const SEARCH_METHOD = 'superpeer.v1.Client/Search';
/** Client-side cap on a stream beyond the search's own deadline, so a hung server cannot hold a VU forever. */
export const STREAM_GUARD_MS = 5000;

// Custom metrics: created at module load, which is the init context.
export const searchFirstResult = new Trend('search_first_result', true);
export const searchServerFirstResult = new Trend('search_server_first_result', true);
export const searchComplete = new Trend('search_complete', true);
export const searchResults = new Trend('search_results');
export const searchHitRate = new Rate('search_hit_rate');
export const searchErrors = new Counter('search_errors');

/**
 * @typedef {import('./results.js').SearchResult} SearchResult
 * @typedef {import('k6/net/grpc').Client} GrpcClient
 */

/**
 * @typedef {object} SearchRequest SearchRequest in protobuf JSON
 * @property {string} [query]
 * @property {string} [sha256]
 * @property {number} [maxResults]
 * @property {number} [timeoutMs]
 * @property {number} [ttl]
 */

/**
 * @typedef {object} SearchOutcome
 * @property {SearchResult[]} results every message the stream carried, well-formed or not
 * @property {number} malformed messages that are not a well-formed SearchResult
 * @property {{ code: number, message: string } | null} error the stream's error, null if it ended cleanly
 * @property {number | null} firstMs client-side time to the first result
 * @property {number} totalMs client-side time to the end of the stream
 */

/**
 * Open a Search stream, send the request, half-close, and resolve when the
 * server closes the stream (deadline or max_results reached) or it fails.
 * @param {GrpcClient} client a connected client
 * @param {SearchRequest} request
 * @param {Record<string, string>} tags added to k6's metrics of this stream
 * @returns {Promise<SearchOutcome>}
 */
export function searchStream(client, request, tags) {
  return new Promise((resolve) => {
    const started = Date.now();
    /** @type {SearchOutcome} */
    const outcome = { results: [], malformed: 0, error: null, firstMs: null, totalMs: 0 };
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      outcome.totalMs = Date.now() - started;
      resolve(outcome);
    };
    const stream = new Stream(client, SEARCH_METHOD, {
      tags,
      timeout: `${(request.timeoutMs || 0) + STREAM_GUARD_MS}ms`,
    });
    stream.on('data', (message) => {
      if (outcome.firstMs === null) outcome.firstMs = Date.now() - started;
      const result = withZeroValues(message);
      if (result !== null && isSearchResult(result)) outcome.results.push(result);
      else outcome.malformed += 1;
    });
    stream.on('error', (err) => {
      const e = /** @type {Partial<import('k6/net/grpc').GrpcError> | undefined} */ (err);
      outcome.error = {
        code: e && typeof e.code === 'number' ? e.code : -1,
        message: e && typeof e.message === 'string' ? e.message : 'unknown stream error',
      };
      finish();
    });
    stream.on('end', finish);
    stream.write(request);
    stream.end();
  });
}

/**
 * Report one finished search: metrics tagged with `tags`, and checks.
 * @param {SearchOutcome} outcome
 * @param {Record<string, string>} tags
 * @param {{ maxResults: number }} request
 * @returns {boolean} whether every check passed
 */
export function recordSearch(outcome, tags, request) {
  const hit = outcome.error === null && outcome.results.length > 0;
  // A failed search is a miss: the hit rate counts every search that was sent.
  searchHitRate.add(hit, tags);
  if (outcome.error !== null) searchErrors.add(1, tags);
  else {
    searchComplete.add(outcome.totalMs, tags);
    searchResults.add(outcome.results.length, tags);
    if (outcome.firstMs !== null) searchFirstResult.add(outcome.firstMs, tags);
    if (hit) {
      searchServerFirstResult.add(outcome.results[0].elapsedMs, tags);
      searchesOk.add(1, tags);
    }
  }
  return check(
    outcome,
    {
      'search: stream ended with OK': (o) => o.error === null,
      'search: every result well-formed': (o) => o.malformed === 0,
      'search: no more than max_results': (o) => request.maxResults === 0 || o.results.length <= request.maxResults,
    },
    tags,
  );
}
