// Gnutella 0.6 descriptors as the core sees them: plain data, IDs as hex.
// The node's codec converts them to and from the wire (proto) form.

/** 16 bytes as 32 lowercase hex digits. */
export type DescriptorId = string;
/** 16 bytes as 32 lowercase hex digits. */
export type ServentId = string;

/** Gnutella 0.6: ttl + hops never exceeds 7. */
export const MAX_TTL = 7;
export const DESCRIPTOR_ID_BYTES = 16;

export interface FileEntry {
  sha256: string;
  name: string;
  size: number;
}

export interface Ping {
  kind: 'ping';
}

export interface Pong {
  kind: 'pong';
  serventId: ServentId;
  nodeId: string;
  grpcAddress: string;
  role: Role;
  zone: string;
  filesShared: number;
  kbytesShared: number;
  leaves: number;
  leafCapacity: number;
  score: number;
}

export interface Query {
  kind: 'query';
  /** Keywords; every term must match. Empty when searching by hash. */
  criteria: string;
  /** Exact content hash (64 hex digits), or ''. */
  sha256: string;
  /** Hint for dynamic querying; 0 = none. */
  maxResults: number;
  originZone: string;
}

export interface QueryHit {
  kind: 'query_hit';
  serventId: ServentId;
  nodeId: string;
  /** host:port for GET /files/<sha256>; '' when firewalled. */
  httpAddress: string;
  firewalled: boolean;
  zone: string;
  results: FileEntry[];
  /** Node IDs the hit passed through, the answering supernode first. */
  path: string[];
  /** Hops of the Query where it was answered. */
  queryHops: number;
}

export interface Push {
  kind: 'push';
  serventId: ServentId;
  sha256: string;
  requesterAddress: string;
  token: string;
}

export type Payload = Ping | Pong | Query | QueryHit | Push;
export type PayloadKind = Payload['kind'];
export const PAYLOAD_KINDS: readonly PayloadKind[] = ['ping', 'pong', 'push', 'query', 'query_hit'];

export interface Descriptor<P extends Payload = Payload> {
  id: DescriptorId;
  ttl: number;
  hops: number;
  payload: P;
}

export type Role = 'supernode' | 'leaf';
