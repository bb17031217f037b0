// Properties of the codec and of the stream handlers over arbitrary input:
// - a wire descriptor, as gRPC decodes it, is either accepted by fromWire +
//   validateDescriptor or rejected with a SuperpeerError of a stable code;
//   accepted ones survive toWire → bytes → fromWire unchanged;
// - arbitrary bytes (random, or mutations of valid messages) decoded as a
//   LinkMessage or LeafMessage and handed to the node's Link/Attach handlers
//   never make a handler throw: each bad message becomes an in-stream Reject
//   with a known code, from a SuperpeerError, never from a TypeError.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import type * as grpc from '@grpc/grpc-js';
import { SuperpeerError, type ErrorCode } from '../../core/errors.js';
import { validateDescriptor } from '../../core/validate.js';
import { WIRE_VERSION, fromWire, peerToWire, toWire } from '../codec.js';
import type { Descriptor__Output } from '../generated/superpeer/v1/Descriptor.js';
import type { OverlayHandlers } from '../generated/superpeer/v1/Overlay.js';
import type { SuperpeerNode } from '../node.js';
import { loadProto } from '../proto.js';
import { registerOverlay } from '../overlay-server.js';
import { GRPC_STATUS_CODES } from './grpc-codes.js';
import { shareDir, startNode, stopAll } from './nodes.js';
import { decode, encode, wireDescriptor } from './wire-arbitraries.js';

const CODES = new Set<ErrorCode>([
  'BAD_DESCRIPTOR_ID', 'TTL_ABOVE_CAP', 'TTL_ZERO', 'BAD_HOPS', 'PAYLOAD_MISMATCH', 'UNKNOWN_PAYLOAD', 'MESSAGE_TOO_LARGE', 'EMPTY_QUERY',
  'QUERY_TOO_LONG', 'TOO_MANY_TERMS', 'BAD_HASH', 'BAD_ADDRESS', 'TOO_MANY_RESULTS', 'BAD_FIELD', 'NOT_SUPERNODE', 'RATE_LIMITED', 'CAPACITY',
]);

function verdict(w: Descriptor__Output): 'ok' | ErrorCode {
  try {
    validateDescriptor(fromWire(w));
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof SuperpeerError, `threw ${String(err)}`);
    assert.ok(CODES.has(err.code), err.code);
    return err.code;
  }
}

describe('codec properties', () => {
  test('wire descriptors: accepted, or rejected with a stable code; accepted ones round-trip', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(wireDescriptor, (w) => {
        const received = decode<Descriptor__Output>('Descriptor', encode('Descriptor', w));
        const v = verdict(received);
        seen.set(v, (seen.get(v) ?? 0) + 1);
        if (v !== 'ok') return;
        const d = fromWire(received);
        // Forwarded: the same payload object, so the bytes it came with.
        const forwarded = toWire({ ...d, ttl: d.ttl, hops: d.hops });
        assert.deepEqual(Buffer.from(forwarded.payload!), Buffer.from(received.payload));
        // Created here: a payload object of its own, encoded afresh, decodes to the same descriptor.
        const again = fromWire(decode<Descriptor__Output>('Descriptor', encode('Descriptor', toWire({ ...d, payload: structuredClone(d.payload) }))));
        assert.deepEqual(again, d);
        // And inside a batch, as streams carry several at once.
        const batch = decode<{ batch: { descriptors: Descriptor__Output[] } }>('LinkMessage', encode('LinkMessage', { batch: { descriptors: [forwarded, toWire(again)] } }));
        assert.deepEqual(batch.batch.descriptors.map(fromWire), [d, d]);
      }),
      { numRuns: 2_000, seed: 81 },
    );
    assert.ok((seen.get('ok') ?? 0) > 50, `enough valid descriptors generated: ${JSON.stringify([...seen])}`);
    for (const c of ['BAD_DESCRIPTOR_ID', 'PAYLOAD_MISMATCH', 'TTL_ABOVE_CAP', 'UNKNOWN_PAYLOAD']) assert.ok(seen.has(c), `generated ${c}`);
  });
});

/** A stand-in for grpc's ServerDuplexStream: records what the node writes and how it ends the call. */
class FakeCall extends EventEmitter {
  readonly written: Array<Record<string, unknown>> = [];
  readonly writableLength = 0;
  readonly writable = true;
  status: { code: number; details: string } | undefined;
  ended = false;
  constructor() {
    super();
    this.on('error', (e: { code: number; details: string }) => (this.status = e));
  }
  write(m: Record<string, unknown>): boolean {
    this.written.push(m);
    return true;
  }
  end(): void {
    this.ended = true;
  }
}

function handlersOf(node: SuperpeerNode): OverlayHandlers {
  let handlers: OverlayHandlers | undefined;
  const server = { addService: (_d: unknown, h: OverlayHandlers) => (handlers = h) } as unknown as grpc.Server;
  registerOverlay(node, server, loadProto().pkg);
  return handlers!;
}

/** Random bytes, or a valid message with bytes flipped, cut or spliced. */
function hostileBytes(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const mutated = fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([b, flips, cut]) => {
    const out = Buffer.from(b);
    for (const [i, v] of flips) if (out.length > 0) out[i % out.length] = v;
    return out.subarray(0, out.length === 0 ? 0 : cut % (out.length + 1) || out.length);
  });
  return fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated, valid);
}

describe('stream handlers over arbitrary bytes', () => {
  let node: SuperpeerNode;
  let handlers: OverlayHandlers;
  before(async () => {
    node = await startNode({ id: 'prop-target', role: 'supernode', maxLinks: 256, shareDir: await shareDir({ 'blue river.txt': 'water' }) });
    handlers = handlersOf(node);
  });
  after(() => stopAll([node]));

  const me = { nodeId: 'prober', serventId: 'ab'.repeat(16), zone: 'z', grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: false, score: 0, role: 'supernode' as const, leafCapacity: 0 };

  function checkOutcome(call: FakeCall): void {
    for (const m of call.written) {
      const r = m.reject as { code: string; message: string } | undefined;
      if (!r) continue;
      assert.ok(CODES.has(r.code as ErrorCode), `reject code ${r.code}`);
      assert.doesNotMatch(r.message, /TypeError|RangeError|Cannot read|undefined is not|is not a function/, 'rejected from a SuperpeerError');
    }
    if (call.status) assert.ok(GRPC_STATUS_CODES.has(call.status.code));
  }

  test('Link: arbitrary LinkMessages after the hello never escape the handler', () => {
    const validLink = wireDescriptor.map((d) => encode('LinkMessage', { descriptor: d }));
    fc.assert(
      fc.property(fc.array(hostileBytes(validLink), { minLength: 1, maxLength: 8 }), (frames) => {
        const call = new FakeCall();
        handlers.Link(call as unknown as Parameters<OverlayHandlers['Link']>[0]);
        call.emit('data', { hello: { node: peerToWire(me), mode: 'supernode', secret: '', wire_version: WIRE_VERSION }, body: 'hello' });
        for (const f of frames) {
          let msg;
          try {
            msg = decode<object>('LinkMessage', f);
          } catch {
            continue; // gRPC fails such a call itself, before any handler runs
          }
          call.emit('data', msg);
        }
        checkOutcome(call);
        call.emit('close');
      }),
      { numRuns: 600, seed: 82 },
    );
  });

  test('Attach: arbitrary LeafMessages (first one included) never escape the handler', () => {
    const validLeaf = wireDescriptor.map((d) => encode('LeafMessage', { descriptor: d }));
    const hello = encode('LeafMessage', { hello: { node: peerToWire({ ...me, role: 'leaf' }), secret: '', wire_version: WIRE_VERSION } });
    fc.assert(
      fc.property(fc.boolean(), fc.array(hostileBytes(validLeaf), { minLength: 1, maxLength: 8 }), (greet, frames) => {
        const call = new FakeCall();
        handlers.Attach(call as unknown as Parameters<OverlayHandlers['Attach']>[0]);
        for (const f of greet ? [hello, ...frames] : frames) {
          let msg;
          try {
            msg = decode<object>('LeafMessage', f);
          } catch {
            continue;
          }
          call.emit('data', msg);
        }
        checkOutcome(call);
        call.emit('close');
      }),
      { numRuns: 600, seed: 83 },
    );
  });
});
