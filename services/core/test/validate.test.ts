import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Descriptor } from '../descriptor.js';
import { SuperpeerError } from '../errors.js';
import { newDescriptorId } from '../ids.js';
import { validateDescriptor } from '../validate.js';
import { seeded, sha } from './harness.js';

const id = newDescriptorId(seeded(1));
const q = (criteria: string, extra: Partial<Descriptor> = {}): Descriptor => ({
  id,
  ttl: 3,
  hops: 0,
  payload: { kind: 'query', criteria, sha256: '', maxResults: 0, originZone: 'z' },
  ...extra,
});

function code(d: Descriptor): string | undefined {
  try {
    validateDescriptor(d);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof SuperpeerError);
    return e.code;
  }
}

test('new descriptor IDs are 16 bytes with the Gnutella 0.6 marker bytes', () => {
  const r = seeded(3);
  for (let i = 0; i < 100; i++) {
    const d = newDescriptorId(r);
    assert.match(d, /^[0-9a-f]{32}$/);
    assert.equal(d.slice(16, 18), 'ff');
    assert.equal(d.slice(30, 32), '00');
  }
});

test('a well-formed query passes', () => assert.equal(code(q('blue river')), undefined));

test('each rule has its own code', () => {
  assert.equal(code(q('x', { id: 'abc' })), 'BAD_DESCRIPTOR_ID');
  assert.equal(code(q('blue', { ttl: 8 })), 'TTL_ABOVE_CAP');
  assert.equal(code(q('blue', { ttl: 5, hops: 3 })), 'TTL_ABOVE_CAP');
  assert.equal(code(q('blue', { ttl: 255 })), 'TTL_ABOVE_CAP');
  assert.equal(code(q('blue', { ttl: 0 })), 'TTL_ZERO');
  assert.equal(code(q('blue', { hops: -1 })), 'BAD_HOPS');
  assert.equal(code(q('')), 'EMPTY_QUERY');
  assert.equal(code(q('  -- ! ')), 'EMPTY_QUERY');
  assert.equal(code(q('a'.repeat(300))), 'QUERY_TOO_LONG');
  assert.equal(code(q(Array.from({ length: 20 }, (_, i) => `t${i}`).join(' '))), 'TOO_MANY_TERMS');
  assert.equal(code({ ...q(''), payload: { kind: 'query', criteria: '', sha256: 'XYZ', maxResults: 0, originZone: '' } }), 'BAD_HASH');
});

test('query hits are bounded', () => {
  const hit = (n: number): Descriptor => ({
    id,
    ttl: 2,
    hops: 0,
    payload: {
      kind: 'query_hit',
      serventId: id,
      nodeId: 'n',
      httpAddress: '127.0.0.1:1',
      firewalled: false,
      zone: 'z',
      results: Array.from({ length: n }, (_, i) => ({ sha256: sha(i), name: `f${i}`, size: 1 })),
      path: ['a'],
      queryHops: 1,
    },
  });
  assert.equal(code(hit(1)), undefined);
  assert.equal(code(hit(0)), 'BAD_FIELD');
  assert.equal(code(hit(65)), 'TOO_MANY_RESULTS');
});

test('push needs a hash and an address', () => {
  const push = (sha256: string, requesterAddress: string): Descriptor => ({
    id,
    ttl: 7,
    hops: 0,
    payload: { kind: 'push', serventId: id, sha256, requesterAddress, token: 't' },
  });
  assert.equal(code(push(sha(1), '127.0.0.1:9000')), undefined);
  assert.equal(code(push('../../etc/passwd', '127.0.0.1:9000')), 'BAD_HASH');
  assert.equal(code(push(sha(1), 'nowhere')), 'BAD_ADDRESS');
  assert.equal(code(push(sha(1), '127.0.0.1:99999')), 'BAD_ADDRESS');
});
