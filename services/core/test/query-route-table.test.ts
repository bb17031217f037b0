import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueTokens } from '../keywords.js';
import { QueryRouteTable, qrpHash } from '../query-route-table.js';

test('qrpHash stays inside the table and is stable', () => {
  for (const bits of [8, 16, 24]) {
    for (const t of ['a', 'blue', 'whale', 'ünïcode', 'x'.repeat(64)]) {
      const h = qrpHash(t, bits);
      assert.ok(h >= 0 && h < 2 ** bits);
      assert.equal(h, qrpHash(t, bits));
    }
  }
});

test('a table built from names may match their terms and rejects absent ones (no false negatives)', () => {
  const t = QueryRouteTable.fromNames(['Rare Blue-Whale.mp3', 'green tea.txt']);
  assert.ok(t.mayMatch(uniqueTokens('blue whale')));
  assert.ok(t.mayMatch(uniqueTokens('tea green')));
  assert.ok(t.mayMatch([]));
  let rejected = 0;
  for (let i = 0; i < 1000; i++) if (!t.mayMatch([`absent${i}`])) rejected++;
  assert.ok(rejected > 990, `rejected ${rejected}`);
});

test('merge ORs leaves tables, encode/decode round-trips, sizes are checked', () => {
  const a = QueryRouteTable.fromTokens(['alpha']);
  const b = QueryRouteTable.fromTokens(['beta']);
  const sn = new QueryRouteTable();
  sn.merge(a);
  sn.merge(b);
  assert.ok(sn.mayMatch(['alpha', 'beta']));
  assert.equal(sn.filled, 2);
  const copy = QueryRouteTable.decode(sn.encode());
  assert.ok(copy.mayMatch(['alpha', 'beta']));
  assert.equal(copy.encode().table.length, 8192);
  assert.throws(() => sn.merge(new QueryRouteTable(8)), /different sizes/);
  assert.throws(() => QueryRouteTable.decode({ bits: 16, table: new Uint8Array(3) }), /bytes/);
  assert.throws(() => new QueryRouteTable(40), /bits/);
});
