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
/** When a 503 has no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

export type RangeFetch =
  | { kind: 'ok'; data: Buffer }
  | { kind: 'busy'; retryAfterMs: number }
  | { kind: 'fail'; reason: string };

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
    return new Promise((resolve) => {
      const req = this.request('GET', { Range: `bytes=${start}-${end}` }, signal);
      const expected = end - start + 1;
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
          return resolve({ kind: 'fail', reason: `unexpected Content-Range ${res.headers['content-range']}` });
        }
        const chunks: Buffer[] = [];
        let got = 0;
        res.on('data', (c: Buffer) => {
          got += c.length;
          if (got > expected) {
            res.destroy();
            resolve({ kind: 'fail', reason: 'response longer than the range' });
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
    });
  }

  /** Content-Length from a HEAD, or undefined. */
  size(signal: AbortSignal): Promise<number | undefined> {
    return new Promise((resolve) => {
      const req = this.request('HEAD', {}, signal);
      req.on('response', (res) => {
        res.resume();
        const len = Number(res.headers['content-length']);
        resolve(res.statusCode === 200 && Number.isSafeInteger(len) && len >= 0 ? len : undefined);
      });
      req.on('error', () => resolve(undefined));
      req.end();
    });
  }

  /** sha256 of the whole file as this source serves it (streamed, not stored). */
  hashWhole(signal: AbortSignal): Promise<RangeFetch | { kind: 'hash'; sha256: string }> {
    return new Promise((resolve) => {
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
        res.on('data', (c: Buffer) => hash.update(c));
        res.on('end', () => resolve({ kind: 'hash', sha256: hash.digest('hex') }));
        res.on('error', (e) => resolve({ kind: 'fail', reason: e.message }));
        res.on('close', () => resolve({ kind: 'fail', reason: 'connection closed mid-response' }));
      });
      req.on('error', (e) => resolve({ kind: 'fail', reason: e.message }));
      req.end();
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
