// Test helpers: transfer servers over real loopback sockets serving given bytes.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import pino from 'pino';
import { Choker, type ChokerOptions } from '../../core/choker.js';
import { seededRandom } from '../../core/random.js';
import { createTransferServer, type TransferServer } from '../http-server.js';
import type { OpenedFile } from '../share-index.js';
import type { Source } from '../source-fetch.js';

export const silent = pino({ level: 'silent' });
export const realEnv = { now: () => performance.now(), random: Math.random };

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function bytes(n: number, seed: number): Buffer {
  const r = seededRandom(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** An index that serves `content` under `hash` (which may deliberately not match). */
export function bufferIndex(hash: string, content: Buffer) {
  return {
    async open(sha: string): Promise<OpenedFile | undefined> {
      if (sha !== hash) return undefined;
      return {
        entry: { sha256: hash, name: 'file.bin', size: content.length },
        size: content.length,
        stream: (start, end) => Readable.from([content.subarray(start, end + 1)]),
      };
    },
  };
}

export interface Served {
  server: TransferServer;
  choker: Choker;
  source: Source;
  requests: number;
}

export async function serve(
  id: string,
  hash: string,
  content: Buffer,
  opts: { firewalled?: boolean; choker?: ChokerOptions; onChoked?: () => void } = {},
): Promise<Served> {
  const choker = new Choker(realEnv, opts.choker ?? { slots: 8 });
  const served: Partial<Served> = { requests: 0, choker };
  const server = createTransferServer({
    index: bufferIndex(hash, content),
    choker,
    firewalled: opts.firewalled ?? false,
    ready: () => true,
    onChoked: opts.onChoked,
    log: silent,
  });
  server.server.on('request', () => (served.requests = (served.requests ?? 0) + 1));
  const { port } = await server.listen(0, '127.0.0.1');
  served.server = server;
  served.source = {
    nodeId: id,
    httpAddress: opts.firewalled ? '' : `127.0.0.1:${port}`,
    firewalled: opts.firewalled ?? false,
    serventId: createHash('md5').update(id).digest('hex'),
  };
  return served as Served;
}
