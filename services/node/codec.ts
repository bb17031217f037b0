// Wire ↔ core conversion of descriptors, in one place. Wire-level rules are
// checked here (ID length, payload type agrees with the payload, payload
// length is the payload's encoded size); Gnutella rules are the core's.
import protobuf from 'protobufjs';
import type { Descriptor, Payload, PayloadKind } from '../core/descriptor.js';
import { SuperpeerError } from '../core/errors.js';
import { MAX_MESSAGE_BYTES } from '../core/limits.js';
import { checkAddress } from '../core/validate.js';
import type { Descriptor__Output, Descriptor as WireDescriptor } from './generated/superpeer/v1/Descriptor.js';
import type { PayloadType } from './generated/superpeer/v1/PayloadType.js';
import { PROTO_DIR, PROTO_FILES } from './proto.js';
import path from 'node:path';
import type { PeerInfo } from '../core/peer.js';
import type { NodeInfo, NodeInfo__Output } from './generated/superpeer/v1/NodeInfo.js';

const TYPE_OF: Record<PayloadKind, PayloadType & string> = {
  ping: 'PAYLOAD_TYPE_PING',
  pong: 'PAYLOAD_TYPE_PONG',
  push: 'PAYLOAD_TYPE_PUSH',
  query: 'PAYLOAD_TYPE_QUERY',
  query_hit: 'PAYLOAD_TYPE_QUERY_HIT',
};

const MESSAGE_OF: Record<PayloadKind, string> = {
  ping: 'superpeer.v1.Ping',
  pong: 'superpeer.v1.Pong',
  push: 'superpeer.v1.Push',
  query: 'superpeer.v1.Query',
  query_hit: 'superpeer.v1.QueryHit',
};

let types: Record<PayloadKind, protobuf.Type> | undefined;

function payloadTypes(): Record<PayloadKind, protobuf.Type> {
  if (!types) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
    root.loadSync(PROTO_FILES, { keepCase: true });
    const t = {} as Record<PayloadKind, protobuf.Type>;
    for (const kind of Object.keys(MESSAGE_OF) as PayloadKind[]) t[kind] = root.lookupType(MESSAGE_OF[kind]);
    types = t;
  }
  return types;
}

/** Version of the overlay wire contract, stated in every hello (docs/protocol.md, "Wire version"). */
export const WIRE_VERSION = 3;

const KIND_OF = Object.fromEntries(Object.entries(TYPE_OF).map(([k, v]) => [v, k])) as Record<string, PayloadKind>;

/**
 * Encoded payloads by payload object. The core passes the payload object of
 * a descriptor it forwards unchanged, so the bytes that arrived are the bytes
 * that leave, and a payload created here is encoded once however many links
 * it goes out on.
 */
const encoded = new WeakMap<Payload, Uint8Array>();

/** The payload type a wire descriptor says it carries, for metric labels ('ping' when it names none). */
export function kindOfWire(w: Descriptor__Output): PayloadKind {
  return KIND_OF[w.header?.payload_type ?? ''] ?? 'ping';
}

/** Throws WIRE_VERSION when a peer speaks another version of the wire contract. */
export function checkWireVersion(version: number, who: string): void {
  if (version !== WIRE_VERSION) {
    throw new SuperpeerError('WIRE_VERSION', `${who} speaks wire version ${version || 1}, this node ${WIRE_VERSION}; upgrade or roll back so both match`);
  }
}

/** Encodes a payload in its wire form (tests and tools build descriptors with it). */
export function encodeWirePayload(kind: PayloadKind, wirePayload: object): Buffer {
  const type = payloadTypes()[kind];
  return Buffer.from(type.encode(type.fromObject(wirePayload)).finish());
}

/** Encoded size of a wire payload: the Gnutella payload length. */
export function payloadLength(kind: PayloadKind, wirePayload: object): number {
  return encodeWirePayload(kind, wirePayload).length;
}

export function hexToBytes(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

export function bytesToHex(b: Buffer | Uint8Array | null | undefined): string {
  if (!b || b.length === 0) return '';
  return Buffer.isBuffer(b) ? b.toString('hex') : Buffer.from(b).toString('hex');
}

/** The payload's bytes: those it arrived with, or encoded now (once). */
export function payloadBytes(p: Payload): Uint8Array {
  let bytes = encoded.get(p);
  if (!bytes) {
    const type = payloadTypes()[p.kind];
    bytes = type.encode(payloadToWire(p)).finish();
    encoded.set(p, bytes);
  }
  return bytes;
}

/**
 * A servent ID as the Client API and node hellos carry it: 32 hex digits
 * (the Gnutella descriptors keep the 16 raw bytes). Upper case is accepted.
 */
export function serventIdFromWire(s: string): string {
  const id = s.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id)) throw new SuperpeerError('BAD_FIELD', 'servent ID must be 32 hex digits (16 bytes)');
  return id;
}

export function toWire(d: Descriptor): WireDescriptor {
  const payload = payloadBytes(d.payload);
  return {
    header: {
      descriptor_id: hexToBytes(d.id),
      payload_type: TYPE_OF[d.payload.kind],
      ttl: d.ttl,
      hops: d.hops,
      payload_length: payload.length,
    },
    payload,
  };
}

function payloadToWire(p: Payload): object {
  switch (p.kind) {
    case 'ping':
      return {};
    case 'pong':
      return {
        servent_id: hexToBytes(p.serventId),
        node_id: p.nodeId,
        grpc_address: p.grpcAddress,
        role: p.role,
        zone: p.zone,
        files_shared: p.filesShared,
        kbytes_shared: p.kbytesShared,
        leaves: p.leaves,
        leaf_capacity: p.leafCapacity,
        score: p.score,
      };
    case 'query':
      return { search_criteria: p.criteria, sha256: p.sha256, max_results: p.maxResults, origin_zone: p.originZone };
    case 'query_hit':
      return {
        servent_id: hexToBytes(p.serventId),
        node_id: p.nodeId,
        http_address: p.httpAddress,
        firewalled: p.firewalled,
        zone: p.zone,
        results: p.results,
        path: p.path,
        query_hops: p.queryHops,
      };
    case 'push':
      return {
        servent_id: hexToBytes(p.serventId),
        sha256: p.sha256,
        requester_address: p.requesterAddress,
        token: p.token,
      };
  }
}

/** Throws SuperpeerError when the wire form is malformed. */
export function fromWire(w: Descriptor__Output): Descriptor {
  const h = w.header;
  if (!h) throw new SuperpeerError('BAD_FIELD', 'descriptor without header');
  if (!h.descriptor_id || h.descriptor_id.length !== 16) {
    throw new SuperpeerError('BAD_DESCRIPTOR_ID', `descriptor ID must be 16 bytes, got ${h.descriptor_id?.length ?? 0}`);
  }
  const kind = KIND_OF[h.payload_type];
  if (!kind) throw new SuperpeerError('UNKNOWN_PAYLOAD', `unknown payload type ${h.payload_type}`);
  const bytes = w.payload ?? Buffer.alloc(0);
  if (h.payload_length > MAX_MESSAGE_BYTES) throw new SuperpeerError('MESSAGE_TOO_LARGE', 'payload length above the limit');
  if (h.payload_length !== bytes.length) {
    throw new SuperpeerError('PAYLOAD_MISMATCH', `payload length ${h.payload_length} but the payload is ${bytes.length} bytes`);
  }
  const payload = decodePayload(kind, bytes);
  encoded.set(payload, bytes);
  return { id: bytesToHex(h.descriptor_id), ttl: h.ttl, hops: h.hops, payload };
}

/** Throws PAYLOAD_MISMATCH when the bytes are not a payload of that type. */
export function decodePayload(kind: PayloadKind, bytes: Uint8Array): Payload {
  let m: Record<string, unknown>;
  try {
    m = payloadTypes()[kind].decode(bytes) as unknown as Record<string, unknown>;
  } catch (err) {
    throw new SuperpeerError('PAYLOAD_MISMATCH', `payload does not decode as ${kind}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const str = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : '');
  const u32 = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : 0);
  const hex = (k: string) => bytesToHex(m[k] as Uint8Array | undefined);
  switch (kind) {
    case 'ping':
      return { kind: 'ping' };
    case 'pong':
      return {
        kind: 'pong',
        serventId: hex('servent_id'),
        nodeId: str('node_id'),
        grpcAddress: str('grpc_address'),
        role: m.role === 'supernode' ? 'supernode' : 'leaf',
        zone: str('zone'),
        filesShared: u32('files_shared'),
        kbytesShared: toNumber(m.kbytes_shared),
        leaves: u32('leaves'),
        leafCapacity: u32('leaf_capacity'),
        score: typeof m.score === 'number' ? m.score : 0,
      };
    case 'query':
      return { kind: 'query', criteria: str('search_criteria'), sha256: str('sha256'), maxResults: u32('max_results'), originZone: str('origin_zone') };
    case 'query_hit':
      return {
        kind: 'query_hit',
        serventId: hex('servent_id'),
        nodeId: str('node_id'),
        httpAddress: str('http_address'),
        firewalled: m.firewalled === true,
        zone: str('zone'),
        results: ((m.results ?? []) as Array<{ sha256?: string; name?: string; size?: unknown }>).map((r) => ({
          sha256: r.sha256 ?? '',
          name: r.name ?? '',
          size: toNumber(r.size),
        })),
        path: [...((m.path ?? []) as string[])],
        queryHops: u32('query_hops'),
      };
    case 'push':
      return { kind: 'push', serventId: hex('servent_id'), sha256: str('sha256'), requesterAddress: str('requester_address'), token: str('token') };
  }
}

/** A uint64 as protobufjs decodes it (a Long, or a number when small). */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return 0;
}

export function peerToWire(p: PeerInfo): NodeInfo {
  return {
    node_id: p.nodeId,
    servent_id: p.serventId,
    grpc_address: p.grpcAddress,
    http_address: p.httpAddress,
    zone: p.zone,
    firewalled: p.firewalled,
    score: p.score,
    role: p.role,
    leaf_capacity: p.leafCapacity,
  };
}

/** Throws SuperpeerError when a peer describes itself badly. */
export function peerFromWire(n: NodeInfo__Output | null): PeerInfo {
  if (!n) throw new SuperpeerError('BAD_FIELD', 'hello without node info');
  const serventId = serventIdFromWire(n.servent_id);
  if (!/^[A-Za-z0-9._:@-]{1,128}$/.test(n.node_id)) throw new SuperpeerError('BAD_FIELD', 'node ID missing or malformed');
  if (n.zone.length > 64 || n.grpc_address.length > 262 || n.http_address.length > 262) {
    throw new SuperpeerError('BAD_FIELD', 'node info field too long');
  }
  // Others dial these (Status crawls, alternatives, transfers): host:port or nothing, never a URL.
  if (n.grpc_address !== '') checkAddress(n.grpc_address);
  if (n.http_address !== '' && !n.firewalled) checkAddress(n.http_address);
  return {
    nodeId: n.node_id,
    serventId,
    grpcAddress: n.grpc_address,
    httpAddress: n.firewalled ? '' : n.http_address,
    zone: n.zone || 'default',
    firewalled: n.firewalled,
    score: Number.isFinite(n.score) ? n.score : 0,
    role: n.role === 'supernode' ? 'supernode' : 'leaf',
    leafCapacity: n.leaf_capacity,
  };
}
