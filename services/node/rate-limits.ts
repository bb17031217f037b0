// The node's rate limits and caps (documented in docs/reliability.md):
// - descriptors per stream (Link or Attach, either end): a token bucket per
//   stream; excess descriptors are dropped and counted as
//   superpeer_descriptors_total{fate="rate_limited"}, the stream stays up;
// - Search/Locate per client address: a token bucket per address (the table
//   of addresses is bounded), excess answered RESOURCE_EXHAUSTED;
// - Search/Locate running at once on the node: excess RESOURCE_EXHAUSTED;
// - inbound streams still waiting for their hello: excess refused at once;
// - Chord calls per caller connection (dht mode): a token bucket per gRPC
//   peer (address and port; the table is bounded), excess RESOURCE_EXHAUSTED;
// - share-list bytes per leaf stream: a token bucket in bytes per stream
//   (each update costs at least SHARE_UPDATE_MIN_COST_BYTES), excess refused;
// - Status and Topology per client address, and Topology crawls running at
//   once on the node.
import { SuperpeerError } from '../core/errors.js';
import { TokenBucket } from '../core/token-bucket.js';
import type { NodeConfig } from './config.js';

/** Client addresses whose buckets are remembered; the oldest is forgotten first. */
export const MAX_CLIENT_BUCKETS = 10_000;

export type RefusalReason =
  | 'descriptor_rate'
  | 'client_rate'
  | 'search_concurrency'
  | 'pending_streams'
  | 'leaf_capacity'
  | 'link_capacity'
  | 'queue_full'
  | 'http_malformed'
  | 'http_timeout'
  | 'chord_auth'
  | 'chord_rate'
  | 'chord_unknown_member'
  | 'chord_keys'
  | 'chord_providers'
  | 'chord_pending'
  | 'share_rate'
  | 'share_files'
  | 'share_tokens'
  | 'index_full'
  | 'status_rate'
  | 'topology_rate'
  | 'topology_concurrency'
  | 'crawl_unvouched'
  | 'identity_taken'
  | 'push_address'
  | 'push_rate'
  | 'push_delivery'
  | 'peer_certificate'
  | 'pong_invalid'
  | 'pong_candidates'
  | 'wire_version'
  | 'registry_record';

export const REFUSAL_REASONS: readonly RefusalReason[] = [
  'descriptor_rate', 'client_rate', 'search_concurrency', 'pending_streams', 'leaf_capacity', 'link_capacity', 'queue_full',
  'http_malformed', 'http_timeout',
  'chord_auth', 'chord_rate', 'chord_unknown_member', 'chord_keys', 'chord_providers', 'chord_pending',
  'share_rate', 'share_files', 'share_tokens', 'index_full',
  'status_rate', 'topology_rate', 'topology_concurrency', 'crawl_unvouched', 'identity_taken', 'push_address', 'push_rate', 'push_delivery',
  'peer_certificate',
  'pong_invalid', 'pong_candidates', 'wire_version', 'registry_record',
];

/** A share update costs at least this much of its leaf's byte budget, so many tiny updates are bounded too. */
export const SHARE_UPDATE_MIN_COST_BYTES = 1024;

type LimitConfig = Pick<
  NodeConfig,
  'linkDescriptorRate' | 'linkDescriptorBurst' | 'clientSearchRate' | 'clientSearchBurst' | 'maxConcurrentSearches' | 'maxPendingStreams'
  | 'chordRate' | 'chordBurst' | 'shareUpdateRate' | 'shareUpdateBurst'
  | 'clientStatusRate' | 'clientStatusBurst' | 'clientTopologyRate' | 'clientTopologyBurst' | 'maxConcurrentCrawls'
  | 'clientPushRate' | 'clientPushBurst'
>;

export class RateLimits {
  private readonly streamBuckets = new WeakMap<object, TokenBucket>();
  private readonly clientBuckets = new Map<string, TokenBucket>();
  private readonly chordBuckets = new Map<string, TokenBucket>();
  private readonly shareBuckets = new WeakMap<object, TokenBucket>();
  private readonly statusBuckets = new Map<string, TokenBucket>();
  private readonly topologyBuckets = new Map<string, TokenBucket>();
  private readonly pushBuckets = new Map<string, TokenBucket>();
  private searching = 0;
  private pending = 0;
  private crawling = 0;

  constructor(
    private readonly config: LimitConfig,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** One descriptor arrived on a stream: false when it is over the stream's rate. */
  admitDescriptor(stream: object): boolean {
    if (this.config.linkDescriptorRate === 0) return true;
    let b = this.streamBuckets.get(stream);
    if (!b) {
      b = new TokenBucket({ ratePerS: this.config.linkDescriptorRate, burst: this.config.linkDescriptorBurst }, this.now);
      this.streamBuckets.set(stream, b);
    }
    return b.take();
  }

  /**
   * A Search or Locate from `client` (an address) starts: throws RATE_LIMITED
   * or CAPACITY, else returns the release to call once when it ends.
   */
  admitSearch(client: string): () => void {
    if (this.config.clientSearchRate > 0 && !this.clientBucket(client).take()) {
      throw new SuperpeerError('RATE_LIMITED', `more than ${this.config.clientSearchRate} searches/s from ${client}; slow down`);
    }
    if (this.searching >= this.config.maxConcurrentSearches) {
      throw new SuperpeerError('CAPACITY', `${this.searching} searches already running on this node (limit ${this.config.maxConcurrentSearches})`);
    }
    return this.hold('searching');
  }

  /** A share update of about `bytes` arrived on a leaf stream: false when over the stream's byte budget. */
  admitShareUpdate(stream: object, bytes: number): boolean {
    if (this.config.shareUpdateRate === 0) return true;
    let b = this.shareBuckets.get(stream);
    if (!b) {
      b = new TokenBucket({ ratePerS: this.config.shareUpdateRate, burst: this.config.shareUpdateBurst }, this.now);
      this.shareBuckets.set(stream, b);
    }
    return b.take(Math.max(bytes, SHARE_UPDATE_MIN_COST_BYTES));
  }

  /** A Chord call from a gRPC peer ("ipv4:host:port", one per connection): false when over its rate. */
  admitChord(peer: string): boolean {
    if (this.config.chordRate === 0) return true;
    return bucketOf(this.chordBuckets, peer, () => new TokenBucket({ ratePerS: this.config.chordRate, burst: this.config.chordBurst }, this.now)).take();
  }

  /** A Status call from `client`: throws RATE_LIMITED when over its rate. */
  admitStatus(client: string): void {
    const { clientStatusRate: ratePerS, clientStatusBurst: burst } = this.config;
    if (ratePerS > 0 && !bucketOf(this.statusBuckets, client, () => new TokenBucket({ ratePerS, burst }, this.now)).take()) {
      throw new SuperpeerError('RATE_LIMITED', `more than ${ratePerS} Status calls/s from ${client}; slow down`);
    }
  }

  /**
   * Pushes: a RequestPush from `client`, or (at the firewalled servent) a
   * Push that would make it connect out to `client`. Throws RATE_LIMITED.
   */
  admitPush(client: string): void {
    const { clientPushRate: ratePerS, clientPushBurst: burst } = this.config;
    if (ratePerS > 0 && !bucketOf(this.pushBuckets, client, () => new TokenBucket({ ratePerS, burst }, this.now)).take()) {
      throw new SuperpeerError('RATE_LIMITED', `more than ${ratePerS} Pushes/s for ${client}; slow down`);
    }
  }

  /** A Topology crawl asked by `client`: throws RATE_LIMITED or CAPACITY, else returns the release. */
  admitTopology(client: string): () => void {
    const { clientTopologyRate: ratePerS, clientTopologyBurst: burst } = this.config;
    if (ratePerS > 0 && !bucketOf(this.topologyBuckets, client, () => new TokenBucket({ ratePerS, burst }, this.now)).take()) {
      throw new SuperpeerError('RATE_LIMITED', `more than ${ratePerS} Topology calls/s from ${client}; slow down`);
    }
    if (this.crawling >= this.config.maxConcurrentCrawls) {
      throw new SuperpeerError('CAPACITY', `${this.crawling} topology crawls already running on this node (limit ${this.config.maxConcurrentCrawls})`);
    }
    return this.hold('crawling');
  }

  /** An inbound stream opened and waits for its hello: throws CAPACITY, else returns the release. */
  admitPendingStream(): () => void {
    if (this.pending >= this.config.maxPendingStreams) {
      throw new SuperpeerError('CAPACITY', `${this.pending} streams already waiting for their hello`);
    }
    return this.hold('pending');
  }

  get searchesRunning(): number {
    return this.searching;
  }

  get streamsPending(): number {
    return this.pending;
  }

  get clientsTracked(): number {
    return this.clientBuckets.size;
  }

  private hold(what: 'searching' | 'pending' | 'crawling'): () => void {
    this[what]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this[what]--;
    };
  }

  private clientBucket(client: string): TokenBucket {
    return bucketOf(this.clientBuckets, client, () => new TokenBucket({ ratePerS: this.config.clientSearchRate, burst: this.config.clientSearchBurst }, this.now));
  }
}

/** The bucket of a key in a table of at most MAX_CLIENT_BUCKETS; the least recently used is forgotten first. */
function bucketOf(table: Map<string, TokenBucket>, key: string, make: () => TokenBucket): TokenBucket {
  let b = table.get(key);
  if (b) {
    // Map order is age order: touching moves it to the young end.
    table.delete(key);
  } else {
    b = make();
    if (table.size >= MAX_CLIENT_BUCKETS) table.delete(table.keys().next().value!);
  }
  table.set(key, b);
  return b;
}

/** The address part of a gRPC peer string ("ipv4:127.0.0.1:5000" → "127.0.0.1"). */
export function clientAddress(peer: string): string {
  const p = peer.replace(/^(ipv4|ipv6|unix):/, '');
  const m = /^\[?([^\]]*?)\]?:\d+$/.exec(p);
  return m ? m[1] : p;
}
