import type { Role, ServentId } from './descriptor.js';

/** What a node knows about itself or a peer at the other end of a stream. */
export interface PeerInfo {
  nodeId: string;
  serventId: ServentId;
  zone: string;
  grpcAddress: string;
  /** '' when firewalled: it accepts no inbound transfer. */
  httpAddress: string;
  firewalled: boolean;
  score: number;
  role: Role;
  leafCapacity: number;
}
