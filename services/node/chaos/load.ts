// Search load for chaos scenarios: exact-hash searches for files with at
// least three replicas, from random live leaves, each with a deadline.
import * as grpc from '@grpc/grpc-js';
import type { LocalCluster } from '../cluster/local-cluster.js';
import { loadProto } from '../proto.js';
import { LoopLag } from './loop-lag.js';

export interface Sample {
  /** ms since the load started */
  at: number;
  ok: boolean;
  ms: number;
  /** finished later than its deadline + 1 s, more than the client's own loop stalls explain (should never happen) */
  hung: boolean;
  /** finished later than its deadline + 1 s, as the client's clock saw it */
  late?: boolean;
  /** ms this process's event loop lost to stalls while the search ran */
  stallMs?: number;
}

export const SEARCH_TIMEOUT_MS = 2_000;

/** sha256 of every file held by at least `min` nodes. */
export function replicated(cluster: LocalCluster, min = 3): string[] {
  const holders = new Map<string, number>();
  for (const n of cluster.nodes.values()) for (const f of n.files) holders.set(f.sha256, (holders.get(f.sha256) ?? 0) + 1);
  return [...holders].filter(([, c]) => c >= min).map(([h]) => h);
}

export function searchOnce(address: string, sha256: string, timeoutMs = SEARCH_TIMEOUT_MS): Promise<{ ok: boolean; ms: number; started: number }> {
  const { pkg } = loadProto();
  const c = new pkg.superpeer.v1.Client(address, grpc.credentials.createInsecure());
  const started = performance.now();
  return new Promise((resolve) => {
    let ok = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      c.close();
      resolve({ ok, ms: performance.now() - started, started });
    };
    const call = c.Search({ query: '', sha256, ttl: 0, timeout_ms: timeoutMs, max_results: 1 }, { deadline: new Date(Date.now() + timeoutMs + 5_000) });
    call.on('data', () => {
      ok = true;
      call.cancel();
      finish();
    });
    call.on('end', finish);
    call.on('error', finish);
  });
}

/** Runs `ratePerS` searches a second until stop(); returns every sample. */
export function startLoad(cluster: LocalCluster, files: string[], ratePerS: number, random: () => number = Math.random) {
  const samples: Sample[] = [];
  const t0 = performance.now();
  const lag = new LoopLag();
  const running = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const leaves = cluster.leaves();
    if (leaves.length === 0 || files.length === 0) return;
    const leaf = leaves[Math.floor(random() * leaves.length)];
    const sha = files[Math.floor(random() * files.length)];
    const at = performance.now() - t0;
    const p = searchOnce(leaf.grpc, sha).then((r) => {
      // A leaf killed mid-search is not the overlay's failure: only count live ones.
      if (!cluster.nodes.has(leaf.id)) return;
      const late = r.ms > SEARCH_TIMEOUT_MS + 1_000;
      const stallMs = late ? lag.stalledMs(r.started, r.started + r.ms) : 0;
      samples.push({ at, ok: r.ok, ms: r.ms, late, stallMs, hung: r.ms - stallMs > SEARCH_TIMEOUT_MS + 1_000 });
    });
    running.add(p);
    void p.finally(() => running.delete(p));
  }, 1000 / ratePerS);
  return {
    samples,
    lag,
    async stop(): Promise<Sample[]> {
      clearInterval(timer);
      await Promise.all(running);
      lag.stop();
      return samples;
    },
  };
}

export function summarize(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const ok = samples.filter((s) => s.ok).length;
  return {
    searches: samples.length,
    successPct: samples.length ? (100 * ok) / samples.length : 0,
    p50Ms: ms[Math.floor(ms.length * 0.5)] ?? 0,
    p99Ms: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))] ?? 0,
    hung: samples.filter((s) => s.hung).length,
    /** Past deadline + 1 s by the client's clock; those not hung were explained by the client's own stalls. */
    late: samples.filter((s) => s.late).length,
    /** The first late ones: "<ms taken>/<ms the client itself stalled meanwhile>". */
    lateDetail: samples.filter((s) => s.late).slice(0, 5).map((s) => `${Math.round(s.ms)}/${Math.round(s.stallMs ?? 0)}`).join(' '),
  };
}

/** Success % per window of `windowMs`, for "success over time". */
export function overTime(samples: Sample[], windowMs: number): string {
  const buckets = new Map<number, { ok: number; n: number }>();
  for (const s of samples) {
    const k = Math.floor(s.at / windowMs);
    const b = buckets.get(k) ?? { ok: 0, n: 0 };
    b.n++;
    if (s.ok) b.ok++;
    buckets.set(k, b);
  }
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([k, b]) => `${(k * windowMs) / 1000}s:${Math.round((100 * b.ok) / b.n)}%`).join(' ');
}
