// Hostile peers, round two: the calls around the descriptor path (Status,
// Topology, RequestPush), identities (servent IDs, link node IDs) and Pong
// discovery, tried against a real local cluster (each node its own process,
// real gRPC on loopback). Each attack is refused or bounded and counted.
import { after, before, describe, test } from 'node:test';
import net from 'node:net';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { LocalCluster, type ClusterNode } from '../cluster/local-cluster.js';
import { WIRE_VERSION, peerToWire } from '../codec.js';
import { loadProto } from '../proto.js';
import type { PeerInfo } from '../../core/peer.js';
import type { ClientHandlers } from '../generated/superpeer/v1/Client.js';
import type { StatusResponse } from '../generated/superpeer/v1/StatusResponse.js';
import type { SupernodeMessage__Output } from '../generated/superpeer/v1/SupernodeMessage.js';
import { fetchTopology } from '../../cli/commands/topology.js';
import { until } from './nodes.js';
import { RawLink, scrape, statusCounter } from './raw-peer.js';
import { fetchStatus } from '../../cli/commands/status.js';

const GHOSTS = 700;

function fakePeer(over: Partial<PeerInfo>): PeerInfo {
  return { nodeId: 'fake', serventId: 'ee'.repeat(16), zone: 'zone-a', grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: true, score: 0, role: 'leaf', leafCapacity: 0, ...over };
}

/** An Attach stream we drive by hand: resolves with the first answer (welcome or redirect) or the call's status. */
function attach(address: string, me: PeerInfo): { first: Promise<SupernodeMessage__Output | grpc.StatusObject>; close(): void } {
  const { pkg } = loadProto();
  const client = new pkg.superpeer.v1.Overlay(address, grpc.credentials.createInsecure());
  const call = client.Attach();
  const first = new Promise<SupernodeMessage__Output | grpc.StatusObject>((resolve) => {
    call.on('data', (m: SupernodeMessage__Output) => resolve(m));
    call.on('status', (s) => resolve(s));
  });
  call.on('error', () => undefined);
  call.write({ hello: { node: peerToWire(me), secret: '', wire_version: WIRE_VERSION } });
  return {
    first,
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

/** A fake node's Client service: Status says whatever `status()` returns, and counts its calls. */
async function fakeStatusServer(status: () => StatusResponse): Promise<{ addresses: string[]; calls: () => number; close(): void }> {
  const { pkg } = loadProto();
  let calls = 0;
  const server = new grpc.Server();
  const unimplemented = (_c: unknown, cb: (e: Partial<grpc.ServiceError>) => void) => cb({ code: grpc.status.UNIMPLEMENTED });
  const handlers = {
    Status(_call, cb) {
      calls++;
      cb(null, status());
    },
    Search: (call) => call.end(),
    Locate: unimplemented,
    RequestPush: unimplemented,
    Topology: (call) => call.end(),
  } satisfies ClientHandlers;
  server.addService(pkg.superpeer.v1.Client.service, handlers);
  const bind = () => new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const ports = [await bind(), await bind()];
  return { addresses: ports.map((p) => `127.0.0.1:${p}`), calls: () => calls, close: () => server.forceShutdown() };
}

function topologyCall(address: string): Promise<grpc.StatusObject> {
  const { pkg } = loadProto();
  const c = new pkg.superpeer.v1.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    const call = c.Topology({ max_nodes: 0 });
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    call.on('status', (s) => {
      c.close();
      resolve(s);
    });
  });
}

describe('hostile peers: control calls and identities', () => {
  let cluster: LocalCluster;
  let target: ClusterNode;

  before(async () => {
    cluster = await LocalCluster.up({ supernodes: 2, peers: 2, firewalled: 1, zones: 1, filesPerPeer: 3, seed: 13, nodesPerProcess: 1, nodeOverrides: { clientStatusRate: 20, clientStatusBurst: 40 } });
    assert.ok(await cluster.waitAttached(30_000), 'overlay formed');
    target = cluster.nodes.get('sn-0')!;
  });
  after(() => cluster?.down());

  test('Topology dials only vouched addresses: a fake leaf pointing at a fake Status server listing 1,400 addresses adds one node', async () => {
    const fake = await fakeStatusServer(() => ({
      node: peerToWire(fakePeer({ nodeId: 'fake-leaf', role: 'supernode' })),
      neighbours: Array.from({ length: GHOSTS }, (_, i) => ({ node_id: `ghost-sn-${i}`, grpc_address: `127.0.0.1:${20_000 + i}`, zone: 'zone-a' })),
      leaves: Array.from({ length: GHOSTS }, (_, i) => ({ node_id: `ghost-leaf-${i}`, grpc_address: `127.0.0.1:${30_000 + i}`, zone: 'zone-a', files: 0, firewalled: false })),
    }));
    // One fake leaf at the fake server; an impostor claims another ID at its second port.
    const leaf = attach(target.grpc, fakePeer({ nodeId: 'fake-leaf', serventId: 'e1'.repeat(16), grpcAddress: fake.addresses[0] }));
    const impostor = attach(target.grpc, fakePeer({ nodeId: 'impostor', serventId: 'e2'.repeat(16), grpcAddress: fake.addresses[1] }));
    const url = attach(target.grpc, fakePeer({ nodeId: 'url-leaf', serventId: 'e3'.repeat(16), grpcAddress: 'http://127.0.0.1:9/x' }));
    try {
      assert.equal(((await leaf.first) as SupernodeMessage__Output).body, 'welcome');
      assert.equal(((await impostor.first) as SupernodeMessage__Output).body, 'welcome');
      const refused = (await url.first) as grpc.StatusObject;
      assert.equal(refused.code, grpc.status.INVALID_ARGUMENT, 'a URL is no host:port');
      assert.match(refused.details, /BAD_ADDRESS/);
      const dialled0 = await statusCounter(target.grpc, 'crawl_dialled');
      const unvouched0 = await scrape(target.http, 'superpeer_refusals_total', { reason: 'crawl_unvouched' });
      let graph;
      for (let i = 0; i < 3; i++) graph = await fetchTopology(target.grpc);
      const ids = graph!.nodes.map((n) => n.id).sort();
      const dialled = (await statusCounter(target.grpc, 'crawl_dialled')) - dialled0;
      console.log(`3 Topology calls: ${dialled} Status dials (${cluster.nodes.size} honest nodes + 2 fake addresses per crawl), fake server asked ${fake.calls()} times`);
      assert.ok(ids.includes('fake-leaf') && !ids.some((id) => id.startsWith('ghost')), ids.join(','));
      assert.ok(!ids.includes('impostor'), 'an answer from another node ID is dropped');
      assert.ok(dialled <= 3 * (cluster.nodes.size + 2), `${dialled} dials`);
      assert.ok((await scrape(target.http, 'superpeer_refusals_total', { reason: 'crawl_unvouched' })) - unvouched0 >= 3, 'the impostor counted');
      assert.ok((await statusCounter(target.grpc, 'dial_clients')) < 20, 'no client cached per crawled address');
    } finally {
      leaf.close();
      impostor.close();
      url.close();
      fake.close();
    }
  });

  test('Topology and Status are rate-limited per caller and counted', async () => {
    const topoRefusals = async () =>
      (await scrape(target.http, 'superpeer_refusals_total', { reason: 'topology_rate' })) + (await scrape(target.http, 'superpeer_refusals_total', { reason: 'topology_concurrency' }));
    const topo0 = await topoRefusals();
    const codes = await Promise.all(Array.from({ length: 10 }, () => topologyCall(target.grpc)));
    const refusedTopo = codes.filter((s) => s.code === grpc.status.RESOURCE_EXHAUSTED).length;
    assert.ok(refusedTopo >= 4, `${refusedTopo} of 10 Topology calls refused`);
    assert.ok(codes.every((s) => s.code === grpc.status.OK || s.code === grpc.status.RESOURCE_EXHAUSTED));
    assert.equal((await topoRefusals()) - topo0, refusedTopo);
    const { pkg } = loadProto();
    const c = new pkg.superpeer.v1.Client(target.grpc, grpc.credentials.createInsecure());
    const status0 = await scrape(target.http, 'superpeer_refusals_total', { reason: 'status_rate' });
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => new Promise<number>((resolve) => c.Status({}, (err) => resolve(err ? err.code : grpc.status.OK)))),
    );
    c.close();
    const refusedStatus = answers.filter((x) => x === grpc.status.RESOURCE_EXHAUSTED).length;
    console.log(`10 Topology calls at once: ${refusedTopo} refused; 300 Status calls at once: ${refusedStatus} refused`);
    // Rate 20/s, burst 40: however slowly a loaded machine serves them, the rest are refused.
    const allowed = 40 + Math.ceil((20 * (Date.now() - started)) / 1000);
    assert.ok(refusedStatus >= 300 - allowed, `${refusedStatus} of 300 Status calls refused (at most ${allowed} allowed)`);
    assert.equal((await scrape(target.http, 'superpeer_refusals_total', { reason: 'status_rate' })) - status0, refusedStatus);
    await until(async () => (await statusCounter(target.grpc, 'table_duplicates').catch(() => -1)) >= 0, 10_000, 'Status answers again');
    // Later tests call Status from the same host: let the bucket refill its burst (40 at 20/s).
    await new Promise((r) => setTimeout(r, 2_500));
  });

  test('servent IDs: a leaf claiming the supernode own ID, or an attached leaf servent ID or node ID, is refused; the holder stays', async () => {
    const st = await fetchStatus(target.grpc);
    const ownSid = st.node!.servent_id;
    const holder = st.leaves[0];
    assert.ok(holder, 'a leaf is attached');
    const holderSid = (await fetchStatus(cluster.nodes.get(holder.node_id)!.grpc)).node!.servent_id;
    const taken0 = await scrape(target.http, 'superpeer_refusals_total', { reason: 'identity_taken' });
    const claims = [
      fakePeer({ nodeId: 'thief-1', serventId: ownSid }),
      fakePeer({ nodeId: target.id, serventId: 'f1'.repeat(16) }),
      fakePeer({ nodeId: 'thief-2', serventId: holderSid }),
      fakePeer({ nodeId: holder.node_id, serventId: 'f2'.repeat(16) }),
    ];
    for (const me of claims) {
      const a = attach(target.grpc, me);
      const answer = await a.first;
      a.close();
      assert.equal((answer as grpc.StatusObject).code, grpc.status.ALREADY_EXISTS, `${me.nodeId} ${me.serventId}: ${JSON.stringify(answer)}`);
      assert.match((answer as grpc.StatusObject).details, /IDENTITY_TAKEN/);
    }
    assert.equal((await scrape(target.http, 'superpeer_refusals_total', { reason: 'identity_taken' })) - taken0, claims.length);
    const after = await fetchStatus(target.grpc);
    assert.ok(after.leaves.some((l) => l.node_id === holder.node_id && l.grpc_address === holder.grpc_address), 'the holder is still attached');
    assert.equal(after.indexed_files, st.indexed_files, 'no file changed hands');
  });

  test('link identity: a reconnect loop claiming the node ID of a neighbour never takes its slot', async () => {
    const victim = cluster.nodes.get('sn-1')!;
    const real = cluster.nodes.get('sn-0')!;
    const taken0 = await scrape(victim.http, 'superpeer_refusals_total', { reason: 'identity_taken' });
    let held = 0;
    const samples = 30;
    for (let i = 0; i < samples; i++) {
      const impostor = new RawLink(victim.grpc, real.id);
      await until(() => impostor.status !== undefined || impostor.messages.length > 0, 10_000, 'answer to the impostor');
      const st = await fetchStatus(victim.grpc);
      if (st.neighbours.some((n) => n.node_id === real.id && n.grpc_address !== real.grpc)) held++;
      impostor.close();
    }
    const refused = (await scrape(victim.http, 'superpeer_refusals_total', { reason: 'identity_taken' })) - taken0;
    console.log(`${samples} impostor links claiming ${real.id}: slot held by the impostor in ${held} samples, ${refused} refused`);
    assert.equal(held, 0);
    assert.equal(refused, samples);
    assert.ok((await fetchStatus(victim.grpc)).neighbours.some((n) => n.node_id === real.id && n.grpc_address === real.grpc), 'the real neighbour keeps its link');
  });

  test('RequestPush: the call-back goes only to the caller, at a bounded rate; counted', async () => {
    const leaf = [...cluster.nodes.values()].find((n) => n.firewalled && n.files.length > 0)!;
    assert.ok(leaf, 'a firewalled leaf');
    const sid = (await fetchStatus(leaf.grpc)).node!.servent_id;
    const sha256 = leaf.files[0].sha256;
    let connections = 0;
    const listener = net.createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as net.AddressInfo).port;
    const { pkg } = loadProto();
    const c = new pkg.superpeer.v1.Client(target.grpc, grpc.credentials.createInsecure());
    const push = (requester: string) =>
      new Promise<grpc.ServiceError | null>((resolve) => c.RequestPush({ servent_id: sid, sha256, requester_address: requester, token: 'a'.repeat(32) }, (err) => resolve(err)));
    try {
      const elsewhere0 = await scrape(target.http, 'superpeer_refusals_total', { reason: 'push_address' });
      const third = await push('127.0.0.2:9');
      assert.equal(third?.code, grpc.status.INVALID_ARGUMENT, 'a third host is refused');
      assert.match(third!.details, /BAD_ADDRESS/);
      assert.equal((await scrape(target.http, 'superpeer_refusals_total', { reason: 'push_address' })) - elsewhere0, 1);
      const rate0 = await scrape(target.http, 'superpeer_refusals_total', { reason: 'push_rate' });
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 50 }, () => push(`127.0.0.1:${port}`)));
      const refused = results.filter((e) => e?.code === grpc.status.RESOURCE_EXHAUSTED).length;
      // Rate 5/s, burst 20 at the supernode, and again at the leaf for one requester host.
      const allowed = 20 + Math.ceil((5 * (Date.now() - started)) / 1000);
      assert.ok(refused >= 50 - allowed, `${refused} of 50 refused (at most ${allowed} allowed)`);
      assert.equal((await scrape(target.http, 'superpeer_refusals_total', { reason: 'push_rate' })) - rate0, refused);
      await until(() => connections > 0, 20_000, 'the leaf calls back');
      await new Promise((r) => setTimeout(r, 1_000));
      console.log(`50 RequestPush calls: ${refused} refused, ${connections} call-backs to the caller`);
      assert.ok(connections <= allowed + 5, `${connections} call-backs`);
    } finally {
      c.close();
      listener.close();
    }
  });
});
