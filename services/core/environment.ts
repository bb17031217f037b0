// What a core state machine may use of the outside world. The node supplies
// real time, crypto randomness and gRPC streams; the simulator supplies a
// virtual clock, a seeded generator and a virtual network.

import type { Descriptor, PayloadKind, Push, QueryHit } from './descriptor.js';

/** Opaque name of one stream to a peer, chosen by the adapter. */
export type LinkId = string;

export interface Timer {
  cancel(): void;
}

export interface Environment {
  /** Milliseconds; monotonic within one run. */
  now(): number;
  /** Uniform in [0, 1). */
  random(): number;
  /** Queue a descriptor on a link. Must not throw; a dead link drops it. */
  send(link: LinkId, descriptor: Descriptor): void;
  setTimer(afterMs: number, fire: () => void): Timer;
  /** Something happened that an operator or researcher counts. */
  observe(observation: Observation): void;
}

/** What happened to one received descriptor. */
export type DescriptorFate =
  | 'received'
  | 'forwarded'
  | 'duplicate'
  | 'ttl_expired'
  | 'invalid'
  | 'routed' // a QueryHit, Pong or Push sent on along its reverse route
  | 'unroutable' // a QueryHit, Pong or Push with no route back
  | 'delivered' // reached its destination here
  | 'rate_limited'; // dropped unread: its stream was over its descriptor rate

export type Observation =
  | { type: 'descriptor'; kind: PayloadKind; fate: DescriptorFate; count?: number }
  /** A descriptor this node sent (originated, forwarded or routed). */
  | { type: 'sent'; kind: PayloadKind; count: number }
  /** A supernode processed a new (non-duplicate) query. */
  | { type: 'query_handled'; matched: boolean }
  /** A result reached the node where the search started. */
  | { type: 'hit'; hops: number; sameZone: boolean; results: number }
  | { type: 'search_done'; firstHitMs: number | null; durationMs: number; results: number }
  | { type: 'leaf_attached'; sameZone: boolean }
  | { type: 'leaf_detached' }
  | { type: 'push_received' };

/** Effects that only the node adapter can carry out. */
export interface SearchSink {
  hit(hit: QueryHit, hops: number): void;
}

export interface PushSink {
  push(push: Push): void;
}
