// The node's HTTP/1.1 server: GET|HEAD /files/<sha256> (with one Range),
// /healthz, /readyz, /metrics. Uploads take a slot from the choker; a choked
// request gets 503 + Retry-After. A firewalled node refuses inbound /files
// requests with 403: it delivers only over connections it opened itself in
// answer to a Push (servePushed).

import http from 'node:http';
import https from 'node:https';
import type { TLSSocket, TlsOptions } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Choker } from '../core/choker.js';
import { parseRange } from './byte-range.js';
import type { OpenedFile } from './share-index.js';
import { isLoopback, parseZones, type Faults } from './faults.js';
import { peerCertificateProblem } from './peer-identity.js';
import { DEFAULT_TLS_SERVER_NAME } from './tls.js';

/** Slowloris bound: all request headers must arrive within this. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Whole request (headers + body; ours have none) must arrive within this. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** Idle keep-alive connections are closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A socket with no I/O for this long (e.g. a reader that stopped reading) is destroyed, freeing its slot. */
export const SOCKET_IDLE_TIMEOUT_MS = 60_000;
/** Our requests carry a handful of short headers. */
export const MAX_HEADER_BYTES = 8 * 1024;
/** How often Node checks the two timeouts above; its 30 s default would let a slowloris socket live 40 s. */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

const FILE_PATH = /^\/files\/([0-9a-f]{64})$/;
/** Node IDs are hostnames or pod names; anything else is keyed by address. */
const NODE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
export const NODE_HEADER = 'x-superpeer-node';

export type TransferLog = Pick<Logger, 'debug' | 'info' | 'warn'>;
export type ByteDirection = 'upload' | 'download';

export interface TransferServerOptions {
  index: { open(sha256: string): Promise<OpenedFile | undefined> };
  choker: Choker;
  firewalled: boolean;
  ready(): boolean;
  metricsHandler?: () => Promise<{ contentType: string; body: string }>;
  onBytes?(direction: ByteDirection, n: number): void;
  /** A request rejected as malformed (reason is a short stable word). */
  onBadRequest?(reason: string): void;
  onChoked?(): void;
  log: TransferLog;
  /** Serve HTTPS with these (tls.ts httpsServerOptions); plain HTTP without. */
  tls?: TlsOptions;
  /** Under mutual TLS, the name a client certificate must carry for /files (peer-identity.ts). */
  overlayName?: string;
  /** Testing only: GET|POST /admin/faults?block_zones=a,b from loopback (faults.ts); absent = 404. */
  faults?: Faults;
}

export interface TransferServer {
  readonly server: http.Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Serve HTTP on a socket this node opened toward a requester (Push/GIV). */
  servePushed(socket: Socket): void;
  close(): Promise<void>;
}

export function createTransferServer(opts: TransferServerOptions): TransferServer {
  const pushed = new WeakSet<Socket>();
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      opts.log.warn({ err }, 'transfer request failed');
      if (!res.headersSent) text(res, 500, 'internal error');
      else res.destroy();
    });
  };
  const serverOptions = { maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS };
  const server: http.Server = opts.tls ? https.createServer({ ...opts.tls, ...serverOptions }, onRequest) : http.createServer(serverOptions, onRequest);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.setTimeout(SOCKET_IDLE_TIMEOUT_MS, (socket) => socket.destroy());
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    opts.onBadRequest?.(timeout ? 'timeout' : 'parse');
    if (socket.writable && !socket.writableEnded) {
      socket.end(`HTTP/1.1 ${timeout ? '408 Request Timeout' : '400 Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  function bad(res: http.ServerResponse, status: number, reason: string, body: string): void {
    opts.onBadRequest?.(reason);
    text(res, status, body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = (req.url ?? '').split('?')[0];
    if (url === '/admin/faults' && opts.faults) return adminFaults(req, res, opts.faults);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return bad(res, 405, 'method', 'method not allowed');
    }
    if (url === '/healthz') return text(res, 200, 'ok');
    if (url === '/readyz') return opts.ready() ? text(res, 200, 'ready') : text(res, 503, 'not ready');
    if (url === '/metrics') {
      if (!opts.metricsHandler) return text(res, 404, 'no metrics');
      const { contentType, body } = await opts.metricsHandler();
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (!url.startsWith('/files/')) return text(res, 404, 'not found');
    if (opts.tls?.requestCert) {
      const socket = req.socket as TLSSocket;
      if (!socket.authorized) return bad(res, 403, 'certificate', 'a client certificate from the overlay CA is required for /files');
      const problem = peerCertificateProblem(socket.getPeerCertificate(), opts.overlayName ?? DEFAULT_TLS_SERVER_NAME, 'transfer');
      if (problem) return bad(res, 403, 'certificate', `${problem}; /files needs an overlay certificate`);
    }
    const m = FILE_PATH.exec(url);
    if (!m) return bad(res, 400, 'hash', 'expected /files/<64 lowercase hex sha256>');
    if (opts.firewalled && !pushed.has(plainSocket(req.socket))) {
      return text(res, 403, 'firewalled: this node accepts no inbound transfers; use Push');
    }
    const file = await opts.index.open(m[1]);
    if (!file) return text(res, 404, 'not shared here');
    const range = parseRange(req.headers.range, file.size);
    if (range.kind === 'malformed') return bad(res, 400, 'range', 'malformed Range');
    if (range.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${file.size}`);
      return text(res, 416, 'range not satisfiable');
    }
    const start = range.kind === 'range' ? range.start : 0;
    const end = range.kind === 'range' ? range.end : file.size - 1;
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': end - start + 1,
      'Accept-Ranges': 'bytes',
      ETag: `"${file.entry.sha256}"`,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.entry.name)}`,
    };
    if (range.kind === 'range') headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
    const status = range.kind === 'range' ? 206 : 200;
    if (req.method === 'HEAD') {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const peer = peerKey(req);
    const grant = opts.choker.request(peer);
    if (!grant.granted) {
      opts.onChoked?.();
      res.setHeader('Retry-After', String(grant.retryAfterS));
      return text(res, 503, 'choked: no upload slot free');
    }
    res.once('close', grant.release);
    res.writeHead(status, headers);
    if (file.size === 0) {
      res.end();
      return;
    }
    const stream = file.stream(start, end);
    stream.on('data', (chunk: Buffer | string) => opts.onBytes?.('upload', chunk.length));
    stream.once('error', (err) => {
      opts.log.warn({ err, sha256: file.entry.sha256 }, 'read failed during upload');
      res.destroy();
    });
    res.once('close', () => stream.destroy());
    stream.pipe(res);
  }

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    servePushed(socket) {
      pushed.add(socket);
      server.emit('connection', socket);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The fault-injection switch: POST sets the zones cut off (empty heals), GET reads them. */
function adminFaults(req: http.IncomingMessage, res: http.ServerResponse, faults: Faults): void {
  if (!isLoopback(req.socket.remoteAddress)) return text(res, 403, 'fault injection answers loopback callers only');
  if (req.method === 'POST') {
    const zones = new URL(req.url ?? '', 'http://x').searchParams.get('block_zones') ?? '';
    try {
      faults.set(parseZones(zones));
    } catch (err) {
      return text(res, 400, (err as Error).message);
    }
  } else if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET, POST');
    return text(res, 405, 'method not allowed');
  }
  const body = JSON.stringify({ blockZones: faults.list() });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The TCP socket under a TLS one (a pushed socket is wrapped once the server starts TLS on it). */
function plainSocket(socket: Socket): Socket {
  return (socket as Socket & { _parent?: Socket })._parent ?? socket;
}

function peerKey(req: http.IncomingMessage): string {
  const id = req.headers[NODE_HEADER];
  if (typeof id === 'string' && NODE_ID.test(id)) return id; // same key the downloader credits
  return `addr:${req.socket.remoteAddress ?? 'unknown'}`;
}

function text(res: http.ServerResponse, status: number, body: string): void {
  const payload = `${body}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
  res.end(res.req.method === 'HEAD' ? undefined : payload);
}
