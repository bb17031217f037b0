// Open-loop search load: each search starts at its scheduled time whatever
// happened to the ones before, so a slow overlay shows up as latency instead
// of slowing the load down. Latency counts from the scheduled time (no
// coordinated omission); how late the client itself started is reported too.
import * as grpc from '@grpc/grpc-js';
import type { ClientClient } from '../node/generated/superpeer/v1/Client.js';
import type { SearchResult__Output } from '../node/generated/superpeer/v1/SearchResult.js';
import { loadProto } from '../node/proto.js';
import type { PlannedSearch } from './workload.js';

export interface SearchOutcome {
  search: PlannedSearch;
  /** ms from the scheduled time to the first result; null = none. */
  firstHitMs: number | null;
  completeMs: number | null;
  /** How late the client sent it (its own queueing), ms. */
  lagMs: number;
  /** Distinct results from other nodes (the searcher's own files are not a find). */
  results: number;
  /** Results naming the searching node itself. */
  ownResults: number;
  firstHops: number | null;
  /** The node's own elapsed_ms of its first result. */
  serverFirstMs: number | null;
  error: string | null;
}

export interface LoadOptions {
  ttl: number;
  maxResults: number;
  timeoutMs: number;
  /** grpc address by origin node ID. */
  addressOf: (id: string) => string;
}

/** Extra wall time past the last deadline before stragglers are cancelled. */
export const STRAGGLER_GRACE_MS = 5_000;
const TICK_MS = 1;

export class ClientPool {
  private readonly clients = new Map<string, ClientClient>();

  get(address: string): ClientClient {
    let c = this.clients.get(address);
    if (!c) {
      const { pkg } = loadProto();
      c = new pkg.superpeer.v1.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 * 1024 * 1024 });
      this.clients.set(address, c);
    }
    return c;
  }

  /** Connects every channel first so connection set-up is not measured. */
  async warm(addresses: string[], timeoutMs = 10_000): Promise<void> {
    await Promise.all(
      addresses.map((a) => new Promise<void>((resolve) => this.get(a).waitForReady(Date.now() + timeoutMs, () => resolve()))),
    );
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

export async function runOpenLoop(plan: PlannedSearch[], pool: ClientPool, o: LoadOptions): Promise<SearchOutcome[]> {
  const outcomes: SearchOutcome[] = new Array(plan.length);
  const calls = new Set<grpc.ClientReadableStream<SearchResult__Output>>();
  const t0 = performance.now() + 20;
  let finished = 0;
  let next = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((r) => (allDone = r));

  const start = (i: number) => {
    const s = plan[i];
    const due = t0 + s.atMs;
    const sentAt = performance.now();
    const out: SearchOutcome = { search: s, firstHitMs: null, completeMs: null, lagMs: sentAt - due, results: 0, ownResults: 0, firstHops: null, serverFirstMs: null, error: null };
    outcomes[i] = out;
    const call = pool.get(o.addressOf(s.origin)).Search(
      { query: s.criteria, ttl: o.ttl, max_results: o.maxResults, timeout_ms: o.timeoutMs },
      { deadline: Date.now() + o.timeoutMs + STRAGGLER_GRACE_MS },
    );
    calls.add(call);
    let closed = false;
    const close = (err: string | null) => {
      if (closed) return;
      closed = true;
      calls.delete(call);
      out.completeMs = performance.now() - due;
      out.error = err;
      if (++finished === plan.length) allDone();
    };
    call.on('data', (r: SearchResult__Output) => {
      if (r.node_id === s.origin) {
        out.ownResults++;
        return;
      }
      if (out.results++ === 0) {
        out.firstHitMs = performance.now() - due;
        out.firstHops = r.hops;
        out.serverFirstMs = r.elapsed_ms;
      }
    });
    call.on('end', () => close(null));
    call.on('error', (e: grpc.ServiceError) => close(grpc.status[e.code] ?? e.message));
  };

  // Bounded: one tick per millisecond until every search has been sent.
  const tick = () => {
    const now = performance.now();
    while (next < plan.length && t0 + plan[next].atMs <= now) start(next++);
    if (next < plan.length) setTimeout(tick, TICK_MS);
  };
  setTimeout(tick, 0);
  const lastDue = plan.length ? plan[plan.length - 1].atMs : 0;
  const bound = new Promise<void>((r) => setTimeout(r, lastDue + o.timeoutMs + 2 * STRAGGLER_GRACE_MS + 100).unref());
  await Promise.race([done, bound]);
  for (const c of calls) c.cancel();
  for (let i = 0; i < plan.length; i++) {
    outcomes[i] ??= { search: plan[i], firstHitMs: null, completeMs: null, lagMs: 0, results: 0, ownResults: 0, firstHops: null, serverFirstMs: null, error: 'NOT_SENT' };
  }
  return outcomes;
}
