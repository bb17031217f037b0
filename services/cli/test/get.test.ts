import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProto } from '../../node/proto.js';
import type { ClientHandlers } from '../../node/generated/superpeer/v1/Client.js';
import { deliverPush } from '../../node/push-transfer.js';
import { runGet } from '../commands/get.js';
import { bytes, serve, sha256, silent } from '../../node/test/transfer-fixtures.js';

const content = bytes(600 * 1024, 3);
const hash = sha256(content);

test('get: Locate through a node, download from a direct and a firewalled (Push) source', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'get-'));
  const direct = await serve('direct', hash, content);
  const fw = await serve('fw', hash, content, { firewalled: true });
  let pushes = 0;
  const handlers: Partial<ClientHandlers> = {
    Locate(_call, cb) {
      cb(null, {
        sources: [direct, fw].map((s) => ({
          name: '../../evil/blue-river-sonata.mp3',
          size: content.length,
          sha256: hash,
          node_id: s.source.nodeId,
          http_address: s.source.httpAddress,
          firewalled: s.source.firewalled,
          servent_id: s.source.serventId,
        })),
      });
    },
    RequestPush(call, cb) {
      pushes++;
      const r = call.request;
      deliverPush(
        { kind: 'push', serventId: r.servent_id, sha256: r.sha256, requesterAddress: r.requester_address, token: r.token },
        { serventId: fw.source.serventId, server: fw.server, shares: (h) => h === hash, log: silent },
      ).then(() => cb(null, { routed: true }), (err: Error) => cb({ code: grpc.status.FAILED_PRECONDITION, details: err.message }));
    },
  };
  const server = new grpc.Server();
  server.addService(loadProto().pkg.superpeer.v1.Client.service, handlers as ClientHandlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    const report = await runGet(hash, { target: `127.0.0.1:${port}`, timeoutMs: 20_000, json: true, pushHost: '127.0.0.1' });
    assert.equal(report.out, 'blue-river-sonata.mp3', 'peer-supplied name reduced to its last part');
    assert.deepEqual(await readFile(path.join(dir, 'blue-river-sonata.mp3')), content);
    assert.ok(report.sources.direct > 0 && report.sources.fw > 0, JSON.stringify(report.sources));
    assert.ok(pushes >= 1);
    await assert.rejects(runGet('0'.repeat(64), { target: '127.0.0.1:1', timeoutMs: 2_000, pushHost: '127.0.0.1' }), /cannot reach|failed/);
  } finally {
    process.chdir(cwd);
    server.forceShutdown();
    await direct.server.close();
    await fw.server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
