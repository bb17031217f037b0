// Multi-source, resumable, verified download of one file by sha256.
//
// Bytes go to `<out>.part`; an existing .part is resumed from its length. The
// missing bytes are cut into chunks that one worker per source fetches with
// Range, in parallel. A 503 puts the chunk back and rests that source for its
// Retry-After; a source failing repeatedly is dropped. At the end the whole
// file is hashed; on a mismatch every contributing source is checked alone
// (whole file, hashed as it streams), the corrupt ones are named, and their
// chunks are fetched again from a verified source. Only a verified file is
// moved to `out`, so nothing at `out` is ever partial, and an existing `out`
// is never replaced unless `overwrite` says so.
//
// A source's word is checked, never trusted: the size is the one most
// sources give (HEAD), each range must carry it in Content-Range, every read
// is bounded in bytes and in time, and a source that breaks any of these is
// dropped at once and named in the report. Chunks are planned lazily from a
// cursor, so memory does not depend on the size anyone claims.

import { link, open, rename, rm, stat, truncate, unlink } from 'node:fs/promises';
import { SuperpeerError, isSuperpeerError } from '../core/errors.js';
import type { TransferLog } from './http-server.js';
import { hashFile } from './share-index.js';
import { DEFAULT_FETCH_BOUNDS, SourceFetcher, type FetchBounds, type PushConnect, type Source } from './source-fetch.js';

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
/** Sources asked for the size (HEAD) before the download; the most common answer wins. */
export const SIZE_VOTERS = 3;
const PART_SUFFIX = '.part';
const RESUMED = '(resumed)';

export interface DownloadOptions {
  sha256: string;
  /** File size as Locate claimed it: a hint, checked against what the sources say (HEAD). */
  size?: number;
  /** Replace an existing `out` (else the download refuses to start, and never clobbers it at the end). */
  overwrite?: boolean;
  /** Total bound of each request (tests make it short). */
  fetchBounds?: FetchBounds;
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
  /** Sources dropped for breaking a promise (size, length, rate) or failing, with why. */
  droppedSources: Array<{ nodeId: string; reason: string }>;
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

/** Who was dropped and why, in order. */
type Dropped = Array<{ nodeId: string; reason: string }>;

function drop(w: Worker, reason: string, dropped: Dropped, log: TransferLog | undefined): void {
  if (dropped.some((d) => d.nodeId === w.fetcher.source.nodeId)) return;
  w.dropped = true;
  dropped.push({ nodeId: w.fetcher.source.nodeId, reason });
  log?.warn({ source: w.fetcher.source.nodeId, reason }, 'source dropped');
}

/**
 * Chunks still to fetch: the ones put back, then the rest of [cursor, size)
 * cut as they are needed. Holds at most one entry per worker put back,
 * whatever the size.
 */
class ChunkQueue {
  private readonly back: Chunk[] = [];
  constructor(
    private cursor: number,
    private readonly size: number,
    private readonly chunkBytes: number,
    private readonly listed: Chunk[] = [],
  ) {}

  static of(chunks: Chunk[]): ChunkQueue {
    return new ChunkQueue(0, 0, 1, chunks);
  }

  shift(): Chunk | undefined {
    const c = this.back.shift() ?? this.listed.shift();
    if (c) return c;
    if (this.cursor >= this.size) return undefined;
    const start = this.cursor;
    this.cursor = Math.min(this.size, start + this.chunkBytes);
    return { start, end: this.cursor - 1 };
  }

  unshift(c: Chunk): void {
    this.back.unshift(c);
  }

  /** Chunks left (counted, not listed). */
  get length(): number {
    return this.back.length + this.listed.length + Math.ceil((this.size - this.cursor) / this.chunkBytes);
  }
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
      workers.push({ fetcher: new SourceFetcher(source, opts.sha256, opts.selfId, opts.connectPush, opts.tls, opts.fetchBounds ?? DEFAULT_FETCH_BOUNDS), failures: 0, busy: 0, dropped: false });
    } catch (err) {
      opts.log?.warn({ err, source: source.nodeId }, 'unusable source');
    }
  }
  try {
    if (workers.length === 0) throw new SuperpeerError('NOT_FOUND', 'no usable source for this file');
    if (!opts.overwrite && (await exists(opts.out))) throw new SuperpeerError('BAD_FIELD', `${opts.out} exists; overwrite it explicitly (--force) or choose another name`);
    return await bySize(opts, workers, abort.signal, started);
  } finally {
    clearTimeout(deadline);
    workers.forEach((w) => w.fetcher.close());
  }
}

/**
 * Tries the sizes the sources give, the most agreed first: a size whose
 * content does not verify drops the sources that gave it, and the next size
 * is tried with its own sources (so one liar cannot outvote one honest source).
 */
async function bySize(opts: DownloadOptions, workers: Worker[], signal: AbortSignal, started: number): Promise<DownloadReport> {
  const dropped: Dropped = [];
  const plans = await sizePlans(workers, opts.size, signal);
  for (let i = 0; ; i++) {
    const plan = plans[i];
    const others = plans.filter((p) => p !== plan).flatMap((p) => p.voters);
    const mine = workers.filter((w) => !others.includes(w) && !dropped.some((d) => d.nodeId === w.fetcher.source.nodeId));
    for (const w of mine) w.dropped = false;
    if (plans.length > 1) opts.log?.warn({ size: plan.size, sizes: plans.map((p) => p.size) }, 'sources disagree on the size; trying the most agreed first');
    try {
      const report = await run(opts, mine, plan.size, signal, started, dropped);
      // The verified size proves the others wrong: name them.
      for (const w of others) drop(w, `says the file has ${plans.find((p) => p.voters.includes(w))!.size} bytes; it has ${plan.size}`, dropped, opts.log);
      return report;
    } catch (err) {
      const sizeWrong = isSuperpeerError(err) && err.code === 'UNAVAILABLE' && !signal.aborted;
      if (i === plans.length - 1 || !sizeWrong) throw withDropped(err, dropped);
      for (const w of plan.voters) drop(w, `says the file has ${plan.size} bytes; the download at that size failed (${(err as Error).message})`, dropped, opts.log);
      await rm(opts.out + PART_SUFFIX, { force: true });
    }
  }
}

async function run(opts: DownloadOptions, workers: Worker[], size: number, signal: AbortSignal, started: number, dropped: Dropped): Promise<DownloadReport> {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
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
    const pending = new ChunkQueue(resumedFrom, size, chunkBytes);
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
    await fetchAll(pending, workers, size, signal, store, dropped, opts.log);

    let corrupt: string[] = [];
    if ((await hashFile(part)) !== opts.sha256) {
      corrupt = await repair(opts, workers, owner, size, chunkBytes, signal, store, dropped);
      if ((await hashFile(part)) !== opts.sha256) throw new CorruptError('content did not match its sha256 even after repair');
    }
    await fh.close();
    await moveInto(part, opts.out, opts.overwrite ?? false);
    return { sha256: opts.sha256, out: opts.out, size, bytes: fetched, resumedFrom, sources: supplied, corruptSources: corrupt, droppedSources: dropped, durationMs: Date.now() - started };
  } catch (err) {
    await fh.close().catch(() => undefined);
    if (err instanceof CorruptError) await rm(part, { force: true });
    else await truncate(part, contiguousPrefix(owner)).catch(() => undefined);
    throw err instanceof CorruptError ? new SuperpeerError('UNAVAILABLE', err.message) : err;
  }
}

/** Names the dropped sources in a failure, so a lying or dripping source is never anonymous. */
function withDropped(err: unknown, dropped: Dropped): unknown {
  if (dropped.length === 0 || !(err instanceof Error)) return err;
  const names = dropped.map((d) => `${d.nodeId} (${d.reason})`).join('; ');
  const e = err instanceof SuperpeerError ? new SuperpeerError(err.code, `${err.message}; dropped sources: ${names}`) : new Error(`${err.message}; dropped sources: ${names}`);
  return Object.assign(e, { droppedSources: dropped });
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** The verified .part becomes `out`: a hard link fails if `out` appeared meanwhile, so nothing is clobbered. */
async function moveInto(part: string, out: string, overwrite: boolean): Promise<void> {
  if (overwrite) return rename(part, out);
  try {
    await link(part, out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new SuperpeerError('BAD_FIELD', `${out} appeared during the download; the verified file is kept as ${part}`);
    // No hard links here (some filesystems): check, then rename.
    if (await exists(out)) throw new SuperpeerError('BAD_FIELD', `${out} exists; the verified file is kept as ${part}`);
    return rename(part, out);
  }
  await unlink(part);
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
  pending: ChunkQueue,
  workers: Worker[],
  size: number,
  signal: AbortSignal,
  store: (w: Worker, c: Chunk, data: Buffer) => Promise<void>,
  dropped: Dropped,
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
        if (r.kind === 'lie') {
          drop(w, r.reason, dropped, log);
          inFlight--;
          break;
        }
        if (r.kind === 'busy') {
          if (++w.busy > MAX_BUSY_PER_SOURCE) drop(w, `${MAX_BUSY_PER_SOURCE} times busy (503)`, dropped, log);
          log?.debug({ source: w.fetcher.source.nodeId, retryAfterMs: r.retryAfterMs }, 'source choked us');
          inFlight--;
          notify();
          if (!w.dropped) await rest(Math.min(r.retryAfterMs, MAX_RETRY_WAIT_MS), signal);
          continue;
        }
        log?.warn({ source: w.fetcher.source.nodeId, reason: r.reason }, 'chunk fetch failed');
        if (++w.failures >= MAX_FAILURES_PER_SOURCE) drop(w, `failed ${MAX_FAILURES_PER_SOURCE} times: ${r.reason}`, dropped, log);
      }
      inFlight--;
      notify();
    }
    notify();
  }

  await Promise.all(workers.filter((w) => !w.dropped).map(loop));
  if (pending.length > 0) throw new SuperpeerError('UNAVAILABLE', `every source failed; ${pending.length} chunks missing (the .part file is kept for resuming)`);
}

/**
 * Find the corrupt contributors, then refetch from a verified source what
 * they, an unverifiable source or a stale .part supplied. Each source is
 * hashed whole under the same bounds as any read, so one that drips or
 * serves too much is named and dropped instead of holding the download.
 */
async function repair(
  opts: DownloadOptions,
  workers: Worker[],
  owner: Map<number, Owned>,
  size: number,
  chunkBytes: number,
  signal: AbortSignal,
  store: (w: Worker, c: Chunk, data: Buffer) => Promise<void>,
  dropped: Dropped,
): Promise<string[]> {
  const contributors = new Set([...owner.values()].map((o) => o.id));
  const ordered = [...workers].sort((a, b) => Number(contributors.has(b.fetcher.source.nodeId)) - Number(contributors.has(a.fetcher.source.nodeId)));
  const corrupt: string[] = [];
  const verified = new Set<string>();
  let good: Worker | undefined;
  for (const w of ordered) {
    const id = w.fetcher.source.nodeId;
    if (dropped.some((d) => d.nodeId === id)) continue;
    if (!contributors.has(id) && good) break; // enough: only contributors need a verdict
    const verdict = await verifyWhole(w, opts.sha256, size, signal);
    if (verdict.kind === 'good') {
      verified.add(id);
      good ??= w;
    } else if (verdict.kind === 'corrupt') {
      corrupt.push(id);
      drop(w, 'serves content that does not match the sha256', dropped, opts.log);
    } else if (verdict.kind === 'lie') drop(w, verdict.reason, dropped, opts.log);
  }
  if (!good) throw new CorruptError(`no source serves content matching the sha256 (corrupt: ${corrupt.join(', ') || 'none'})`);
  const goodId = good.fetcher.source.nodeId;
  const redo: Chunk[] = [];
  for (const [start, { id, end }] of owner) if (id !== goodId && !verified.has(id)) redo.push({ start, end });
  good.dropped = false;
  good.failures = 0;
  const pending = redo.length > 0 ? ChunkQueue.of(redo) : new ChunkQueue(0, size, chunkBytes);
  await fetchAll(pending, [good], size, signal, store, dropped, opts.log);
  return corrupt;
}

type Verdict = { kind: 'good' } | { kind: 'corrupt' } | { kind: 'lie'; reason: string } | { kind: 'unknown' };

async function verifyWhole(w: Worker, sha256: string, size: number, signal: AbortSignal): Promise<Verdict> {
  for (let attempt = 0; attempt < MAX_FAILURES_PER_SOURCE + MAX_BUSY_PER_SOURCE; attempt++) {
    const r = await w.fetcher.hashWhole(size, signal);
    if (r.kind === 'hash') return { kind: r.sha256 === sha256 ? 'good' : 'corrupt' };
    if (r.kind === 'lie') return r;
    if (r.kind === 'busy') await rest(Math.min(r.retryAfterMs, MAX_RETRY_WAIT_MS), signal);
    else if (attempt >= MAX_FAILURES_PER_SOURCE) return { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}

interface SizePlan {
  size: number;
  /** Sources whose HEAD gave this size. */
  voters: Worker[];
  /** Only the Locate claim stands for this size (no source answered HEAD). */
  claimed: boolean;
}

/**
 * The sizes the sources give (HEAD, SIZE_VOTERS at a time), most voters
 * first, then the smaller. With no answer, the claim stands (each range then
 * checks it in Content-Range).
 */
async function sizePlans(workers: Worker[], claimed: number | undefined, signal: AbortSignal): Promise<SizePlan[]> {
  const plans = new Map<number, SizePlan>();
  for (let i = 0; i < workers.length; i += SIZE_VOTERS) {
    const voters = workers.slice(i, i + SIZE_VOTERS);
    const answers = await Promise.all(voters.map((w) => w.fetcher.size(signal)));
    voters.forEach((w, k) => {
      const size = answers[k];
      if (size === undefined) return;
      const plan = plans.get(size) ?? { size, voters: [], claimed: false };
      plan.voters.push(w);
      plans.set(size, plan);
    });
  }
  if (plans.size === 0) {
    if (claimed === undefined) throw new SuperpeerError('UNAVAILABLE', 'no source told the file size');
    return [{ size: claimed, voters: [], claimed: true }];
  }
  // A tie goes to the smaller size: a wrong smaller size costs one failed
  // hash check, a wrong huge one would cost the whole deadline.
  return [...plans.values()].sort((a, b) => b.voters.length - a.voters.length || a.size - b.size);
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
