// Admission of Search and Locate calls: the per-client rate and the
// node-wide cap of rate-limits.ts, counted in superpeer_refusals_total, with
// the slot released exactly once however the call ends.
import { isSuperpeerError } from '../core/errors.js';
import type { SuperpeerNode } from './node.js';
import { clientAddress } from './rate-limits.js';

interface Call {
  getPeer(): string;
  once(event: string, listener: () => void): unknown;
}

/** Throws RATE_LIMITED or CAPACITY; otherwise holds a slot until the call finishes, closes, errs or is cancelled. */
export function admitSearchCall(node: SuperpeerNode, call: Call): () => void {
  let release: () => void;
  try {
    release = node.limits.admitSearch(clientAddress(call.getPeer()));
  } catch (err) {
    const rate = isSuperpeerError(err) && err.code === 'RATE_LIMITED';
    node.metrics.refusals.inc({ reason: rate ? 'client_rate' : 'search_concurrency' });
    throw err;
  }
  for (const event of ['finish', 'close', 'cancelled', 'error']) call.once(event, release);
  return release;
}

/** A unary callback that releases the admission slot when it answers. */
export function releasingCallback<A extends unknown[]>(callback: (...args: A) => void, release: () => void): (...args: A) => void {
  return (...args: A) => {
    release();
    callback(...args);
  };
}
