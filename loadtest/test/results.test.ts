import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  distinctSources, inArrivalOrder, isSearchResult, pickDownload, rememberHashes, sizeOf, type SearchResult,
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
