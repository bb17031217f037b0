// Admission of client calls (Search, Locate, Status, Topology): the
// per-client rates and the node-wide caps of rate-limits.ts, counted in
// superpeer_refusals_total, with a slot released exactly once however the
// call ends.
import { isSuperpeerError } from '../core/errors.js';
import type { SuperpeerNode } from './node.js';
import { clientAddress } from './rate-limits.js';
import { SuperpeerError } from '../core/errors.js';
import { checkAddress } from '../core/validate.js';
import { splitHostPort } from './config.js';

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

/**
 * RequestPush: the caller may only have a firewalled servent call back to
 * itself (its own IP, any port), never to a third host, and only so often.
 * Throws BAD_ADDRESS or RATE_LIMITED.
 */
export function admitPushCall(node: SuperpeerNode, call: Pick<Call, 'getPeer'>, requesterAddress: string): void {
  const caller = sameIp(clientAddress(call.getPeer()));
  checkAddress(requesterAddress);
  const { host } = splitHostPort(requesterAddress);
  if (sameIp(host) !== caller) {
    node.metrics.refusals.inc({ reason: 'push_address' });
    throw new SuperpeerError('BAD_ADDRESS', `a Push calls back to its requester: requester address ${host} is not the caller's own address ${caller}`);
  }
  try {
    node.limits.admitPush(caller);
  } catch (err) {
    node.metrics.refusals.inc({ reason: 'push_rate' });
    throw err;
  }
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are one address. */
function sameIp(host: string): string {
  return host.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();
}

/** Throws RATE_LIMITED when the caller is over its Status rate. */
export function admitStatusCall(node: SuperpeerNode, call: Pick<Call, 'getPeer'>): void {
  try {
    node.limits.admitStatus(clientAddress(call.getPeer()));
  } catch (err) {
    node.metrics.refusals.inc({ reason: 'status_rate' });
    throw err;
  }
}

/** Throws RATE_LIMITED or CAPACITY; otherwise returns the release of the crawl slot. */
export function admitTopologyCall(node: SuperpeerNode, call: Pick<Call, 'getPeer'>): () => void {
  try {
    return node.limits.admitTopology(clientAddress(call.getPeer()));
  } catch (err) {
    const rate = isSuperpeerError(err) && err.code === 'RATE_LIMITED';
    node.metrics.refusals.inc({ reason: rate ? 'topology_rate' : 'topology_concurrency' });
    throw err;
  }
}

interface Writable<T> {
  write(chunk: T): boolean;
  once(event: 'drain' | 'cancelled' | 'close', listener: () => void): unknown;
}

/** Writes one message of a server stream, waiting while the client is slow to read. */
export async function writeWithBackpressure<T>(call: Writable<T>, chunk: T, cancelled: () => boolean): Promise<void> {
  if (cancelled()) return;
  if (call.write(chunk)) return;
  await new Promise<void>((resolve) => {
    call.once('drain', resolve);
    call.once('cancelled', resolve);
    call.once('close', resolve);
  });
}
