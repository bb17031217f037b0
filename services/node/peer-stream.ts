// One long-lived gRPC stream to a peer, from either end, with a bounded
// outgoing queue: a peer that stops reading loses descriptors (counted), it
// never makes us buffer without limit.
import type { Descriptor } from '../core/descriptor.js';
import type { PeerInfo } from '../core/peer.js';
import { toWire } from './codec.js';
import type { Descriptor as WireDescriptor } from './generated/superpeer/v1/Descriptor.js';

/** Messages queued toward one peer before we start dropping. */
export const MAX_QUEUED_MESSAGES = 1_024;

export type StreamKind = 'neighbour' | 'leaf' | 'uplink';

interface Writable<T> {
  write(msg: T): boolean;
  end(): void;
  readonly writableLength: number;
  readonly writable?: boolean;
  cancel?(): void;
}

export class PeerStream<T extends { descriptor?: WireDescriptor | null }> {
  dropped = 0;
  closed = false;
  readonly openedAt = Date.now();

  constructor(
    readonly id: string,
    readonly kind: StreamKind,
    public peer: PeerInfo,
    private readonly call: Writable<T>,
    /** true when we dialled; the other end accepted. */
    readonly outbound: boolean,
  ) {}

  /** Queues a message; false when the peer is too far behind or gone. */
  write(msg: T): boolean {
    if (this.closed || this.call.writable === false) return false;
    if (this.call.writableLength >= MAX_QUEUED_MESSAGES) {
      this.dropped++;
      return false;
    }
    try {
      this.call.write(msg);
      return true;
    } catch {
      return false;
    }
  }

  sendDescriptor(d: Descriptor): boolean {
    return this.write({ descriptor: toWire(d) } as T);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.outbound && this.call.cancel) this.call.cancel();
      else this.call.end();
    } catch {
      // already gone
    }
  }
}
