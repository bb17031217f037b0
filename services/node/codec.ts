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

/** Encoded size of a wire payload: the Gnutella payload length. */
export function payloadLength(kind: PayloadKind, wirePayload: object): number {
  const type = payloadTypes()[kind];
  return type.encode(type.fromObject(wirePayload)).finish().length;
}

export function hexToBytes(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

export function bytesToHex(b: Buffer | Uint8Array | null | undefined): string {
  return b ? Buffer.from(b).toString('hex') : '';
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
  const kind = d.payload.kind;
  const payload = payloadToWire(d.payload);
  return {
    header: {
      descriptor_id: hexToBytes(d.id),
      payload_type: TYPE_OF[kind],
      ttl: d.ttl,
      hops: d.hops,
      payload_length: payloadLength(kind, payload),
    },
    [kind]: payload,
    payload: kind,
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
  const kind = w.payload;
  if (!kind) throw new SuperpeerError('UNKNOWN_PAYLOAD', 'descriptor without a known payload');
  if (h.payload_type !== TYPE_OF[kind]) {
    throw new SuperpeerError('PAYLOAD_MISMATCH', `header says ${h.payload_type} but the payload is ${kind}`);
  }
  const raw = w[kind];
  if (!raw) throw new SuperpeerError('UNKNOWN_PAYLOAD', 'payload missing');
  if (h.payload_length > MAX_MESSAGE_BYTES) throw new SuperpeerError('MESSAGE_TOO_LARGE', 'payload length above the limit');
  const length = payloadLength(kind, raw);
  if (h.payload_length !== length) {
    throw new SuperpeerError('PAYLOAD_MISMATCH', `payload length ${h.payload_length} but the payload is ${length} bytes`);
  }
  return { id: bytesToHex(h.descriptor_id), ttl: h.ttl, hops: h.hops, payload: payloadFromWire(w) };
}

function payloadFromWire(w: Descriptor__Output): Payload {
  if (w.pong && w.payload === 'pong') {
    const p = w.pong;
    return {
      kind: 'pong',
      serventId: bytesToHex(p.servent_id),
      nodeId: p.node_id,
      grpcAddress: p.grpc_address,
      role: p.role === 'supernode' ? 'supernode' : 'leaf',
      zone: p.zone,
      filesShared: p.files_shared,
      kbytesShared: Number(p.kbytes_shared),
      leaves: p.leaves,
      leafCapacity: p.leaf_capacity,
      score: p.score,
    };
  }
  if (w.query && w.payload === 'query') {
    const q = w.query;
    return { kind: 'query', criteria: q.search_criteria, sha256: q.sha256, maxResults: q.max_results, originZone: q.origin_zone };
  }
  if (w.query_hit && w.payload === 'query_hit') {
    const h = w.query_hit;
    return {
      kind: 'query_hit',
      serventId: bytesToHex(h.servent_id),
      nodeId: h.node_id,
      httpAddress: h.http_address,
      firewalled: h.firewalled,
      zone: h.zone,
      results: h.results.map((r) => ({ sha256: r.sha256, name: r.name, size: Number(r.size) })),
      path: h.path,
      queryHops: h.query_hops,
    };
  }
  if (w.push && w.payload === 'push') {
    const p = w.push;
    return {
      kind: 'push',
      serventId: bytesToHex(p.servent_id),
      sha256: p.sha256,
      requesterAddress: p.requester_address,
      token: p.token,
    };
  }
  return { kind: 'ping' };
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
