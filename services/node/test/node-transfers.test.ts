// Downloads between real nodes: multi-source, resumed, ranged, from a
// firewalled leaf through a Push routed over the supernodes, with a corrupt
// source detected; choking and hostile paths on a real node's HTTP server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat, utimes, writeFile, mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SuperpeerNode } from '../node.js';
import { Supernode } from '../../core/supernode.js';
import { Leaf } from '../../core/leaf.js';
import { runGet } from '../../cli/commands/get.js';
import { shareDir, startNode, stopAll, until } from './nodes.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const big = randomBytes(1_200_000);
const unique = randomBytes(300_000);
const twice = randomBytes(3_000_000);
const FIXED_TIME_S = 1_700_000_000;

describe('downloads between real nodes', () => {
  const nodes: SuperpeerNode[] = [];
  let searcher: SuperpeerNode;
  let bad: SuperpeerNode;
  let work: string;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'superpeer-dl-'));
    const s1 = await startNode({ id: 's1', role: 'supernode' });
    const s2 = await startNode({ id: 's2', role: 'supernode', seeds: [s1.grpcAddress] });
    const leaf = (id: string, files: Record<string, Buffer>, extra = {}) =>
      shareDir(files).then((dir) => startNode({ id, role: 'leaf', seeds: [s2.grpcAddress], uplinks: 1, shareDir: dir, ...extra }));
    const src1 = await leaf('src1', { 'big-ocean-film.mkv': big });
    const src2 = await leaf('src2', { 'big-ocean-film.mkv': big });
    const fw = await leaf('fw', { 'secret-garden-tape.ogg': unique }, { firewalled: true });
    const good = await leaf('good', { 'twice-told-tale.pdf': twice });
    // A whole-second mtime survives utimes exactly, so the corruption below goes unnoticed by the share index.
    const badDir = await shareDir({ 'twice-told-tale.pdf': twice });
    await utimes(path.join(badDir, 'twice-told-tale.pdf'), FIXED_TIME_S, FIXED_TIME_S);
    bad = await startNode({ id: 'bad', role: 'leaf', seeds: [s2.grpcAddress], uplinks: 1, shareDir: badDir });
    searcher = await startNode({ id: 'searcher', role: 'leaf', seeds: [s1.grpcAddress], uplinks: 1 });
    nodes.push(s1, s2, src1, src2, fw, good, bad, searcher);
    await until(() => (s1.core as Supernode).neighbourList().length === 1 && (searcher.core as Leaf).uplinkCount === 1, 5000, 'links');
    // Five share lists indexed; a leaf may have moved to s1 to balance load, so count both.
    await until(() => (s1.core as Supernode).index.size + (s2.core as Supernode).index.size === 5, 60_000, 'index');
  });
  after(() => stopAll(nodes));

  test('multi-source: chunks come from both sources and the sha256 checks', async () => {
    const out = path.join(work, 'big.mkv');
    const report = await runGet(sha(big), { target: searcher.grpcAddress, out, timeoutMs: 30_000, pushHost: '127.0.0.1' });
    assert.equal(sha(await readFile(out)), sha(big));
    assert.deepEqual(Object.keys(report.sources).sort(), ['src1', 'src2']);
    assert.ok(Object.values(report.sources).every((b) => b > 0));
  });

  test('resumes a partial file with a Range request', async () => {
    const out = path.join(work, 'resumed.mkv');
    await writeFile(`${out}.part`, big.subarray(0, 500_000));
    const report = await runGet(sha(big), { target: searcher.grpcAddress, out, timeoutMs: 30_000, pushHost: '127.0.0.1' });
    assert.equal(report.resumedFrom, 500_000);
    assert.equal(report.bytes, big.length - 500_000);
    assert.equal(sha(await readFile(out)), sha(big));
  });

  test('from a firewalled leaf through a Push routed over the supernodes', async () => {
    const out = path.join(work, 'secret.ogg');
    const report = await runGet(sha(unique), { target: searcher.grpcAddress, out, timeoutMs: 30_000, pushHost: '127.0.0.1' });
    assert.deepEqual(Object.keys(report.sources), ['fw']);
    assert.equal(sha(await readFile(out)), sha(unique));
  });

  test('a corrupted source is detected and another source used', async () => {
    const file = path.join(bad.config.shareDir!, 'twice-told-tale.pdf');
    const corrupt = Buffer.from(twice);
    for (let i = 0; i < corrupt.length; i += 4096) corrupt[i] ^= 0xff;
    await writeFile(file, corrupt);
    await utimes(file, FIXED_TIME_S, FIXED_TIME_S);
    assert.equal((await stat(file)).mtimeMs, FIXED_TIME_S * 1000);
    const out = path.join(work, 'tale.pdf');
    const report = await runGet(sha(twice), { target: searcher.grpcAddress, out, timeoutMs: 30_000, pushHost: '127.0.0.1' });
    assert.equal(sha(await readFile(out)), sha(twice));
    assert.ok(report.corruptSources.includes('bad'), JSON.stringify(report));
  });
});

describe("a real node's HTTP server", () => {
  let node: SuperpeerNode;
  const file = randomBytes(4 * 1024 * 1024);
  before(async () => {
    node = await startNode({ id: 'uploader', role: 'supernode', uploadSlots: 1, shareDir: await shareDir({ 'large-file.bin': file }) });
  });
  after(() => node.stop());

  const get = (p: string, headers: Record<string, string> = {}) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const [host, port] = node.httpAddress.split(':');
      http.get({ host, port: Number(port), path: p, headers, agent: false }, resolve).on('error', reject);
    });

  test('serves a Range with 206 and rejects a bad one with 416', async () => {
    const ok = await get(`/files/${sha(file)}`, { range: 'bytes=10-19' });
    assert.equal(ok.statusCode, 206);
    const body: Buffer[] = [];
    for await (const c of ok) body.push(c as Buffer);
    assert.deepEqual(Buffer.concat(body), file.subarray(10, 20));
    const bad = await get(`/files/${sha(file)}`, { range: `bytes=${file.length + 10}-` });
    assert.equal(bad.statusCode, 416);
    bad.resume();
  });

  test('with more concurrent requests than slots, the surplus gets 503 + Retry-After', async () => {
    const held = await get(`/files/${sha(file)}`, { 'x-superpeer-node': 'first' });
    assert.equal(held.statusCode, 200);
    held.pause(); // keeps its slot busy
    const surplus = await get(`/files/${sha(file)}`, { 'x-superpeer-node': 'second' });
    assert.equal(surplus.statusCode, 503);
    assert.ok(Number(surplus.headers['retry-after']) >= 1);
    surplus.resume();
    held.destroy();
  });

  test('path traversal and malformed hashes get 400, unknown hashes 404', async () => {
    const raw = (line: string) =>
      new Promise<string>((resolve) => {
        const [host, port] = node.httpAddress.split(':');
        const s = net.connect(Number(port), host, () => s.end(`GET ${line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        let data = '';
        s.on('data', (d) => (data += d));
        s.on('close', () => resolve(data.split('\r\n')[0]));
      });
    assert.match(await raw('/files/../../etc/passwd'), / 400 /);
    assert.match(await raw('/files/%2e%2e%2fetc%2fpasswd'), / 400 /);
    assert.match(await raw(`/files/${sha(file).toUpperCase()}`), / 400 /);
    assert.match(await raw(`/files/${'0'.repeat(64)}`), / 404 /);
  });
});
