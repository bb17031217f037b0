// HTTP requests to one download source: a byte range, a HEAD for the size,
// or the whole file hashed as it streams (used to find a corrupt source).
// A firewalled source is reached over sockets it opened to us after a Push;
// its agent asks for a new push whenever it needs a fresh connection.

import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { NODE_HEADER } from './http-server.js';

/** Where a file can be fetched from (from Locate / QueryHits). */
export interface Source {
  nodeId: string;
  /** host:port of its HTTP server; '' when firewalled. */
  httpAddress: string;
  firewalled: boolean;
  /** 32 hex digits; the Push target when firewalled. */
  serventId: string;
}

/** Opens a socket on which `source` serves HTTP (Push + GIV for firewalled sources). */
export type PushConnect = (source: Source) => Promise<Socket>;

/** A stalled response is abandoned after this long without data. */
export const REQUEST_IDLE_TIMEOUT_MS = 30_000;
/**
 * Every request is also bounded in total: this long plus its bytes at the
 * slowest rate we wait for, so a source that drips bytes forever is named
 * and dropped rather than holding the download to its deadline.
 */
export const REQUEST_BASE_MS = 30_000;
export const MIN_SOURCE_RATE_BPS = 32 * 1024;

export interface FetchBounds {
  baseMs: number;
  minRateBps: number;
}

export const DEFAULT_FETCH_BOUNDS: FetchBounds = { baseMs: REQUEST_BASE_MS, minRateBps: MIN_SOURCE_RATE_BPS };
/** When a 503 has no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

export type RangeFetch =
  | { kind: 'ok'; data: Buffer }
  | { kind: 'busy'; retryAfterMs: number }
  | { kind: 'fail'; reason: string }
  /** The source broke a promise (size, length, rate): it is dropped at once. */
  | { kind: 'lie'; reason: string };

class PushAgent extends http.Agent {
  constructor(private readonly connect: () => Promise<Socket>) {
    super({ keepAlive: true, maxSockets: 1 });
  }

  override createConnection(_options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    this.connect().then(
      (socket) => callback?.(null, socket),
      // Node only reads the error when it is set; no stream exists to pass.
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

export function parseAddress(address: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s/]+)):(\d{1,5})$/.exec(address);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: m[1] ?? m[2], port };
}

export function parseRetryAfter(value: string | undefined, nowMs: number): number {
  if (value === undefined) return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - nowMs);
}

export class SourceFetcher {
  private readonly agent: http.Agent;
  private readonly target: { host: string; port: number };
  private readonly secure: boolean;

  constructor(
    readonly source: Source,
    private readonly sha256: string,
    private readonly selfId: string | undefined,
    connectPush: PushConnect | undefined,
    /** HTTPS to sources (tls.ts httpsClientOptions); plain HTTP without. */
    tls?: https.AgentOptions,
    private readonly bounds: FetchBounds = DEFAULT_FETCH_BOUNDS,
  ) {
    this.secure = tls !== undefined && !source.firewalled;
    if (source.firewalled) {
      if (!connectPush) throw new Error(`source ${source.nodeId} is firewalled and no Push path was given`);
      this.agent = new PushAgent(() => connectPush(source));
      this.target = { host: 'push.invalid', port: 80 };
    } else {
      const target = parseAddress(source.httpAddress);
      if (!target) throw new Error(`source ${source.nodeId} has a bad http address ${JSON.stringify(source.httpAddress)}`);
      this.agent = tls ? new https.Agent({ ...tls, keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
      this.target = target;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /** Bytes [start, end] inclusive of a file of `size` bytes. */
  range(start: number, end: number, size: number, signal: AbortSignal): Promise<RangeFetch> {
    const expected = end - start + 1;
    return this.bounded(expected, (resolve) => {
      const req = this.request('GET', { Range: `bytes=${start}-${end}` }, signal);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status === 503) {
          res.resume();
          return resolve({ kind: 'busy', retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()) });
        }
        const whole = status === 200 && start === 0 && end === size - 1;
        if (status !== 206 && !whole) {
          res.resume();
          return resolve({ kind: 'fail', reason: `HTTP ${status}` });
        }
        if (status === 206 && res.headers['content-range'] !== `bytes ${start}-${end}/${size}`) {
          res.destroy();
          return resolve({ kind: 'lie', reason: `Content-Range ${String(res.headers['content-range']).slice(0, 80)} for bytes ${start}-${end} of ${size}` });
        }
        const chunks: Buffer[] = [];
        let got = 0;
        res.on('data', (c: Buffer) => {
          got += c.length;
          if (got > expected) {
            res.destroy();
            resolve({ kind: 'lie', reason: 'response longer than the range' });
          } else chunks.push(c);
        });
        res.on('end', () =>
          resolve(got === expected ? { kind: 'ok', data: Buffer.concat(chunks, got) } : { kind: 'fail', reason: `short response ${got}/${expected}` }),
        );
        res.on('error', (e) => resolve({ kind: 'fail', reason: e.message }));
        res.on('close', () => resolve({ kind: 'fail', reason: 'connection closed mid-response' }));
      });
      req.on('error', (e) => resolve({ kind: 'fail', reason: e.message }));
      req.end();
      return req;
    });
  }

  /** Content-Length from a HEAD, or undefined. */
  async size(signal: AbortSignal): Promise<number | undefined> {
    const r = await this.bounded<{ kind: 'size'; size: number | undefined }>(0, (resolve) => {
      const req = this.request('HEAD', {}, signal);
      req.on('response', (res) => {
        res.resume();
        const len = Number(res.headers['content-length']);
        resolve({ kind: 'size', size: res.statusCode === 200 && Number.isSafeInteger(len) && len >= 0 ? len : undefined });
      });
      req.on('error', () => resolve({ kind: 'size', size: undefined }));
      req.end();
      return req;
    });
    return r.kind === 'size' ? r.size : undefined;
  }

  /** sha256 of the whole file as this source serves it (streamed, not stored). */
  hashWhole(size: number, signal: AbortSignal): Promise<RangeFetch | { kind: 'hash'; sha256: string }> {
    return this.bounded(size, (resolve) => {
      const req = this.request('GET', {}, signal);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status === 503) {
          res.resume();
          return resolve({ kind: 'busy', retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()) });
        }
        if (status !== 200) {
          res.resume();
          return resolve({ kind: 'fail', reason: `HTTP ${status}` });
        }
        const hash = createHash('sha256');
        let got = 0;
        res.on('data', (c: Buffer) => {
          got += c.length;
          if (got > size) {
            res.destroy();
            resolve({ kind: 'lie', reason: `serves more than the ${size} bytes of the file` });
          } else hash.update(c);
        });
        res.on('end', () => resolve({ kind: 'hash', sha256: hash.digest('hex') }));
        res.on('error', (e) => resolve({ kind: 'fail', reason: e.message }));
        res.on('close', () => resolve({ kind: 'fail', reason: 'connection closed mid-response' }));
      });
      req.on('error', (e) => resolve({ kind: 'fail', reason: e.message }));
      req.end();
      return req;
    });
  }

  /**
   * Runs one request under its total bound (REQUEST_BASE_MS plus `bytes` at
   * MIN_SOURCE_RATE_BPS); past it the request is destroyed and the source
   * reported too slow. The first answer wins.
   */
  private bounded<T>(bytes: number, run: (resolve: (r: T | RangeFetch) => void) => http.ClientRequest): Promise<T | RangeFetch> {
    const limitMs = this.bounds.baseMs + Math.ceil((bytes / this.bounds.minRateBps) * 1000);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r: T | RangeFetch) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = run(finish);
      const timer = setTimeout(() => {
        finish({ kind: 'lie', reason: `too slow: ${bytes} bytes not served within ${limitMs} ms` });
        req.destroy();
      }, limitMs);
      timer.unref();
    });
  }

  private request(method: string, headers: http.OutgoingHttpHeaders, signal: AbortSignal): http.ClientRequest {
    const all: http.OutgoingHttpHeaders = { ...headers };
    if (this.selfId) all[NODE_HEADER] = this.selfId;
    const req = (this.secure ? https : http).request({ ...this.target, method, path: `/files/${this.sha256}`, headers: all, agent: this.agent, signal });
    req.setTimeout(REQUEST_IDLE_TIMEOUT_MS, () => req.destroy(new Error('request idle timeout')));
    return req;
  }
}
