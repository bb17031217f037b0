import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ShareIndex } from '../share-index.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'share-index-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('indexes files recursively by sha256, skipping dotfiles, .part and symlinks', () =>
  withDir(async (dir) => {
    await writeFile(path.join(dir, 'a.mp3'), 'alpha');
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub', 'b.ogg'), 'bravo');
    await writeFile(path.join(dir, '.hidden'), 'secret');
    await writeFile(path.join(dir, 'c.mp3.part'), 'partial');
    await symlink('/etc/hostname', path.join(dir, 'link'));
    const index = new ShareIndex(dir);
    const delta = await index.refresh();
    assert.equal(delta.add.length, 2);
    assert.deepEqual(delta.remove, []);
    const files = index.files().sort((x, y) => x.name.localeCompare(y.name));
    assert.deepEqual(files, [
      { sha256: sha('alpha'), name: 'a.mp3', size: 5 },
      { sha256: sha('bravo'), name: 'b.ogg', size: 5 },
    ]);
    const opened = await index.open(sha('bravo'));
    assert.ok(opened);
    const chunks: Buffer[] = [];
    for await (const c of opened.stream(1, 3)) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'rav');
    assert.equal(await index.open(sha('nope')), undefined);
  }));

test('refresh reports add/remove deltas and refuses to serve a changed file', () =>
  withDir(async (dir) => {
    const index = new ShareIndex(dir);
    await writeFile(path.join(dir, 'one'), 'one');
    await index.refresh();
    await writeFile(path.join(dir, 'two'), 'two');
    await rm(path.join(dir, 'one'));
    const delta = await index.refresh();
    assert.deepEqual(delta.add.map((f) => f.name), ['two']);
    assert.deepEqual(delta.remove, [sha('one')]);
    // Modified in place: stale hash must not be served.
    await writeFile(path.join(dir, 'two'), 'TWO!!');
    assert.equal(await index.open(sha('two')), undefined);
    const d2 = await index.refresh();
    assert.deepEqual(d2.remove, [sha('two')]);
    assert.equal(d2.add[0].sha256, sha(await readFile(path.join(dir, 'two'))));
    // Unchanged rescan: empty delta.
    assert.deepEqual(await index.refresh(), { add: [], remove: [] });
  }));

test('a missing share directory is an empty share', async () => {
  const index = new ShareIndex(path.join(tmpdir(), 'does-not-exist-superpeer'));
  assert.deepEqual(await index.refresh(), { add: [], remove: [] });
  assert.equal(index.size, 0);
});
