import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { download } from '../download.js';
import { deliverPush, formatGiv, openPushListener, parseGiv, pushConnector } from '../push-transfer.js';
import { bytes, serve, sha256, silent } from './transfer-fixtures.js';

const content = bytes(300 * 1024 + 7, 5);
const hash = sha256(content);

test('GIV line round-trips and rejects junk', () => {
  const giv = { sha256: hash, serventId: 'a'.repeat(32), token: 'b'.repeat(32) };
  assert.deepEqual(parseGiv(formatGiv(giv).trimEnd()), giv);
  assert.equal(parseGiv('GIV 1:abc/x'), undefined);
  assert.equal(parseGiv(`GIV ${hash}:${'a'.repeat(32)}/../../etc`), undefined);
});

test('firewalled source: direct GET refused, Push connect-out delivers, sha verified', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'push-'));
  const fw = await serve('fw', hash, content, { firewalled: true });
  const { port } = fw.server.server.address() as net.AddressInfo;
  const listener = await openPushListener({ host: '127.0.0.1', log: silent });
  try {
    const direct = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: `/files/${hash}`, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(direct, 403);

    let pushes = 0;
    const connect = pushConnector(
      listener,
      async (source, requesterAddress, token) => {
        pushes++;
        // Stands in for the overlay routing a Push descriptor to the servent.
        await deliverPush(
          { kind: 'push', serventId: source.serventId, sha256: hash, requesterAddress, token },
          { serventId: fw.source.serventId, server: fw.server, shares: (h) => h === hash, log: silent },
        );
      },
      hash,
      5_000,
    );
    const out = path.join(dir, 'pushed.bin');
    const report = await download({ sha256: hash, size: content.length, sources: [fw.source], out, connectPush: connect, chunkBytes: 64 * 1024, selfId: 'me', log: silent });
    assert.deepEqual(await readFile(out), content);
    assert.equal(sha256(await readFile(out)), hash);
    assert.equal(report.sources.fw, content.length);
    assert.ok(pushes >= 1);
    assert.ok(pushes < 5, `keep-alive reuses the GIV socket (${pushes} pushes)`);
  } finally {
    await listener.close();
    await fw.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a GIV with a wrong token is dropped; the wait times out', async () => {
  const listener = await openPushListener();
  try {
    const serventId = 'c'.repeat(32);
    const waiting = listener.waitForGiv(serventId, 300);
    const [host, portText] = listener.address.split(':');
    const sock = net.connect(Number(portText), host, () => sock.write(formatGiv({ sha256: hash, serventId, token: 'd'.repeat(32) })));
    const closed = new Promise((r) => sock.on('close', r));
    sock.on('error', () => undefined);
    await closed;
    await assert.rejects(waiting, /no GIV/);
  } finally {
    await listener.close();
  }
});

test('deliverPush refuses content it does not share and bad addresses', async () => {
  const fw = await serve('fw2', hash, content, { firewalled: true });
  try {
    const base = { kind: 'push' as const, serventId: fw.source.serventId, sha256: hash, requesterAddress: '127.0.0.1:9', token: 'e'.repeat(32) };
    const opts = { serventId: fw.source.serventId, server: fw.server, shares: () => false };
    await assert.rejects(deliverPush(base, opts), /not shared/);
    await assert.rejects(deliverPush({ ...base, requesterAddress: 'nonsense' }, { ...opts, shares: () => true }), /bad requester/);
    await assert.rejects(deliverPush({ ...base, serventId: 'f'.repeat(32) }, opts), /another servent/);
  } finally {
    await fw.server.close();
  }
});
