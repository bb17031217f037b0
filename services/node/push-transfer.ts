// Gnutella Push for a firewalled source, delivered over HTTP.
//
// Requester: openPushListener() listens, then asks the overlay to route a Push
// {serventId, sha256, requesterAddress, token} to the firewalled servent.
// Servent: deliverPush() connects OUT to requesterAddress, writes
//   GIV <sha256>:<serventIdHex>/<token>\n\n
// and then serves HTTP on that same socket through its transfer server, so
// the choker and range code apply as for any upload. The requester matches
// the GIV to its waiting download and sends its GETs on that socket.
// With TLS on, the GIV line stays plain (it only names the transfer) and the
// socket then carries TLS: the servent is the server, as for any upload, so
// its transfer server verifies the requester's certificate (mutual TLS) and
// the requester verifies the overlay name in the servent's.

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { Push } from '../core/descriptor.js';
import type { TransferLog, TransferServer } from './http-server.js';
import { parseAddress, type PushConnect, type Source } from './source-fetch.js';

/** A GIV line is ~120 bytes; anything longer is not a GIV. */
export const GIV_MAX_BYTES = 512;
/** An accepted connection must say GIV within this. */
export const GIV_READ_TIMEOUT_MS = 10_000;
/** How long a requester waits for the servent to call back after a Push. */
export const PUSH_WAIT_MS = 15_000;
/** Connect-out bound on the servent side. */
export const PUSH_CONNECT_TIMEOUT_MS = 10_000;

const GIV = /^GIV ([0-9a-f]{64}):([0-9a-f]{32})\/([0-9a-f]{32})$/;

export interface Giv {
  sha256: string;
  serventId: string;
  token: string;
}

export function formatGiv(giv: Giv): string {
  return `GIV ${giv.sha256}:${giv.serventId}/${giv.token}\n\n`;
}

export function parseGiv(line: string): Giv | undefined {
  const m = GIV.exec(line);
  return m ? { sha256: m[1], serventId: m[2], token: m[3] } : undefined;
}

export interface PushListener {
  /** host:port to put in the Push as requesterAddress. */
  readonly address: string;
  readonly token: string;
  /** TLS client options (tls.ts httpsClientOptions) when the overlay runs TLS: GIV sockets are upgraded. */
  readonly tls?: tls.ConnectionOptions;
  /** The socket of the next GIV from `serventId` (optionally for `sha256`). */
  waitForGiv(serventId: string, timeoutMs?: number, sha256?: string): Promise<net.Socket>;
  close(): Promise<void>;
}

interface Waiter {
  sha256: string | undefined;
  resolve(socket: net.Socket): void;
}

export async function openPushListener(opts: { host?: string; port?: number; advertiseHost?: string; log?: TransferLog; tls?: tls.ConnectionOptions } = {}): Promise<PushListener> {
  const host = opts.host ?? '127.0.0.1';
  const token = randomBytes(16).toString('hex');
  const waiters = new Map<string, Waiter[]>();
  const server = net.createServer((socket) => {
    readGiv(socket).then(
      (giv) => {
        const queue = waiters.get(giv?.serventId ?? '') ?? [];
        const i = queue.findIndex((w) => w.sha256 === undefined || w.sha256 === giv?.sha256);
        if (!giv || giv.token !== token || i < 0) {
          opts.log?.warn({ giv }, 'unexpected GIV dropped');
          socket.destroy();
          return;
        }
        const [waiter] = queue.splice(i, 1);
        waiter.resolve(socket);
      },
      () => socket.destroy(),
    );
  });
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  const advertised = opts.advertiseHost ?? host;
  return {
    address: `${advertised.includes(':') ? `[${advertised}]` : advertised}:${port}`,
    token,
    tls: opts.tls,
    waitForGiv(serventId, timeoutMs = PUSH_WAIT_MS, sha256) {
      return new Promise((resolve, reject) => {
        const queue = waiters.get(serventId) ?? [];
        waiters.set(serventId, queue);
        const waiter: Waiter = {
          sha256,
          resolve: (socket) => {
            clearTimeout(timer);
            resolve(socket);
          },
        };
        const timer = setTimeout(() => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(new Error(`no GIV from servent ${serventId} within ${timeoutMs} ms`));
        }, timeoutMs);
        queue.push(waiter);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** Read `GIV ...\n\n`; leaves the socket paused with any extra bytes unshifted. */
function readGiv(socket: net.Socket): Promise<Giv | undefined> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error('GIV timeout')), GIV_READ_TIMEOUT_MS);
    const finish = (err: Error | null, giv?: Giv) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', finish);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(giv);
    };
    const onClose = () => finish(new Error('closed before GIV'));
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\n\n');
      if (end < 0) {
        if (buf.length > GIV_MAX_BYTES) finish(new Error('GIV too long'));
        return;
      }
      socket.pause();
      const rest = buf.subarray(end + 2);
      if (rest.length > 0) socket.unshift(rest);
      finish(null, parseGiv(buf.subarray(0, end).toString('latin1')));
    };
    socket.on('data', onData);
    socket.once('error', finish);
    socket.once('close', onClose);
  });
}

/**
 * Requester side: a PushConnect for download(). `requestPush` asks the
 * overlay (Client.RequestPush on a node) to route the Push; the returned
 * socket is the servent's call-back, ready for HTTP.
 */
export function pushConnector(listener: PushListener, requestPush: (source: Source, requesterAddress: string, token: string) => Promise<void>, sha256: string, timeoutMs = PUSH_WAIT_MS): PushConnect {
  return async (source) => {
    const giv = listener.waitForGiv(source.serventId, timeoutMs, sha256);
    giv.catch(() => undefined);
    await requestPush(source, listener.address, listener.token);
    const socket = await giv;
    if (listener.tls) return upgrade(socket, listener.tls);
    // The HTTP client attaches its own reader; the servent sends nothing before our request.
    socket.resume();
    return socket;
  };
}

/** TLS client handshake on a GIV socket; the servent answers as a TLS server. */
function upgrade(socket: net.Socket, options: tls.ConnectionOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ ...options, socket });
    const timer = setTimeout(() => secure.destroy(new Error('TLS handshake on the GIV socket timed out')), GIV_READ_TIMEOUT_MS);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.off('error', onError);
      resolve(secure);
    });
    const onError = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    secure.once('error', onError);
    socket.resume();
  });
}

/**
 * Servent side: answer a Push by connecting out, saying GIV, and serving
 * HTTP on the socket. Only for content we share; only to a host:port.
 */
export async function deliverPush(push: Push, opts: { serventId: string; server: TransferServer; shares(sha256: string): boolean; log?: TransferLog }): Promise<void> {
  if (push.serventId !== opts.serventId) throw new Error('push is for another servent');
  if (!/^[0-9a-f]{64}$/.test(push.sha256) || !opts.shares(push.sha256)) throw new Error('push for content not shared here');
  if (!/^[0-9a-f]{32}$/.test(push.token)) throw new Error('bad push token');
  const target = parseAddress(push.requesterAddress);
  if (!target) throw new Error(`bad requester address ${JSON.stringify(push.requesterAddress)}`);
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: target.host, port: target.port, timeout: PUSH_CONNECT_TIMEOUT_MS });
    s.once('connect', () => {
      s.setTimeout(0);
      s.off('error', reject);
      resolve(s);
    });
    s.once('timeout', () => s.destroy(new Error('push connect timeout')));
    s.once('error', reject);
  });
  socket.write(formatGiv({ sha256: push.sha256, serventId: opts.serventId, token: push.token }));
  opts.log?.debug({ to: push.requesterAddress, sha256: push.sha256 }, 'push delivered, serving on the GIV socket');
  opts.server.servePushed(socket);
}
