import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Choker } from '../../core/choker.js';
import { ShareIndex, type OpenedFile } from '../share-index.js';
import { createTransferServer, type TransferServer } from '../http-server.js';

const log = pino({ level: 'silent' });
const realEnv = { now: () => performance.now(), random: Math.random };
const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
const sha = createHash('sha256').update(content).digest('hex');

let dir: string;
let index: ShareIndex;
let srv: TransferServer;
let port: number;
let ready = true;
const bad: string[] = [];
const uploaded: number[] = [];

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'http-server-'));
  await writeFile(path.join(dir, 'song.mp3'), content);
  index = new ShareIndex(dir);
  await index.refresh();
  srv = createTransferServer({
    index,
    choker: new Choker(realEnv, { slots: 4 }),
    firewalled: false,
    ready: () => ready,
    metricsHandler: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'superpeer_up 1\n' }),
    onBytes: (_d, n) => uploaded.push(n),
    onBadRequest: (r) => bad.push(r),
    log,
  });
  port = (await srv.listen(0, '127.0.0.1')).port;
});

after(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(p: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET', at = port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: at, path: p, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw bytes over a socket so no client normalises the path. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(request));
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    sock.on('error', reject);
    sock.setTimeout(5_000, () => sock.destroy(new Error('raw request timed out')));
  });
}

test('full GET and HEAD', async () => {
  const r = await get(`/files/${sha}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, content);
  assert.equal(r.headers['accept-ranges'], 'bytes');
  assert.equal(r.headers.etag, `"${sha}"`);
  assert.ok(uploaded.reduce((a, b) => a + b, 0) >= content.length);
  const h = await get(`/files/${sha}`, {}, 'HEAD');
  assert.equal(h.status, 200);
  assert.equal(h.headers['content-length'], String(content.length));
  assert.equal(h.body.length, 0);
});

test('Range forms: a-b, a-, -n, clamped end', async () => {
  const cases: Array<[string, number, number]> = [
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, content.length - 1],
    ['bytes=-5', content.length - 5, content.length - 1],
    ['bytes=30-999', 30, content.length - 1],
    ['bytes=-999', 0, content.length - 1],
  ];
  for (const [range, start, end] of cases) {
    const r = await get(`/files/${sha}`, { Range: range });
    assert.equal(r.status, 206, range);
    assert.equal(r.headers['content-range'], `bytes ${start}-${end}/${content.length}`);
    assert.deepEqual(r.body, content.subarray(start, end + 1));
  }
  // Multi-range is ignored: whole file.
  const multi = await get(`/files/${sha}`, { Range: 'bytes=0-1,4-5' });
  assert.equal(multi.status, 200);
  assert.equal(multi.body.length, content.length);
});

test('416 for unsatisfiable ranges, 400 for malformed ones', async () => {
  for (const range of ['bytes=36-', 'bytes=100-200', 'bytes=-0']) {
    const r = await get(`/files/${sha}`, { Range: range });
    assert.equal(r.status, 416, range);
    assert.equal(r.headers['content-range'], `bytes */${content.length}`);
  }
  for (const range of ['bytes=5-2', 'bytes=-', 'items=0-1', 'bytes=a-b', 'bytes=1-2-3', 'bytes=9999999999999999-']) {
    const r = await get(`/files/${sha}`, { Range: range });
    assert.equal(r.status, 400, range);
  }
});

test('malformed hashes and traversal attempts get 400; unknown hash 404', async () => {
  const before = bad.length;
  for (const p of [
    '/files/abc',
    `/files/${sha.toUpperCase()}`,
    `/files/${sha}0`,
    `/files/${sha}/`,
    '/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/files/..%2F..%2Fetc%2Fpasswd',
  ]) {
    const r = await get(p);
    assert.equal(r.status, 400, p);
  }
  const rawReply = await raw('GET /files/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(rawReply, /^HTTP\/1\.1 400 /);
  assert.doesNotMatch(rawReply, /root:/);
  assert.ok(bad.length >= before + 7);
  assert.equal((await get(`/files/${'0'.repeat(64)}`)).status, 404);
  assert.equal((await get('/etc/passwd')).status, 404);
  assert.equal((await get('/')).status, 404);
});

test('garbage on the socket gets 400 and the server survives', async () => {
  const reply = await raw('\x00\x01GARBAGE\r\n\r\n');
  assert.match(reply, /^HTTP\/1\.1 400 /);
  const huge = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match(huge, /^HTTP\/1\.1 4\d\d /);
  assert.equal((await get('/healthz')).status, 200);
});

test('healthz, readyz, metrics, 405', async () => {
  assert.equal((await get('/healthz')).status, 200);
  ready = false;
  assert.equal((await get('/readyz')).status, 503);
  ready = true;
  assert.equal((await get('/readyz')).status, 200);
  const m = await get('/metrics');
  assert.equal(m.status, 200);
  assert.match(m.body.toString(), /superpeer_up 1/);
  const p = await get(`/files/${sha}`, {}, 'POST');
  assert.equal(p.status, 405);
  assert.equal(p.headers.allow, 'GET, HEAD');
  assert.equal((await get('/healthz', {}, 'DELETE')).status, 405);
});

test('firewalled node answers 403 on /files but still serves probes', async () => {
  const fw = createTransferServer({ index, choker: new Choker(realEnv), firewalled: true, ready: () => true, log });
  const fwPort = (await fw.listen(0, '127.0.0.1')).port;
  try {
    assert.equal((await get(`/files/${sha}`, {}, 'GET', fwPort)).status, 403);
    assert.equal((await get('/healthz', {}, 'GET', fwPort)).status, 200);
  } finally {
    await fw.close();
  }
});

test('more concurrent requests than slots: 503 with Retry-After, slot freed on close', async () => {
  const held: PassThrough[] = [];
  const stub = {
    async open(): Promise<OpenedFile> {
      return {
        entry: { sha256: sha, name: 'slow.bin', size: 1_000 },
        size: 1_000,
        stream: () => {
          const s = new PassThrough();
          held.push(s);
          s.write(Buffer.alloc(10));
          return s;
        },
      };
    },
  };
  let choked = 0;
  const choker = new Choker(realEnv, { slots: 1, retryAfterS: 7 });
  const s = createTransferServer({ index: stub, choker, firewalled: false, ready: () => true, onChoked: () => choked++, log });
  const sPort = (await s.listen(0, '127.0.0.1')).port;
  try {
    const first = await new Promise<http.ClientRequest>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: sPort, path: `/files/${sha}`, agent: false, headers: { 'X-Superpeer-Node': 'alice' } }, (res) => {
        assert.equal(res.statusCode, 200);
        resolve(req);
      });
      req.on('error', () => undefined);
      req.once('error', reject);
      req.end();
    });
    const second = await get(`/files/${sha}`, { 'X-Superpeer-Node': 'bob' }, 'GET', sPort);
    assert.equal(second.status, 503);
    assert.equal(second.headers['retry-after'], '7');
    assert.equal(choked, 1);
    assert.equal(choker.inUse, 1);
    first.destroy();
    const deadline = Date.now() + 5_000;
    while (choker.inUse > 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.equal(choker.inUse, 0);
    held.forEach((h) => h.end(Buffer.alloc(990)));
  } finally {
    held.forEach((h) => h.destroy());
    await s.close();
  }
});
