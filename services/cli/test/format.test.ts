import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesAsHex, humanDuration, humanSize, shortHash, table } from '../render/format.js';

test('humanSize', () => {
  assert.equal(humanSize(0), '0 B');
  assert.equal(humanSize(1023), '1023 B');
  assert.equal(humanSize(1536), '1.5 KiB');
  assert.equal(humanSize(5 * 1024 * 1024), '5.0 MiB');
  assert.equal(humanSize(300 * 1024 ** 3), '300 GiB');
});

test('humanDuration and shortHash', () => {
  assert.equal(humanDuration(250), '250ms');
  assert.equal(humanDuration(3_723_000), '1h 2m 3s');
  assert.equal(humanDuration(90_061_000), '1d 1h 1m 1s');
  assert.equal(shortHash('a'.repeat(64)), `${'a'.repeat(12)}…`);
});

test('table pads all but the last column; bytesAsHex writes buffers as hex', () => {
  assert.deepEqual(table([['a', 'bb', 'c'], ['ccc', 'd', 'e']]), ['a    bb  c', 'ccc  d   e']);
  assert.equal(JSON.stringify({ id: Buffer.from([1, 255]) }, bytesAsHex), '{"id":"01ff"}');
});
