// Lying and dripping download sources over real loopback sockets: a claimed
// size is checked against what the sources say, memory does not follow a
// claimed size, every read is bounded, and a source that lies or drips is
// dropped and named in the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { download } from '../download.js';
import type { Source } from '../source-fetch.js';
import { bytes, serve, sha256, silent } from './transfer-fixtures.js';

const CHUNK = 64 * 1024;
const content = bytes(300 * 1024 + 7, 17);
const hash = sha256(content);
/** Short bounds so a dripping source is caught in seconds, generous enough for a loaded machine. */
const bounds = { baseMs: 3_000, minRateBps: 1024 * 1024 };

/**
 * A hand-written source: `head` answers HEAD with a Content-Length, `range`
 * answers a Range GET, `whole` a GET without Range (each may lie or drip).
 */
async function liar(
  id: string,
  behave: {
    head(): number;
    range?(start: number, end: number, res: http.ServerResponse): void;
    whole?(res: http.ServerResponse): void;
  },
): Promise<{ source: Source; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'Content-Length': String(behave.head()) });
      return res.end();
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (m && behave.range) return behave.range(Number(m[1]), Number(m[2]), res);
    if (!m && behave.whole) return behave.whole(res);
    res.writeHead(404).end();
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    source: { nodeId: id, httpAddress: `127.0.0.1:${port}`, firewalled: false, serventId: createHash('md5').update(id).digest('hex') },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function inDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'download-hostile-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a claimed size of 2^50 or one byte too many: the size comes from the sources, memory stays flat', () =>
  inDir(async (dir) => {
    const honest = await serve('honest', hash, content);
    try {
      const heap0 = process.memoryUsage().heapUsed;
      const r1 = await download({ sha256: hash, size: 2 ** 50, sources: [honest.source], out: path.join(dir, 'a'), chunkBytes: CHUNK, log: silent });
      assert.equal(r1.size, content.length);
      const r2 = await download({ sha256: hash, size: content.length + 1, sources: [honest.source], out: path.join(dir, 'b'), chunkBytes: CHUNK, log: silent });
      assert.equal(r2.size, content.length);
      assert.deepEqual(await readFile(path.join(dir, 'b')), content);
      assert.ok(process.memoryUsage().heapUsed - heap0 < 64 * 1024 * 1024, 'no allocation that follows the claimed size');
    } finally {
      await honest.server.close();
    }
  }));

test('a source whose HEAD claims 2^50 bytes against an honest one is dropped and named; the file arrives', () =>
  inDir(async (dir) => {
    const honest = await serve('honest', hash, content);
    const big = await liar('big', {
      head: () => 2 ** 50,
      range: (start, end, res) => {
        res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${2 ** 50}`, 'Content-Length': String(end - start + 1) });
        res.end(Buffer.alloc(end - start + 1, 7));
      },
    });
    try {
      const r = await download({ sha256: hash, size: 2 ** 50, sources: [big.source, honest.source], out: path.join(dir, 'f'), chunkBytes: CHUNK, fetchBounds: bounds, deadlineMs: 60_000, log: silent });
      assert.deepEqual(await readFile(path.join(dir, 'f')), content);
      assert.equal(r.size, content.length);
      assert.equal(r.sources.big, undefined, 'nothing taken from the liar');
      assert.ok(r.droppedSources.some((d) => d.nodeId === 'big' && /bytes/.test(d.reason)), JSON.stringify(r.droppedSources));
    } finally {
      await Promise.all([honest.server.close(), big.close()]);
    }
  }));

test('a range answered with the wrong Content-Range or too many bytes drops that source at once', () =>
  inDir(async (dir) => {
    const honest = await serve('honest', hash, content);
    const shifty = await liar('shifty', {
      head: () => content.length,
      range: (start, end, res) => {
        res.writeHead(206, { 'Content-Range': `bytes ${start}-${end + 1}/${content.length}` });
        res.end(content.subarray(start, end + 2));
      },
    });
    try {
      const r = await download({ sha256: hash, sources: [shifty.source, honest.source], out: path.join(dir, 'f'), chunkBytes: CHUNK, fetchBounds: bounds, log: silent });
      assert.deepEqual(await readFile(path.join(dir, 'f')), content);
      assert.deepEqual(r.droppedSources.map((d) => d.nodeId), ['shifty']);
      assert.match(r.droppedSources[0].reason, /Content-Range/);
    } finally {
      await Promise.all([honest.server.close(), shifty.close()]);
    }
  }));

test('a source that serves corrupt ranges and drips during repair is named and dropped, not waited on', () =>
  inDir(async (dir) => {
    const good = await serve('good', hash, content);
    const drips: NodeJS.Timeout[] = [];
    const dripper = await liar('dripper', {
      head: () => content.length,
      range: (start, end, res) => {
        const bad = Buffer.from(content.subarray(start, end + 1));
        bad[0] ^= 0xff;
        res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${content.length}`, 'Content-Length': String(bad.length) });
        res.end(bad);
      },
      whole: (res) => {
        res.writeHead(200, { 'Content-Length': String(content.length) });
        let i = 0;
        const t = setInterval(() => res.write(content.subarray(i, ++i)), 100);
        drips.push(t);
        res.on('close', () => clearInterval(t));
      },
    });
    try {
      const started = Date.now();
      // The dripper goes first so it contributes chunks; then the good source joins.
      const r = await download({ sha256: hash, sources: [dripper.source, good.source], out: path.join(dir, 'f'), chunkBytes: CHUNK, fetchBounds: bounds, deadlineMs: 120_000, log: silent });
      assert.deepEqual(await readFile(path.join(dir, 'f')), content);
      assert.ok(r.droppedSources.some((d) => d.nodeId === 'dripper' && /too slow/.test(d.reason)), JSON.stringify(r.droppedSources));
      assert.ok(Date.now() - started < 60_000, 'done long before the deadline');
    } finally {
      drips.forEach(clearInterval);
      await Promise.all([good.server.close(), dripper.close()]);
    }
  }));

test('an existing output is never replaced without overwrite', () =>
  inDir(async (dir) => {
    const honest = await serve('honest', hash, content);
    try {
      const out = path.join(dir, 'notes.txt');
      await import('node:fs/promises').then((fs) => fs.writeFile(out, 'mine'));
      await assert.rejects(download({ sha256: hash, sources: [honest.source], out, log: silent }), /exists/);
      assert.equal(await readFile(out, 'utf8'), 'mine');
      await download({ sha256: hash, sources: [honest.source], out, overwrite: true, log: silent });
      assert.deepEqual(await readFile(out), content);
    } finally {
      await honest.server.close();
    }
  }));
