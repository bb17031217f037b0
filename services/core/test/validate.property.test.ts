// Property: whatever descriptor a peer manages to hand the core, validation
// either accepts it or throws a SuperpeerError with a stable code; it never
// throws anything else, and what it accepts respects every bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_TTL, type Descriptor, type FileEntry, type Payload } from '../descriptor.js';
import { SuperpeerError, type ErrorCode } from '../errors.js';
import { MAX_PATH_ENTRIES, MAX_QUERY_CHARS, MAX_RESULTS_PER_HIT } from '../limits.js';
import { validateDescriptor } from '../validate.js';

const CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_DESCRIPTOR_ID', 'TTL_ABOVE_CAP', 'TTL_ZERO', 'BAD_HOPS', 'UNKNOWN_PAYLOAD', 'EMPTY_QUERY',
  'QUERY_TOO_LONG', 'TOO_MANY_TERMS', 'BAD_HASH', 'BAD_ADDRESS', 'TOO_MANY_RESULTS', 'BAD_FIELD',
]);
const RUNS = 3_000;

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
/** Mostly well-formed, sometimes anything: so both branches are exercised. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 });
const id = mostly(hex(16), fc.string({ maxLength: 40 }));
const sha = mostly(hex(32), fc.string({ maxLength: 70 }));
const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.string({ minLength: max, maxLength: max + 20 }));
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const num = fc.oneof(u32, fc.double(), fc.integer({ min: -5, max: 10 }));
const address = mostly(fc.tuple(fc.constantFrom('127.0.0.1', 'node-1', '[::1]'), fc.integer({ min: 0, max: 70_000 })).map(([h, p]) => `${h}:${p}`), fc.string());

const file: fc.Arbitrary<FileEntry> = fc.record({ sha256: sha, name: mostly(fc.string({ minLength: 1, maxLength: 40 }), text(600)), size: mostly(fc.nat(), fc.oneof(fc.double(), fc.constant(2 ** 60))) });

const payload: fc.Arbitrary<Payload> = fc.oneof(
  fc.constant({ kind: 'ping' as const }),
  fc.record({
    kind: fc.constant('pong' as const), serventId: id, nodeId: text(140), grpcAddress: text(270), role: fc.constantFrom('supernode' as const, 'leaf' as const),
    zone: text(70), filesShared: num, kbytesShared: num, leaves: num, leafCapacity: num, score: num,
  }),
  fc.record({
    kind: fc.constant('query' as const),
    criteria: mostly(fc.stringMatching(/^[a-z0-9 ]{0,40}$/), fc.oneof(fc.string({ maxLength: 300 }), fc.constant('x '.repeat(20)))),
    sha256: mostly(fc.constant(''), sha), maxResults: num, originZone: text(70),
  }),
  fc.record({
    kind: fc.constant('query_hit' as const), serventId: id, nodeId: mostly(fc.string({ minLength: 1, maxLength: 20 }), text(140)), httpAddress: text(270),
    firewalled: fc.boolean(), zone: text(70), results: fc.array(file, { maxLength: MAX_RESULTS_PER_HIT + 3 }),
    path: fc.array(fc.string({ maxLength: 20 }), { maxLength: MAX_PATH_ENTRIES + 2 }), queryHops: num,
  }),
  fc.record({ kind: fc.constant('push' as const), serventId: id, sha256: sha, requesterAddress: address, token: text(140) }),
  fc.record({ kind: fc.string() }).map((p) => p as unknown as Payload),
);

const descriptor: fc.Arbitrary<Descriptor> = fc.record({
  id,
  ttl: mostly(fc.integer({ min: 0, max: MAX_TTL + 1 }), fc.oneof(u32, fc.double(), fc.constant(255))),
  hops: mostly(fc.integer({ min: 0, max: MAX_TTL }), fc.oneof(u32, fc.double(), fc.integer({ min: -3, max: -1 }))),
  payload,
});

function verdict(d: Descriptor): 'ok' | ErrorCode {
  try {
    validateDescriptor(d);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof SuperpeerError, `not a SuperpeerError: ${String(err)}`);
    assert.ok(CODES.has(err.code), `unexpected code ${err.code}`);
    assert.ok(err.message.length > 0 && err.message.length < 300, 'a short message');
    return err.code;
  }
}

test('any descriptor is accepted or rejected with a stable code, never another exception', () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(descriptor, (d) => {
      seen.add(verdict(d));
    }),
    { numRuns: RUNS, seed: 8 },
  );
  assert.ok(seen.has('ok'), 'some descriptors are valid');
  for (const c of ['BAD_DESCRIPTOR_ID', 'TTL_ABOVE_CAP', 'TTL_ZERO', 'BAD_HOPS', 'BAD_HASH', 'BAD_FIELD'] as const) assert.ok(seen.has(c), `generated some ${c}`);
});

test('accepted descriptors respect every bound', () => {
  fc.assert(
    fc.property(descriptor, (d) => {
      if (verdict(d) !== 'ok') return;
      assert.match(d.id, /^[0-9a-f]{32}$/);
      assert.ok(Number.isInteger(d.ttl) && d.ttl >= 1 && d.ttl + d.hops <= MAX_TTL);
      assert.ok(Number.isInteger(d.hops) && d.hops >= 0);
      const p = d.payload;
      if (p.kind === 'query') assert.ok(p.criteria.length <= MAX_QUERY_CHARS);
      if (p.kind === 'query_hit') {
        assert.ok(p.results.length >= 1 && p.results.length <= MAX_RESULTS_PER_HIT);
        for (const r of p.results) assert.ok(Number.isSafeInteger(r.size) && /^[0-9a-f]{64}$/.test(r.sha256));
      }
      if (p.kind === 'push') assert.match(p.sha256, /^[0-9a-f]{64}$/);
    }),
    { numRuns: RUNS, seed: 9 },
  );
});

test('validation is a pure function of the descriptor: the same input, the same verdict', () => {
  fc.assert(
    fc.property(descriptor, (d) => {
      const copy = structuredClone(d);
      assert.equal(verdict(d), verdict(structuredClone(d)));
      assert.deepEqual(structuredClone(d), copy, 'validation does not mutate its input');
    }),
    { numRuns: 500, seed: 10 },
  );
});
