// One long-lived gRPC stream to a peer, from either end, with a bounded
// outgoing queue: a peer that stops reading loses descriptors (counted), it
// never makes us buffer without limit. Descriptors ready in the same turn of
// the event loop go out together in one batch message.
import type { Descriptor } from '../core/descriptor.js';
import type { PeerInfo } from '../core/peer.js';
import { toWire } from './codec.js';
import type { Descriptor as WireDescriptor } from './generated/superpeer/v1/Descriptor.js';
import type { Descriptors } from './generated/superpeer/v1/Descriptors.js';

/** Messages (a batch counts its descriptors) queued toward one peer before we start dropping. */
export const MAX_QUEUED_MESSAGES = 1_024;
/** Payload bytes in one batch: well inside the 64 KiB message limit with headers and framing. */
export const MAX_BATCH_BYTES = 48 * 1024;
/** Descriptors in one batch. */
export const MAX_BATCH_DESCRIPTORS = 256;

export type StreamKind = 'neighbour' | 'leaf' | 'uplink';

interface Writable<T> {
  write(msg: T, flushed?: () => void): boolean;
  end(): void;
  readonly writableLength: number;
  readonly writable?: boolean;
  cancel?(): void;
}

type Carrier = { descriptor?: WireDescriptor | null; batch?: Descriptors | null };

export class PeerStream<T extends Carrier> {
  dropped = 0;
  closed = false;
  readonly openedAt = Date.now();
  /** Descriptors handed to the call in batches and not yet flushed to the transport. */
  private inBatches = 0;
  /** Descriptors waiting for the end of this turn, and their payload bytes. */
  private pending: WireDescriptor[] = [];
  private pendingBytes = 0;
  private flushing = false;
  /** A leaf's stream: whether the leaf can be promoted (from its hello), for candidate reports. */
  candidate?: { eligible: boolean; lastChangeMs: number };

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

  /** Queues a descriptor for this turn's batch; false when the peer is too far behind or gone. */
  sendDescriptor(d: Descriptor): boolean {
    if (this.closed || this.call.writable === false) return false;
    if (this.call.writableLength + this.inBatches + this.pending.length >= MAX_QUEUED_MESSAGES) {
      this.dropped++;
      return false;
    }
    const wire = toWire(d);
    const size = wire.header!.payload_length! + 32;
    if (this.pending.length >= MAX_BATCH_DESCRIPTORS || this.pendingBytes + size > MAX_BATCH_BYTES) this.flush();
    this.pending.push(wire);
    this.pendingBytes += size;
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  /** Writes what is pending: one descriptor as itself, several as one batch. */
  private flush(): void {
    this.flushing = false;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length === 0 || this.closed) return;
    if (batch.length === 1) return void this.write({ descriptor: batch[0] } as T);
    // A batch is one message to the call; its descriptors count toward the bound until flushed.
    if (this.closed || this.call.writable === false) return;
    const n = batch.length - 1;
    this.inBatches += n;
    try {
      this.call.write({ batch: { descriptors: batch } } as T, () => (this.inBatches -= n));
    } catch {
      this.inBatches -= n;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    try {
      if (this.outbound && this.call.cancel) this.call.cancel();
      else this.call.end();
    } catch {
      // already gone
    }
  }
}
