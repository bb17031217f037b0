// Multi-source, resumable, verified download of one file by sha256.
//
// Bytes go to `<out>.part`; an existing .part is resumed from its length. The
// missing bytes are cut into chunks that one worker per source fetches with
// Range, in parallel. A 503 puts the chunk back and rests that source for its
// Retry-After; a source failing repeatedly is dropped. At the end the whole
// file is hashed; on a mismatch every contributing source is checked alone
// (whole file, hashed as it streams), the corrupt ones are named, and their
// chunks are fetched again from a verified source. Only a verified file is
// renamed to `out`, so nothing at `out` is ever partial.

import { open, rename, rm, stat, truncate } from 'node:fs/promises';
import { SuperpeerError } from '../core/errors.js';
import type { TransferLog } from './http-server.js';
import { hashFile } from './share-index.js';
import { SourceFetcher, type PushConnect, type Source } from './source-fetch.js';

export type { Source, PushConnect } from './source-fetch.js';

/** 256 KiB: small enough to spread a few-MiB file over sources, big enough to amortise a request. */
export const CHUNK_BYTES = 256 * 1024;
/** Whole-download deadline unless the caller gives one. */
export const DOWNLOAD_DEADLINE_MS = 10 * 60_000;
/** Consecutive failures after which a source is dropped. */
export const MAX_FAILURES_PER_SOURCE = 3;
/** 503s tolerated from one source before it is dropped. */
export const MAX_BUSY_PER_SOURCE = 100;
/** Longest rest honoured from a Retry-After. */
export const MAX_RETRY_WAIT_MS = 30_000;
const PART_SUFFIX = '.part';
const RESUMED = '(resumed)';

export interface DownloadOptions {
  sha256: string;
  /** File size if known (from Locate); otherwise asked with HEAD. */
  size?: number;
  sources: Source[];
  out: string;
  /** How to reach a firewalled source (Push); without it such sources are skipped. */
  connectPush?: PushConnect;
  onProgress?(done: number, total: number): void;
  /** Every byte received, for metrics. */
  onBytes?(n: number): void;
  /** Bytes received from a node, for reciprocation in our own choker. */
  credit?(nodeId: string, bytes: number): void;
  /** Sent as X-Superpeer-Node; sources equal to it are skipped. */
  selfId?: string;
  /** HTTPS to sources, when the overlay runs TLS (tls.ts httpsClientOptions). */
  tls?: import('node:https').AgentOptions;
  log?: TransferLog;
  chunkBytes?: number;
  deadlineMs?: number;
}

export interface DownloadReport {
  sha256: string;
  out: string;
  size: number;
  /** Bytes fetched by this run (not counting the resumed prefix). */
  bytes: number;
  resumedFrom: number;
  /** nodeId → bytes it supplied. */
  sources: Record<string, number>;
  corruptSources: string[];
  durationMs: number;
}

interface Chunk {
  start: number;
  end: number; // inclusive
}

/** Who supplied the bytes [start, end] stored at a chunk's start. */
interface Owned {
  id: string;
  end: number;
}

interface Worker {
  fetcher: SourceFetcher;
  failures: number;
  busy: number;
  dropped: boolean;
}

export async function download(opts: DownloadOptions): Promise<DownloadReport> {
  if (!/^[0-9a-f]{64}$/.test(opts.sha256)) throw new SuperpeerError('BAD_HASH', `not a sha256: ${opts.sha256}`);
  const started = Date.now();
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(new Error('download deadline passed')), opts.deadlineMs ?? DOWNLOAD_DEADLINE_MS);
  deadline.unref();
  const workers: Worker[] = [];
  for (const source of opts.sources) {
    if (source.nodeId === opts.selfId || (source.firewalled && !opts.connectPush)) continue;
    try {
      workers.push({ fetcher: new SourceFetcher(source, opts.sha256, opts.selfId, opts.connectPush, opts.tls), failures: 0, busy: 0, dropped: false });
    } catch (err) {
      opts.log?.warn({ err, source: source.nodeId }, 'unusable source');
    }
  }
  try {
    if (workers.length === 0) throw new SuperpeerError('NOT_FOUND', 'no usable source for this file');
    return await run(opts, workers, abort.signal, started);
  } finally {
    clearTimeout(deadline);
    workers.forEach((w) => w.fetcher.close());
  }
}

async function run(opts: DownloadOptions, workers: Worker[], signal: AbortSignal, started: number): Promise<DownloadReport> {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  const size = opts.size ?? (await probeSize(workers, signal));
  const part = opts.out + PART_SUFFIX;
  const existing = await stat(part).then((s) => s.size, () => -1);
  const resumedFrom = existing > 0 && existing <= size ? existing : 0;
  const fh = await open(part, existing >= 0 ? 'r+' : 'w+');
  const owner = new Map<number, Owned>();
  const supplied: Record<string, number> = {};
  let fetched = 0;
  let done = resumedFrom;
  try {
    if (existing > size) await fh.truncate(0);
    for (let s = 0; s < resumedFrom; s += chunkBytes) owner.set(s, { id: RESUMED, end: Math.min(resumedFrom, s + chunkBytes) - 1 });
    const pending: Chunk[] = [];
    for (let s = resumedFrom; s < size; s += chunkBytes) pending.push({ start: s, end: Math.min(size, s + chunkBytes) - 1 });
    opts.onProgress?.(done, size);

    const store = async (w: Worker, chunk: Chunk, data: Buffer): Promise<void> => {
      await fh.write(data, 0, data.length, chunk.start);
      const id = w.fetcher.source.nodeId;
      const fresh = !owner.has(chunk.start);
      owner.set(chunk.start, { id, end: chunk.end });
      supplied[id] = (supplied[id] ?? 0) + data.length;
      fetched += data.length;
      if (fresh) done += data.length;
      opts.onBytes?.(data.length);
      opts.credit?.(id, data.length);
      opts.onProgress?.(done, size);
    };
    await fetchAll(pending, workers, size, signal, store, opts.log);

    let corrupt: string[] = [];
    if ((await hashFile(part)) !== opts.sha256) {
      corrupt = await repair(opts, workers, owner, size, chunkBytes, signal, store);
      if ((await hashFile(part)) !== opts.sha256) throw new CorruptError('content did not match its sha256 even after repair');
    }
    await fh.close();
    await rename(part, opts.out);
    return { sha256: opts.sha256, out: opts.out, size, bytes: fetched, resumedFrom, sources: supplied, corruptSources: corrupt, durationMs: Date.now() - started };
  } catch (err) {
    await fh.close().catch(() => undefined);
    if (err instanceof CorruptError) await rm(part, { force: true });
    else await truncate(part, contiguousPrefix(owner)).catch(() => undefined);
    throw err instanceof CorruptError ? new SuperpeerError('UNAVAILABLE', err.message) : err;
  }
}

/** Content that cannot be made to match its hash: the .part is worthless. */
class CorruptError extends Error {}

/** Bytes from 0 held without a hole, so a later resume can trust the .part length. */
function contiguousPrefix(owner: Map<number, Owned>): number {
  let cursor = 0;
  for (const start of [...owner.keys()].sort((x, y) => x - y)) {
    if (start > cursor) break;
    cursor = Math.max(cursor, owner.get(start)!.end + 1);
  }
  return cursor;
}

/** One loop per source pulling chunks until none are left or every source is gone. */
async function fetchAll(
  pending: Chunk[],
  workers: Worker[],
  size: number,
  signal: AbortSignal,
  store: (w: Worker, c: Chunk, data: Buffer) => Promise<void>,
  log: TransferLog | undefined,
): Promise<void> {
  let inFlight = 0;
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((r) => (wake = r));
  const notify = () => {
    wake();
    changed = new Promise<void>((r) => (wake = r));
  };
  const abortedP = aborted(signal);
  abortedP.catch(() => undefined);

  async function loop(w: Worker): Promise<void> {
    while (!w.dropped) {
      if (signal.aborted) throw signal.reason as Error;
      const chunk = pending.shift();
      if (!chunk) {
        if (inFlight === 0) return;
        await Promise.race([changed, abortedP]);
        continue;
      }
      inFlight++;
      const r = await w.fetcher.range(chunk.start, chunk.end, size, signal);
      if (r.kind === 'ok') {
        await store(w, chunk, r.data);
        w.failures = 0;
      } else {
        pending.unshift(chunk);
        if (r.kind === 'busy') {
          if (++w.busy > MAX_BUSY_PER_SOURCE) w.dropped = true;
          log?.debug({ source: w.fetcher.source.nodeId, retryAfterMs: r.retryAfterMs }, 'source choked us');
          inFlight--;
          notify();
          if (!w.dropped) await rest(Math.min(r.retryAfterMs, MAX_RETRY_WAIT_MS), signal);
          continue;
        }
        if (++w.failures >= MAX_FAILURES_PER_SOURCE) w.dropped = true;
        log?.warn({ source: w.fetcher.source.nodeId, reason: r.reason, dropped: w.dropped }, 'chunk fetch failed');
      }
      inFlight--;
      notify();
    }
    notify();
  }

  await Promise.all(workers.filter((w) => !w.dropped).map(loop));
  if (pending.length > 0) throw new SuperpeerError('UNAVAILABLE', `every source failed; ${pending.length} chunks missing (the .part file is kept for resuming)`);
}

/** Find the corrupt contributors, then refetch what they (or a stale .part) supplied from a verified source. */
async function repair(
  opts: DownloadOptions,
  workers: Worker[],
  owner: Map<number, Owned>,
  size: number,
  chunkBytes: number,
  signal: AbortSignal,
  store: (w: Worker, c: Chunk, data: Buffer) => Promise<void>,
): Promise<string[]> {
  const contributors = new Set([...owner.values()].map((o) => o.id));
  const ordered = [...workers].sort((a, b) => Number(contributors.has(b.fetcher.source.nodeId)) - Number(contributors.has(a.fetcher.source.nodeId)));
  const corrupt: string[] = [];
  let good: Worker | undefined;
  for (const w of ordered) {
    const id = w.fetcher.source.nodeId;
    if (!contributors.has(id) && good) break; // enough: only contributors need a verdict
    const verdict = await verifyWhole(w, opts.sha256, signal);
    if (verdict === 'good') good ??= w;
    else if (verdict === 'corrupt') {
      corrupt.push(id);
      opts.log?.warn({ source: id, sha256: opts.sha256 }, 'source serves corrupt content');
    }
  }
  if (!good) throw new CorruptError(`no source serves content matching the sha256 (corrupt: ${corrupt.join(', ') || 'none'})`);
  const goodId = good.fetcher.source.nodeId;
  const redo: Chunk[] = [];
  for (const [start, { id, end }] of owner) if (id !== goodId && (corrupt.includes(id) || id === RESUMED)) redo.push({ start, end });
  good.dropped = false;
  good.failures = 0;
  const pending = redo.length > 0 ? redo : wholeFile(size, chunkBytes);
  await fetchAll(pending, [good], size, signal, store, opts.log);
  return corrupt;
}

async function verifyWhole(w: Worker, sha256: string, signal: AbortSignal): Promise<'good' | 'corrupt' | 'unknown'> {
  for (let attempt = 0; attempt < MAX_FAILURES_PER_SOURCE + MAX_BUSY_PER_SOURCE; attempt++) {
    const r = await w.fetcher.hashWhole(signal);
    if (r.kind === 'hash') return r.sha256 === sha256 ? 'good' : 'corrupt';
    if (r.kind === 'busy') await rest(Math.min(r.retryAfterMs, MAX_RETRY_WAIT_MS), signal);
    else if (attempt >= MAX_FAILURES_PER_SOURCE) return 'unknown';
  }
  return 'unknown';
}

function wholeFile(size: number, chunkBytes: number): Chunk[] {
  const out: Chunk[] = [];
  for (let s = 0; s < size; s += chunkBytes) out.push({ start: s, end: Math.min(size, s + chunkBytes) - 1 });
  return out;
}

async function probeSize(workers: Worker[], signal: AbortSignal): Promise<number> {
  for (const w of workers) {
    const size = await w.fetcher.size(signal);
    if (size !== undefined) return size;
  }
  throw new SuperpeerError('UNAVAILABLE', 'no source told the file size');
}

function rest(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}
