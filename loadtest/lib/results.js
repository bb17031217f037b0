// @ts-check
// Shape checks on Search results as k6 hands them over (protobuf JSON mapping:
// lowerCamelCase names, uint64 as a decimal string). proto3 JSON may leave out
// a field that holds its zero value, and k6 before v1.2.3 does so in streamed
// messages (a supernode's own hit arrives without hops, elapsedMs or
// firewalled), so a missing scalar is read as its zero value. No k6 imports.

/** Gnutella's TTL + hops cap: no hit can come from further away. */
export const MAX_HOPS = 7;

/**
 * A SearchResult as k6 decodes it.
 * @typedef {object} SearchResult
 * @property {string} name
 * @property {string | number} size uint64: a decimal string in protobuf JSON
 * @property {string} sha256
 * @property {string} nodeId
 * @property {string} httpAddress empty if firewalled
 * @property {boolean} firewalled
 * @property {number} hops
 * @property {string} zone
 * @property {string[]} path
 * @property {number} elapsedMs
 * @property {string} [serventId] 32 hex digits
 */

const SHA256_RE = /^[0-9a-f]{64}$/;

/** Zero values of SearchResult's fields, as proto3 JSON writes them. */
const ZERO = Object.freeze({
  name: '', size: '0', sha256: '', nodeId: '', httpAddress: '', firewalled: false,
  hops: 0, zone: '', path: Object.freeze([]), elapsedMs: 0, serventId: '',
});

/**
 * A message as proto3 JSON means it: every field of SearchResult present, the
 * missing ones at their zero value. Not an object: null.
 * @param {unknown} message
 * @returns {SearchResult | null}
 */
export function withZeroValues(message) {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const m = /** @type {Record<string, unknown>} */ (message);
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const key of Object.keys(ZERO)) {
    const value = m[key];
    out[key] = value === undefined || value === null ? /** @type {Record<string, unknown>} */ (ZERO)[key] : value;
  }
  if (Array.isArray(out.path)) out.path = out.path.slice();
  return /** @type {SearchResult} */ (/** @type {unknown} */ (out));
}

/**
 * Whether a SearchResult (after withZeroValues) is well-formed: a file name, a
 * content hash, a source node, hops within Gnutella's cap, a size.
 * @param {unknown} value
 * @returns {value is SearchResult}
 */
export function isSearchResult(value) {
  if (typeof value !== 'object' || value === null) return false;
  const r = /** @type {Record<string, unknown>} */ (value);
  return (
    typeof r.name === 'string' && r.name !== '' &&
    typeof r.sha256 === 'string' && SHA256_RE.test(r.sha256) &&
    typeof r.nodeId === 'string' && r.nodeId !== '' &&
    typeof r.hops === 'number' && r.hops >= 0 && r.hops <= MAX_HOPS &&
    typeof r.elapsedMs === 'number' && r.elapsedMs >= 0 &&
    typeof r.firewalled === 'boolean' &&
    sizeOf(/** @type {SearchResult} */ (value)) >= 0
  );
}

/**
 * File size in bytes, or -1 when it is not a non-negative integer.
 * @param {SearchResult} result
 * @returns {number}
 */
export function sizeOf(result) {
  const size = typeof result.size === 'string' ? Number(result.size) : result.size;
  return Number.isSafeInteger(size) && size >= 0 ? size : -1;
}

/**
 * The first result that can be fetched over HTTP and is small enough for a
 * download in a load test; null if none.
 * @param {readonly SearchResult[]} results
 * @param {number} maxBytes
 * @returns {SearchResult | null}
 */
export function pickDownload(results, maxBytes) {
  for (const r of results) {
    const size = sizeOf(r);
    if (!r.firewalled && r.httpAddress !== '' && size >= 0 && size <= maxBytes) return r;
  }
  return null;
}

/**
 * Remember content hashes seen in results (for Locate), newest last, at most `cap`.
 * @param {string[]} known mutated in place
 * @param {readonly SearchResult[]} results
 * @param {number} cap
 */
export function rememberHashes(known, results, cap) {
  for (const r of results) {
    if (known.includes(r.sha256)) continue;
    known.push(r.sha256);
    if (known.length > cap) known.shift();
  }
}

/**
 * Whether results came in the order the node received them (elapsed_ms never
 * goes back): the stream forwards QueryHits as they arrive.
 * @param {readonly SearchResult[]} results
 * @returns {boolean}
 */
export function inArrivalOrder(results) {
  for (let i = 1; i < results.length; i++) if (results[i].elapsedMs < results[i - 1].elapsedMs) return false;
  return true;
}

/**
 * Whether no source appears twice for the same file.
 * @param {readonly SearchResult[]} results
 * @returns {boolean}
 */
export function distinctSources(results) {
  const seen = new Set();
  for (const r of results) {
    const key = `${r.sha256}@${r.nodeId}`;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}
