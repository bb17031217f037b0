import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  distinctSources, inArrivalOrder, isSearchResult, pickDownload, rememberHashes, sizeOf, withZeroValues, type SearchResult,
} from '../lib/results.js';

// As k6 decodes a SearchResult: protobuf JSON names, uint64 as a string.
function result(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    name: 'live remix.mp3', size: '2048', sha256: 'b'.repeat(64), nodeId: 'leaf-1', httpAddress: '127.0.0.1:7001',
    firewalled: false, hops: 2, zone: 'a', path: ['sn-1'], elapsedMs: 12, ...overrides,
  };
}

test('isSearchResult accepts k6-decoded results and rejects malformed ones', () => {
  assert.ok(isSearchResult(result()));
  assert.ok(isSearchResult(result({ size: 0 })));
  assert.ok(!isSearchResult(null));
  assert.ok(!isSearchResult(result({ sha256: 'xyz' })));
  assert.ok(!isSearchResult(result({ name: '' })));
  assert.ok(!isSearchResult(result({ hops: 8 })));
  assert.ok(!isSearchResult(result({ size: '-1' })));
  assert.equal(sizeOf(result({ size: '123' })), 123);
});

test('pickDownload takes the first reachable, small enough result', () => {
  const big = result({ size: '5000000', sha256: 'c'.repeat(64) });
  const hidden = result({ firewalled: true, httpAddress: '', sha256: 'd'.repeat(64) });
  const small = result({ sha256: 'e'.repeat(64) });
  assert.equal(pickDownload([big, hidden, small], 1024 * 1024), small);
  assert.equal(pickDownload([big, hidden], 1024 * 1024), null);
});

test('rememberHashes keeps distinct hashes, newest last, bounded', () => {
  const known: string[] = [];
  rememberHashes(known, [result({ sha256: '1'.repeat(64) }), result({ sha256: '2'.repeat(64) })], 2);
  rememberHashes(known, [result({ sha256: '2'.repeat(64) }), result({ sha256: '3'.repeat(64) })], 2);
  assert.deepEqual(known, ['2'.repeat(64), '3'.repeat(64)]);
});

test('stream invariants: arrival order and distinct sources', () => {
  assert.ok(inArrivalOrder([result({ elapsedMs: 1 }), result({ elapsedMs: 1 }), result({ elapsedMs: 9 })]));
  assert.ok(!inArrivalOrder([result({ elapsedMs: 9 }), result({ elapsedMs: 1 })]));
  assert.ok(distinctSources([result(), result({ nodeId: 'leaf-2' })]));
  assert.ok(!distinctSources([result(), result()]));
});

test('proto3 JSON: a field left out is its zero value (a supernode\'s own hit: hops 0, elapsedMs 0, not firewalled)', () => {
  // What k6 before v1.2.3 hands over for a hit the supernode answered itself.
  const sparse = { name: 'blue river.mp3', size: '2048', sha256: 'b'.repeat(64), nodeId: 'sn-1', httpAddress: '127.0.0.1:7001', zone: 'a' };
  assert.ok(!isSearchResult(sparse), 'taken as it comes, the hit looks malformed');
  const full = withZeroValues(sparse);
  assert.ok(full !== null && isSearchResult(full));
  assert.equal(full.hops, 0);
  assert.equal(full.elapsedMs, 0);
  assert.equal(full.firewalled, false);
  assert.deepEqual(full.path, []);
  assert.equal(sizeOf(withZeroValues({ ...sparse, size: undefined })!), 0);
  // Zero values do not make a result: no name, hash or source is still malformed.
  assert.ok(!isSearchResult(withZeroValues({})));
  assert.ok(!isSearchResult(withZeroValues({ ...sparse, sha256: undefined })));
  assert.equal(withZeroValues(null), null);
  assert.equal(withZeroValues([1]), null);
  // Present values are kept as they are.
  assert.deepEqual(withZeroValues(result()), { ...result(), serventId: '' });
});
