// Outbound gRPC clients, one per remote address, shared by links, attaches
// and client calls of this node. A client whose channel has gone idle (no
// call for CLIENT_IDLE_MS) is closed and forgotten, so addresses dialled once
// do not pile up; calls to addresses nobody vouches for over time (a topology
// crawl) use a client of their own, closed after the call.
import * as grpc from '@grpc/grpc-js';
import type { ClientClient } from './generated/superpeer/v1/Client.js';
import type { OverlayClient } from './generated/superpeer/v1/Overlay.js';
import { loadProto } from './proto.js';
import { grpcChannelCredentials, grpcChannelOptions, type TlsFiles } from './tls.js';
import { GRPC_MAX_MESSAGE_BYTES } from './limits.js';

/** A channel with no call for this long goes idle (grpc-js) and its client is evicted at the next sweep. */
export const CLIENT_IDLE_MS = 60_000;
/** How often cached clients are checked for idleness. */
export const DIAL_SWEEP_MS = 30_000;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
  'grpc.client_idle_timeout_ms': CLIENT_IDLE_MS,
};

interface Cached<C> {
  client: C;
  usedAt: number;
}

export class Dialer {
  private readonly overlay = new Map<string, Cached<OverlayClient>>();
  private readonly client = new Map<string, Cached<ClientClient>>();
  private readonly options: grpc.ChannelOptions;
  private sweeper: NodeJS.Timeout | undefined;
  /** Clients closed because they sat idle (Status counter dial_evicted). */
  evicted = 0;

  constructor(
    private readonly tls: TlsFiles,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.options = { ...CHANNEL_OPTIONS, ...grpcChannelOptions(tls) };
  }

  overlayClient(address: string): OverlayClient {
    return this.cached(this.overlay, address, () => new (loadProto().pkg.superpeer.v1.Overlay)(address, grpcChannelCredentials(this.tls), this.options));
  }

  clientClient(address: string): ClientClient {
    return this.cached(this.client, address, () => this.transientClient(address));
  }

  /** A client of its own, not cached: the caller closes it. */
  transientClient(address: string): ClientClient {
    return new (loadProto().pkg.superpeer.v1.Client)(address, grpcChannelCredentials(this.tls), this.options);
  }

  get size(): number {
    return this.overlay.size + this.client.size;
  }

  /** Closes clients whose channel is idle and that were not handed out for CLIENT_IDLE_MS. */
  sweep(): void {
    const cutoff = this.now() - CLIENT_IDLE_MS;
    for (const cache of [this.overlay, this.client] as Array<Map<string, Cached<grpc.Client>>>) {
      for (const [address, c] of cache) {
        if (c.usedAt > cutoff) continue;
        const state = c.client.getChannel().getConnectivityState(false);
        if (state !== grpc.connectivityState.IDLE && state !== grpc.connectivityState.SHUTDOWN) continue;
        c.client.close();
        cache.delete(address);
        this.evicted++;
      }
    }
  }

  /** Closes and forgets the clients of one address (a peer we stopped trusting or trying). */
  forget(address: string): void {
    for (const cache of [this.overlay, this.client] as Array<Map<string, Cached<grpc.Client>>>) {
      cache.get(address)?.client.close();
      cache.delete(address);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const c of this.overlay.values()) c.client.close();
    for (const c of this.client.values()) c.client.close();
    this.overlay.clear();
    this.client.clear();
  }

  private cached<C extends grpc.Client>(cache: Map<string, Cached<C>>, address: string, make: () => C): C {
    this.sweeper ??= setInterval(() => this.sweep(), DIAL_SWEEP_MS).unref();
    let c = cache.get(address);
    if (!c) {
      c = { client: make(), usedAt: this.now() };
      cache.set(address, c);
    }
    c.usedAt = this.now();
    return c.client;
  }
}
