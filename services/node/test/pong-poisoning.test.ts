// Pong poisoning, tried as a hostile supernode would: a fake supernode (a
// real gRPC server on loopback) welcomes a leaf and answers its discovery
// Ping with 300 Pongs claiming score 1e308, capacity 2^32-1 and the leaf's
// zone, each naming a listener of ours. The leaf keeps at most 16 of them,
// dials each at most 3 times, and — with an overlay secret — dials none, so
// the secret never reaches them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { SuperpeerNode } from '../node.js';
import type { Leaf } from '../../core/leaf.js';
import { WIRE_VERSION, fromWire, peerToWire, toWire } from '../codec.js';
import { loadProto } from '../proto.js';
import type { LeafMessage__Output } from '../generated/superpeer/v1/LeafMessage.js';
import type { OverlayHandlers } from '../generated/superpeer/v1/Overlay.js';
import { MAX_UNVERIFIED_CANDIDATES, MAX_UNVERIFIED_FAILURES } from '../uplinks.js';
import { metricValue, startNode, stopAll, until } from './nodes.js';

const PONGS = 300;
const SECRET = 'overlay-secret-7f3a';

interface Listener {
  address: string;
  connections: number;
  bytes: Buffer[];
  server: net.Server;
}

async function listeners(n: number): Promise<Listener[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const l: Listener = { address: '', connections: 0, bytes: [], server: net.createServer() };
      l.server.on('connection', (s) => {
        l.connections++;
        s.on('data', (b) => l.bytes.length < 64 && l.bytes.push(b));
        s.on('error', () => undefined);
        setTimeout(() => s.destroy(), 200).unref();
      });
      await new Promise<void>((r) => l.server.listen(0, '127.0.0.1', r));
      l.address = `127.0.0.1:${(l.server.address() as net.AddressInfo).port}`;
      return l;
    }),
  );
}

/** A supernode that welcomes every leaf and answers each Ping with one poisoned Pong per target. */
async function fakeSupernode(targets: string[], zone: string): Promise<{ address: string; close(): void }> {
  const { pkg } = loadProto();
  const server = new grpc.Server();
  const me = { nodeId: 'evil-sn', serventId: 'ee'.repeat(16), zone, grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: false, score: 100, role: 'supernode' as const, leafCapacity: 64 };
  const handlers: OverlayHandlers = {
    Attach(call) {
      call.on('data', (m: LeafMessage__Output) => {
        if (m.body === 'hello') call.write({ welcome: { supernode: peerToWire(me), wire_version: WIRE_VERSION } });
        const descriptors = m.body === 'batch' ? (m.batch?.descriptors ?? []) : m.descriptor ? [m.descriptor] : [];
        for (const d of descriptors) {
          if (d.header?.payload_type !== 'PAYLOAD_TYPE_PING') continue;
          const ping = fromWire(d);
          targets.forEach((address, i) =>
            call.write({
              descriptor: toWire({
                id: ping.id,
                ttl: 1,
                hops: 1,
                payload: { kind: 'pong', serventId: (i + 1).toString(16).padStart(32, '0'), nodeId: `ghost-${i}`, grpcAddress: address, role: 'supernode', zone, filesShared: 0, kbytesShared: 0, leaves: 0, leafCapacity: 2 ** 32 - 1, score: 1e308 },
              }),
            }),
          );
        }
      });
      call.on('error', () => undefined);
    },
    Link: (call) => call.end(),
    Chord: (_call, cb) => cb({ code: grpc.status.UNIMPLEMENTED }),
  };
  server.addService(pkg.superpeer.v1.Overlay.service, handlers);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { address: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
}

describe('Pong poisoning', () => {
  let targets: Listener[];
  const nodes: SuperpeerNode[] = [];
  const fakes: Array<{ close(): void }> = [];
  before(async () => {
    targets = await listeners(PONGS);
  });
  after(async () => {
    await stopAll(nodes);
    for (const f of fakes) f.close();
    for (const t of targets) t.server.close();
  });

  for (const secret of [undefined, SECRET]) {
    test(secret ? 'with a secret: no poisoned address is dialled, the secret goes nowhere' : 'without a secret: at most 16 candidates, each dialled at most 3 times', async () => {
      const fake = await fakeSupernode(targets.map((t) => t.address), 'zone-p');
      fakes.push(fake);
      for (const t of targets) t.connections = 0;
      const leaf = await startNode({ id: secret ? 'leaf-s' : 'leaf-n', role: 'leaf', zone: 'zone-p', seeds: [fake.address], uplinks: 2, secret });
      nodes.push(leaf);
      await until(() => (leaf.core as Leaf).uplinkCount === 1, 10_000, 'attached to the fake supernode');
      const refused0 = await metricValue(leaf, 'superpeer_refusals_total', { reason: 'pong_candidates' });
      leaf.uplinks!.discover();
      await until(async () => (await metricValue(leaf, 'superpeer_refusals_total', { reason: 'pong_candidates' })) > refused0, 10_000, 'pongs refused');
      // The leaf wants a second uplink: give it time to try what it kept (backoff 0.4-5 s per failure).
      await new Promise((r) => setTimeout(r, 8_000));
      const candidates = leaf.uplinks!.candidates();
      const unverified = candidates.filter((k) => !k.verified);
      const dialled = targets.filter((t) => t.connections > 0);
      const connects = targets.reduce((a, t) => a + t.connections, 0);
      const perAddress = Math.max(...targets.map((t) => t.connections));
      console.log(`${PONGS} poisoned Pongs${secret ? ' (secret set)' : ''}: ${unverified.length} kept, ${dialled.length} addresses dialled, ${connects} connects (at most ${perAddress} to one); highest kept score ${Math.max(...unverified.map((k) => k.score))}, capacity ${Math.max(...unverified.map((k) => k.leafCapacity))}`);
      assert.ok(unverified.length <= MAX_UNVERIFIED_CANDIDATES, `${unverified.length} kept`);
      assert.ok(unverified.every((k) => k.score <= 100 && k.leafCapacity <= 64), 'claims clamped to what vouched-for supernodes claim');
      // A failed attach may take the channel two TCP connects; it is closed after the last one.
      assert.ok(perAddress <= 2 * MAX_UNVERIFIED_FAILURES, `${perAddress} connects to one address`);
      assert.ok(dialled.length <= MAX_UNVERIFIED_CANDIDATES, `${dialled.length} addresses dialled`);
      if (secret) {
        assert.equal(connects, 0, 'no hello to an unverified address');
        assert.ok(!Buffer.concat(targets.flatMap((t) => t.bytes)).includes(SECRET));
      }
      await leaf.stop();
    });
  }
});
