// fast-check arbitraries for wire descriptors, and a protobufjs round trip
// that decodes exactly as the node's gRPC stack does (the proto-loader
// options of proto.ts), so a property sees what a peer could deliver.
import path from 'node:path';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { encodeWirePayload } from '../codec.js';
import type { Descriptor } from '../generated/superpeer/v1/Descriptor.js';
import type { PayloadType } from '../generated/superpeer/v1/PayloadType.js';
import { PROTO_DIR, PROTO_FILES } from '../proto.js';

let root: protobuf.Root | undefined;

export function wireType(name: 'Descriptor' | 'LinkMessage' | 'LeafMessage'): protobuf.Type {
  if (!root) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
    root.loadSync(PROTO_FILES, { keepCase: true });
  }
  return root.lookupType(`superpeer.v1.${name}`);
}

/** The toObject options proto-loader uses (LOADER_OPTIONS in proto.ts). */
export const DECODE_OPTIONS: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, oneofs: true, bytes: Buffer };

export function encode(name: 'Descriptor' | 'LinkMessage' | 'LeafMessage', value: object): Uint8Array {
  const t = wireType(name);
  return t.encode(t.fromObject(value)).finish();
}

/** Bytes as the node's gRPC server would hand them to a handler; throws when protobuf cannot decode them. */
export function decode<T>(name: 'Descriptor' | 'LinkMessage' | 'LeafMessage', bytes: Uint8Array): T {
  const t = wireType(name);
  return t.toObject(t.decode(bytes), DECODE_OPTIONS) as T;
}

const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 });
const bytes = (n: number) => mostly(fc.uint8Array({ minLength: n, maxLength: n }), fc.uint8Array({ maxLength: 24 }));
const hex64 = mostly(fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')), fc.string({ maxLength: 70 }));
const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const small = mostly(fc.integer({ min: 0, max: 8 }), u32);
const u64 = mostly<number | string>(fc.nat({ max: 2 ** 40 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b) => b.toString()));
const text = (max: number) => mostly(fc.string({ maxLength: Math.min(max, 24) }), fc.string({ maxLength: max + 8 }));
const address = mostly(fc.tuple(fc.constantFrom('127.0.0.1', 'sn-1', '[::1]'), fc.integer({ min: 0, max: 70_000 })).map(([h, p]) => `${h}:${p}`), fc.string({ maxLength: 30 }));

const payloads = {
  ping: fc.constant({}),
  pong: fc.record({
    servent_id: bytes(16), node_id: text(130), grpc_address: address, role: fc.constantFrom('supernode', 'leaf', '', 'king'), zone: text(66),
    files_shared: u32, kbytes_shared: u64, leaves: u32, leaf_capacity: u32, score: fc.double(),
  }),
  query: fc.record({
    search_criteria: mostly(fc.stringMatching(/^[a-z0-9 ]{0,30}$/), fc.string({ maxLength: 300 })),
    sha256: mostly(fc.constant(''), hex64), max_results: u32, origin_zone: text(66),
  }),
  query_hit: fc.record({
    servent_id: bytes(16), node_id: mostly(fc.constantFrom('sn-1', 'leaf-2'), text(130)), http_address: mostly(address, fc.constant('')),
    firewalled: fc.boolean(), zone: text(66),
    results: fc.array(fc.record({ sha256: hex64, name: mostly(fc.string({ minLength: 1, maxLength: 20 }), text(520)), size: u64 }), { maxLength: 70 }),
    path: fc.array(mostly(fc.constantFrom('sn-1', 'sn-2'), fc.string({ maxLength: 20 })), { maxLength: 10 }), query_hops: small,
  }),
  push: fc.record({ servent_id: bytes(16), sha256: hex64, requester_address: address, token: text(130) }),
} as const;

type Kind = keyof typeof payloads;
const KINDS = Object.keys(payloads) as Kind[];
const TYPES: Record<Kind, PayloadType & string> = {
  ping: 'PAYLOAD_TYPE_PING', pong: 'PAYLOAD_TYPE_PONG', push: 'PAYLOAD_TYPE_PUSH', query: 'PAYLOAD_TYPE_QUERY', query_hit: 'PAYLOAD_TYPE_QUERY_HIT',
};
const ANY_TYPE = fc.constantFrom<PayloadType & string>('PAYLOAD_TYPE_UNSPECIFIED', ...Object.values(TYPES));

/** A wire descriptor: random header (TTL and hops up to 2^32-1), a random encoded payload (or random bytes), mostly consistent so some are valid. */
export const wireDescriptor: fc.Arbitrary<Descriptor> = fc
  .record({
    kind: fc.option(fc.constantFrom(...KINDS), { freq: 12 }),
    id: bytes(16),
    ttl: mostly(fc.integer({ min: 0, max: 8 }), fc.oneof(u32, fc.constant(255))),
    hops: small,
    typeRight: mostly(fc.constant(true), fc.constant(false)),
    anyType: ANY_TYPE,
    lengthRight: mostly(fc.constant(true), fc.constant(false)),
    length: u32,
    seed: fc.nat(),
    noise: fc.uint8Array({ maxLength: 40 }),
  })
  .chain((h) => {
    const kind = h.kind;
    const body = kind ? payloads[kind] : fc.constant(undefined);
    return body.map((p) => {
      const payload = kind && p ? safeEncode(kind, p) : Buffer.from(h.noise);
      const header = {
        descriptor_id: Buffer.from(h.id),
        payload_type: kind && h.typeRight ? TYPES[kind] : h.anyType,
        ttl: h.ttl,
        hops: h.hops,
        payload_length: h.lengthRight ? payload.length : h.length,
      };
      return { header, payload } as Descriptor;
    });
  });

/** The payload's bytes; random fields that protobuf cannot encode (e.g. a uint64 out of range) give random bytes. */
function safeEncode(kind: Kind, p: object): Buffer {
  try {
    return encodeWirePayload(kind, p);
  } catch {
    return Buffer.from([0xff, 0x01]);
  }
}
