// The dial cache forgets clients nobody used for CLIENT_IDLE_MS whose
// channels are idle, so addresses dialled once do not pile up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_IDLE_MS, Dialer } from '../dial.js';

test('idle clients are closed and forgotten; recently used ones stay', () => {
  let now = 0;
  const d = new Dialer({}, () => now);
  try {
    for (let i = 1; i <= 50; i++) d.clientClient(`127.0.0.1:${i}`);
    d.overlayClient('127.0.0.1:99');
    assert.equal(d.size, 51);
    now += CLIENT_IDLE_MS / 2;
    d.clientClient('127.0.0.1:1'); // used again: stays
    d.sweep();
    assert.equal(d.size, 51, 'nothing idle long enough yet');
    now += CLIENT_IDLE_MS / 2 + 1;
    d.sweep();
    assert.equal(d.size, 1);
    assert.equal(d.evicted, 50);
    d.forget('127.0.0.1:1');
    assert.equal(d.size, 0);
  } finally {
    d.close();
  }
});
