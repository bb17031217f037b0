import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { download } from '../download.js';
import { bytes, serve, sha256, silent, type Served } from './transfer-fixtures.js';

const CHUNK = 64 * 1024;
const content = bytes(700 * 1024 + 123, 11);
const hash = sha256(content);

async function withServers(fn: (dir: string, servers: Served[]) => Promise<void>, ...make: Array<() => Promise<Served>>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'download-'));
  const servers: Served[] = [];
  try {
    for (const m of make) servers.push(await m());
    await fn(dir, servers);
  } finally {
    await Promise.all(servers.map((s) => s.server.close()));
    await rm(dir, { recursive: true, force: true });
  }
}

const exists = (p: string) => stat(p).then(() => true, () => false);

test('full download from one source, verified, no .part left', () =>
  withServers(
    async (dir, [a]) => {
      const out = path.join(dir, 'file.bin');
      const progress: number[] = [];
      const report = await download({ sha256: hash, sources: [a.source], out, chunkBytes: CHUNK, selfId: 'me', log: silent, onProgress: (d) => progress.push(d) });
      assert.deepEqual(await readFile(out), content);
      assert.equal(await exists(`${out}.part`), false);
      assert.equal(report.size, content.length);
      assert.equal(report.bytes, content.length);
      assert.equal(report.resumedFrom, 0);
      assert.deepEqual(report.corruptSources, []);
      assert.equal(progress.at(-1), content.length);
    },
    () => serve('a', hash, content),
  ));

test('resumes an existing .part with Range', () =>
  withServers(
    async (dir, [a]) => {
      const out = path.join(dir, 'file.bin');
      await writeFile(`${out}.part`, content.subarray(0, 300_000));
      const report = await download({ sha256: hash, size: content.length, sources: [a.source], out, chunkBytes: CHUNK, log: silent });
      assert.equal(report.resumedFrom, 300_000);
      assert.equal(report.bytes, content.length - 300_000);
      assert.deepEqual(await readFile(out), content);
    },
    () => serve('a', hash, content),
  ));

test('a stale .part with wrong bytes is repaired, not trusted', () =>
  withServers(
    async (dir, [a]) => {
      const out = path.join(dir, 'file.bin');
      await writeFile(`${out}.part`, Buffer.alloc(200_000, 7));
      const report = await download({ sha256: hash, size: content.length, sources: [a.source], out, chunkBytes: CHUNK, log: silent });
      assert.equal(report.resumedFrom, 200_000);
      assert.deepEqual(await readFile(out), content);
    },
    () => serve('a', hash, content),
  ));

test('multi-source: chunks really come from both servers', () =>
  withServers(
    async (dir, [a, b]) => {
      const out = path.join(dir, 'file.bin');
      const credited = new Map<string, number>();
      const report = await download({
        sha256: hash,
        size: content.length,
        sources: [a.source, b.source],
        out,
        chunkBytes: CHUNK,
        selfId: 'me',
        log: silent,
        credit: (id, n) => credited.set(id, (credited.get(id) ?? 0) + n),
      });
      assert.deepEqual(await readFile(out), content);
      assert.ok(report.sources.a > 0 && report.sources.b > 0, JSON.stringify(report.sources));
      assert.equal(report.sources.a + report.sources.b, content.length);
      assert.ok(a.requests > 0 && b.requests > 0);
      assert.equal(credited.get('a'), report.sources.a);
    },
    () => serve('a', hash, content),
    () => serve('b', hash, content),
  ));

test('a corrupt source is detected and the file completed from a good one', () => {
  const bad = Buffer.from(content);
  for (let i = 0; i < bad.length; i += 50_000) bad[i] ^= 0xff;
  return withServers(
    async (dir, [good, evil]) => {
      const out = path.join(dir, 'file.bin');
      const report = await download({ sha256: hash, size: content.length, sources: [evil.source, good.source], out, chunkBytes: CHUNK, log: silent });
      assert.deepEqual(await readFile(out), content);
      assert.deepEqual(report.corruptSources, ['evil']);
    },
    () => serve('good', hash, content),
    () => serve('evil', hash, bad),
  );
});

test('a choked (503) source is skipped while another serves; a Retry-After source is retried', () =>
  withServers(
    async (dir, [busy, ok, flaky]) => {
      const out = path.join(dir, 'one.bin');
      const report = await download({ sha256: hash, size: content.length, sources: [busy.source, ok.source], out, chunkBytes: CHUNK, log: silent });
      assert.deepEqual(await readFile(out), content);
      assert.equal(report.sources.busy, undefined);
      assert.ok(busy.requests > 0);
      // Only source: it refuses twice (Retry-After: 0), then serves.
      const out2 = path.join(dir, 'two.bin');
      const r2 = await download({ sha256: hash, size: content.length, sources: [flaky.source], out: out2, chunkBytes: CHUNK, log: silent });
      assert.deepEqual(await readFile(out2), content);
      assert.equal(flaky.choker.chokedTotal, 2);
      assert.equal(r2.sources.flaky, content.length);
    },
    () => serve('busy', hash, content, { choker: { slots: 0, retryAfterS: 0 } }),
    () => serve('ok', hash, content),
    async () => {
      // A hog holds the only slot until the downloader has been refused twice.
      let refusals = 0;
      let release: () => void = () => undefined;
      const s = await serve('flaky', hash, content, { choker: { slots: 1, retryAfterS: 0 }, onChoked: () => ++refusals === 2 && release() });
      const hog = s.choker.request('hog');
      if (hog.granted) release = hog.release;
      return s;
    },
  ));

test('no final file when every source fails or serves corrupt bytes', () => {
  const bad = Buffer.from(content);
  bad[10] ^= 1;
  return withServers(
    async (dir, [evil]) => {
      const out = path.join(dir, 'file.bin');
      await assert.rejects(download({ sha256: hash, size: content.length, sources: [evil.source], out, chunkBytes: CHUNK, log: silent }), /sha256/);
      assert.equal(await exists(out), false);
      assert.equal(await exists(`${out}.part`), false);
      const dead = { nodeId: 'dead', httpAddress: '127.0.0.1:1', firewalled: false, serventId: '0'.repeat(32) };
      await assert.rejects(download({ sha256: hash, size: content.length, sources: [dead], out, chunkBytes: CHUNK, log: silent }), /every source failed/);
      assert.equal(await exists(out), false);
      await assert.rejects(download({ sha256: hash, sources: [], out, log: silent }), /no usable source/);
      await assert.rejects(download({ sha256: 'nothex', sources: [evil.source], out, log: silent }), /not a sha256/);
    },
    () => serve('evil', hash, bad),
  );
});
