import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileSha256, generateCatalogue, writeShareDir } from '../content.js';
import { ShareIndex } from '../share-index.js';

const opts = { seed: 1234, peers: 40, filesPerPeer: 10, zipfS: 1.0 };

test('same seed, same catalogue; another seed, another one', () => {
  const a = generateCatalogue(opts);
  const b = generateCatalogue(opts);
  assert.deepEqual(a, b);
  const c = generateCatalogue({ ...opts, seed: 99 });
  assert.notDeepEqual(a.files.map((f) => f.name), c.files.map((f) => f.name));
  assert.equal(fileSha256(a.files[0]), fileSha256(b.files[0]));
});

test('names are 2-4 words plus an extension, unique; sizes in bounds', () => {
  const { files, peers } = generateCatalogue(opts);
  assert.equal(new Set(files.map((f) => f.name)).size, files.length);
  for (const f of files) {
    assert.match(f.name, /^[a-z]+(-[a-z]+){1,3}(-\d+)?\.[a-z0-9]+$/);
    assert.ok(f.size >= 4 * 1024 && f.size <= 512 * 1024, `${f.size}`);
  }
  assert.equal(peers.length, 40);
  for (const p of peers) assert.equal(p.length, 10);
});

test('Zipf replication: popular files on several peers, the tail on one', () => {
  const { files, peers } = generateCatalogue(opts);
  const holders = new Map<number, number>();
  for (const p of peers) for (const f of p) holders.set(f.rank, (holders.get(f.rank) ?? 0) + 1);
  assert.ok((holders.get(0) ?? 0) >= 10, `top file on ${holders.get(0)} peers`);
  const top5 = files.slice(0, 5).map((f) => holders.get(f.rank) ?? 0);
  assert.ok(top5.every((n) => n >= 3), `top files replicated: ${top5}`);
  const singles = [...holders.values()].filter((n) => n === 1).length;
  assert.ok(singles >= files.length / 3, `${singles} of ${files.length} files on one peer`);
});

test('writeShareDir writes real bytes whose sha256 the share index agrees with', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'content-'));
  try {
    const { peers } = generateCatalogue({ seed: 7, peers: 3, filesPerPeer: 4, maxBytes: 16 * 1024 });
    const entries = await writeShareDir(dir, peers[0]);
    const index = new ShareIndex(dir);
    await index.refresh();
    const sort = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(sort(index.files()), sort(entries));
    assert.equal(entries[0].sha256, fileSha256(peers[0][0]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
