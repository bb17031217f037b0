// Outbound gRPC clients, one per remote address, shared by links, attaches
// and client calls of this node.
import * as grpc from '@grpc/grpc-js';
import type { ClientClient } from './generated/superpeer/v1/Client.js';
import type { OverlayClient } from './generated/superpeer/v1/Overlay.js';
import { loadProto } from './proto.js';
import { grpcChannelCredentials, grpcChannelOptions, type TlsFiles } from './tls.js';
import { GRPC_MAX_MESSAGE_BYTES } from './limits.js';

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

export class Dialer {
  private readonly overlay = new Map<string, OverlayClient>();
  private readonly client = new Map<string, ClientClient>();

  private readonly options: grpc.ChannelOptions;

  constructor(private readonly tls: TlsFiles) {
    this.options = { ...CHANNEL_OPTIONS, ...grpcChannelOptions(tls) };
  }

  overlayClient(address: string): OverlayClient {
    let c = this.overlay.get(address);
    if (!c) {
      const { pkg } = loadProto();
      c = new pkg.superpeer.v1.Overlay(address, grpcChannelCredentials(this.tls), this.options);
      this.overlay.set(address, c);
    }
    return c;
  }

  clientClient(address: string): ClientClient {
    let c = this.client.get(address);
    if (!c) {
      const { pkg } = loadProto();
      c = new pkg.superpeer.v1.Client(address, grpcChannelCredentials(this.tls), this.options);
      this.client.set(address, c);
    }
    return c;
  }

  close(): void {
    for (const c of this.overlay.values()) c.close();
    for (const c of this.client.values()) c.close();
    this.overlay.clear();
    this.client.clear();
  }
}
