// Bad input on the overlay streams: each gets a clear status or an
// in-stream Reject with a stable code, is counted, crashes nothing, and the
// link keeps serving well-formed traffic.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { SuperpeerNode } from '../node.js';
import { loadProto } from '../proto.js';
import { WIRE_VERSION, encodeWirePayload, hexToBytes, peerToWire } from '../codec.js';
import type { LinkMessage, LinkMessage__Output } from '../generated/superpeer/v1/LinkMessage.js';
import type { Descriptor } from '../generated/superpeer/v1/Descriptor.js';
import { metricValue, search, shareDir, startNode, stopAll, until } from './nodes.js';
import { Supernode } from '../../core/supernode.js';

const ID = (n: number) => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');

function query(id: Buffer, criteria: string, ttl = 2, hops = 0): Descriptor {
  const payload = encodeWirePayload('query', { search_criteria: criteria, sha256: '', max_results: 0, origin_zone: 'z' });
  return { header: { descriptor_id: id, payload_type: 'PAYLOAD_TYPE_QUERY', ttl, hops, payload_length: payload.length }, payload };
}

class RawLink {
  readonly messages: LinkMessage__Output[] = [];
  status: grpc.StatusObject | undefined;
  readonly call: grpc.ClientDuplexStream<LinkMessage, LinkMessage__Output>;
  constructor(address: string, secret = '', wireVersion = WIRE_VERSION) {
    const { pkg } = loadProto();
    const client = new pkg.superpeer.v1.Overlay(address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 8 * 1024 * 1024 });
    this.call = client.Link();
    this.call.on('data', (m: LinkMessage__Output) => this.messages.push(m));
    this.call.on('error', () => {});
    this.call.on('status', (s) => (this.status = s));
    this.hello(secret, wireVersion);
  }
  hello(secret: string, wireVersion = WIRE_VERSION): void {
    const me = { nodeId: 'prober', serventId: 'ab'.repeat(16), zone: 'z', grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: false, score: 0, role: 'supernode' as const, leafCapacity: 0 };
    this.call.write({ hello: { node: peerToWire(me), mode: 'supernode', secret, wire_version: wireVersion } });
  }
  send(d: Descriptor): void {
    this.call.write({ descriptor: d });
  }
  async rejectCode(): Promise<string> {
    const start = this.rejects().length;
    await until(() => this.rejects().length > start, 3000, 'reject');
    return this.rejects()[start].code;
  }
  rejects() {
    return this.messages.filter((m) => m.body === 'reject').map((m) => m.reject!);
  }
  close(): void {
    this.call.cancel();
  }
}

describe('hostile input on a Link', () => {
  let sn: SuperpeerNode;
  let secured: SuperpeerNode;
  let leaf: SuperpeerNode;
  before(async () => {
    sn = await startNode({ id: 'target', role: 'supernode', shareDir: await shareDir({ 'honest-answer.txt': 'yes' }) });
    secured = await startNode({ id: 'secured', role: 'supernode', secret: 's3cret' });
    leaf = await startNode({ id: 'a-leaf', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1 });
  });
  after(() => stopAll([sn, secured, leaf]));

  test('malformed descriptors are rejected in-stream with stable codes and counted; the link keeps serving', async () => {
    const link = new RawLink(sn.grpcAddress);
    await until(() => link.messages.some((m) => m.body === 'hello'), 3000, 'hello back');
    const invalidBefore = await metricValue(sn, 'superpeer_descriptors_total', { fate: 'invalid' });

    link.send({ ...query(ID(1), 'honest'), header: { ...query(ID(1), 'honest').header, descriptor_id: Buffer.from([1, 2, 3]) } });
    assert.equal(await link.rejectCode(), 'BAD_DESCRIPTOR_ID');
    link.send(query(ID(2), 'honest', 8));
    assert.equal(await link.rejectCode(), 'TTL_ABOVE_CAP');
    link.send(query(ID(3), 'honest', 255));
    assert.equal(await link.rejectCode(), 'TTL_ABOVE_CAP');
    link.send(query(ID(4), 'honest', 5, 5));
    assert.equal(await link.rejectCode(), 'TTL_ABOVE_CAP');
    // A Query's bytes under a Push header decode as a Push with a bad servent ID.
    link.send({ ...query(ID(5), 'honest'), header: { ...query(ID(5), 'honest').header, payload_type: 'PAYLOAD_TYPE_PUSH' } });
    assert.equal(await link.rejectCode(), 'BAD_FIELD');
    link.send({ ...query(ID(6), 'honest'), header: { ...query(ID(6), 'honest').header, payload_length: 9999 } });
    assert.equal(await link.rejectCode(), 'PAYLOAD_MISMATCH');
    link.send({ header: { descriptor_id: ID(7), payload_type: 'PAYLOAD_TYPE_UNSPECIFIED', ttl: 2, hops: 0, payload_length: 0 } });
    assert.equal(await link.rejectCode(), 'UNKNOWN_PAYLOAD');
    link.send(query(ID(8), ''));
    assert.equal(await link.rejectCode(), 'EMPTY_QUERY');
    link.send(query(ID(9), 'x'.repeat(1000)));
    assert.equal(await link.rejectCode(), 'QUERY_TOO_LONG');
    const hit = encodeWirePayload('query_hit', { servent_id: hexToBytes('cd'.repeat(16)), node_id: 'x', http_address: '', firewalled: true, zone: '', results: [{ sha256: 'a'.repeat(64), name: 'n', size: 1 }], path: ['x'], query_hops: 1 });
    link.send({ header: { descriptor_id: ID(10), payload_type: 'PAYLOAD_TYPE_QUERY_HIT', ttl: 2, hops: 0, payload_length: hit.length }, payload: hit });
    await until(async () => (await metricValue(sn, 'superpeer_descriptors_total', { type: 'query_hit', fate: 'unroutable' })) === 1, 3000, 'unroutable hit counted');

    const invalidAfter = await metricValue(sn, 'superpeer_descriptors_total', { fate: 'invalid' });
    assert.equal(invalidAfter - invalidBefore, 9);

    // The same link still serves a well-formed query: the supernode answers from its index.
    link.send(query(ID(11), 'honest answer'));
    const isHit = (m: LinkMessage__Output) => m.body === 'descriptor' && m.descriptor?.header?.payload_type === 'PAYLOAD_TYPE_QUERY_HIT';
    await until(() => link.messages.some(isHit), 3000, 'query hit');
    const answer = link.messages.find(isHit)!.descriptor!;
    assert.deepEqual(answer.header?.descriptor_id, ID(11), 'a QueryHit carries its Query ID');
    // And a duplicate of it is dropped, not answered twice.
    link.send(query(ID(11), 'honest answer'));
    await until(async () => (await metricValue(sn, 'superpeer_descriptors_total', { type: 'query', fate: 'duplicate' })) >= 1, 3000, 'duplicate');
    link.close();
    assert.equal((await search(leaf, 'honest', { timeoutMs: 500 })).length, 1);
  });

  test('a batch: each descriptor is taken on its own, and answers ready together come back as one batch', async () => {
    const link = new RawLink(sn.grpcAddress);
    await until(() => link.messages.some((m) => m.body === 'hello'), 3000, 'hello back');
    link.call.write({ batch: { descriptors: [query(ID(40), 'honest'), query(ID(41), ''), query(ID(42), 'answer')] } });
    assert.equal(await link.rejectCode(), 'EMPTY_QUERY');
    assert.deepEqual(link.rejects()[0].descriptor_id, ID(41));
    await until(() => link.messages.some((m) => m.body === 'batch'), 3000, 'a batch back');
    const hits = link.messages.filter((m) => m.body === 'batch').flatMap((m) => m.batch!.descriptors);
    assert.deepEqual(hits.map((d) => d.header?.descriptor_id), [ID(40), ID(42)]);
    assert.ok(hits.every((d) => d.header?.payload_type === 'PAYLOAD_TYPE_QUERY_HIT' && d.header.payload_length === d.payload.length));
    link.close();
  });

  test('an oversize message ends that stream with RESOURCE_EXHAUSTED; the node serves on', async () => {
    const link = new RawLink(sn.grpcAddress);
    await until(() => link.messages.some((m) => m.body === 'hello'), 3000, 'hello back');
    link.send(query(ID(20), 'big '.repeat(40_000)));
    await until(() => link.status !== undefined, 3000, 'status');
    assert.equal(link.status!.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal((await search(leaf, 'honest', { timeoutMs: 500 })).length, 1);
  });

  test('a link must start with a hello, to a supernode, with the right secret', async () => {
    const { pkg } = loadProto();
    const noHello = new pkg.superpeer.v1.Overlay(sn.grpcAddress, grpc.credentials.createInsecure()).Link();
    const st = new Promise<grpc.StatusObject>((r) => noHello.on('status', r));
    noHello.on('error', () => {});
    noHello.write({ descriptor: query(ID(30), 'honest') });
    assert.equal((await st).code, grpc.status.INVALID_ARGUMENT);

    const wrong = new RawLink(secured.grpcAddress, 'guess');
    await until(() => wrong.status !== undefined, 3000, 'status');
    assert.equal(wrong.status!.code, grpc.status.UNAUTHENTICATED);
    const right = new RawLink(secured.grpcAddress, 's3cret');
    await until(() => right.messages.some((m) => m.body === 'hello'), 3000, 'admitted');
    right.close();

    const toLeaf = new RawLink(leaf.grpcAddress);
    await until(() => toLeaf.status !== undefined, 3000, 'status');
    assert.equal(toLeaf.status!.code, grpc.status.FAILED_PRECONDITION);
    assert.ok(sn.core instanceof Supernode);
  });

  test('a peer of another wire version is refused with a clear error and counted', async () => {
    const before = await metricValue(sn, 'superpeer_refusals_total', { reason: 'wire_version' });
    // Version 1 peers send no version at all (0).
    for (const version of [0, WIRE_VERSION + 1]) {
      const old = new RawLink(sn.grpcAddress, '', version);
      await until(() => old.status !== undefined, 3000, 'status');
      assert.equal(old.status!.code, grpc.status.FAILED_PRECONDITION);
      assert.match(old.status!.details, /WIRE_VERSION: .*wire version/);
    }
    assert.equal((await metricValue(sn, 'superpeer_refusals_total', { reason: 'wire_version' })) - before, 2);
    // A leaf of another version is refused at its hello as well.
    const { pkg } = loadProto();
    const attach = new pkg.superpeer.v1.Overlay(sn.grpcAddress, grpc.credentials.createInsecure()).Attach();
    const st = new Promise<grpc.StatusObject>((r) => attach.on('status', r));
    attach.on('error', () => {});
    attach.on('data', () => {});
    const me = { nodeId: 'old-leaf', serventId: 'ef'.repeat(16), zone: 'z', grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: false, score: 0, role: 'leaf' as const, leafCapacity: 0 };
    attach.write({ hello: { node: peerToWire(me), secret: '' } });
    assert.equal((await st).code, grpc.status.FAILED_PRECONDITION);
    assert.equal((await metricValue(sn, 'superpeer_refusals_total', { reason: 'wire_version' })) - before, 3);
    assert.equal((await search(leaf, 'honest', { timeoutMs: 500 })).length, 1);
  });
});
