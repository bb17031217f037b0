// `superpeer get` against lying Locate answers: names reduced to a plain
// file name, an existing file never clobbered without --force, the size the
// sources agree on rather than the first hit's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProto } from '../../node/proto.js';
import type { ClientHandlers } from '../../node/generated/superpeer/v1/Client.js';
import { agreedHits, runGet, safeName } from '../commands/get.js';
import { bytes, serve, sha256 } from '../../node/test/transfer-fixtures.js';

const content = bytes(200 * 1024, 9);
const hash = sha256(content);

test('safeName: last path part, no control characters, never . or .., at most 255 bytes', () => {
  assert.equal(safeName('../../notes.txt', 'h'), 'notes.txt');
  assert.equal(safeName('..\\..\\win.ini', 'h'), 'win.ini');
  assert.equal(safeName('a\u0000b\nc.txt', 'h'), 'abc.txt');
  assert.equal(safeName('..', 'h'), 'h');
  assert.equal(safeName('dir/', 'h'), 'dir');
  assert.equal(Buffer.byteLength(safeName('é'.repeat(300), 'h')), 254);
});

test('agreedHits: the size and name most sources give, not the first hit', () => {
  const hit = (node: string, size: number, name: string) => ({ node_id: node, size, name, sha256: hash, http_address: '127.0.0.1:1', firewalled: false, servent_id: '00'.repeat(16), zone: '', hops: 1, path: [] });
  const r = agreedHits([hit('liar', 2 ** 50, 'evil'), hit('a', 10, 'good.bin'), hit('b', 10, 'good.bin'), hit('a', 11, 'dup')] as never, hash);
  assert.equal(r.size, 10);
  assert.equal(r.name, 'good.bin');
  assert.deepEqual(r.sources.map((s) => s.nodeId), ['liar', 'a', 'b']);
});

test('get: a peer-named ../../notes.txt never clobbers ./notes.txt without --force', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'get-names-'));
  const source = await serve('src', hash, content);
  const handlers: Partial<ClientHandlers> = {
    Locate(_call, cb) {
      cb(null, { sources: [{ name: '../../notes.txt', size: content.length + 1, sha256: hash, node_id: 'src', http_address: source.source.httpAddress, firewalled: false, servent_id: '00'.repeat(16) }] });
    },
  };
  const server = new grpc.Server();
  server.addService(loadProto().pkg.superpeer.v1.Client.service, handlers as ClientHandlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    await writeFile('notes.txt', 'my notes');
    const flags = { target: `127.0.0.1:${port}`, timeoutMs: 20_000, json: true, pushHost: '127.0.0.1' };
    await assert.rejects(runGet(hash, flags), /notes\.txt exists; pass --force/);
    assert.equal(await readFile('notes.txt', 'utf8'), 'my notes');
    const report = await runGet(hash, { ...flags, force: true });
    assert.equal(report.out, 'notes.txt');
    assert.equal(report.size, content.length, 'the size the source serves, not the claimed one byte more');
    assert.deepEqual(await readFile('notes.txt'), content);
  } finally {
    process.chdir(cwd);
    server.forceShutdown();
    await source.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
