// A hostile peer's tools: a Link or Attach stream we drive by hand, a raw
// gRPC call that sends arbitrary bytes, and /metrics and Status readers for
// nodes in other processes.
import * as grpc from '@grpc/grpc-js';
import { WIRE_VERSION, encodeWirePayload, hexToBytes, peerToWire } from '../codec.js';
import type { Descriptor } from '../generated/superpeer/v1/Descriptor.js';
import type { LinkMessage, LinkMessage__Output } from '../generated/superpeer/v1/LinkMessage.js';
import { loadProto } from '../proto.js';
import { until } from './nodes.js';

export const ID = (n: number) => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');

export function query(id: Buffer, criteria: string, ttl = 2, hops = 0): Descriptor {
  const payload = encodeWirePayload('query', { search_criteria: criteria, sha256: '', max_results: 0, origin_zone: 'z' });
  return { header: { descriptor_id: id, payload_type: 'PAYLOAD_TYPE_QUERY', ttl, hops, payload_length: payload.length }, payload };
}

export function queryHit(id: Buffer): Descriptor {
  const payload = encodeWirePayload('query_hit', { servent_id: hexToBytes('cd'.repeat(16)), node_id: 'forger', http_address: '127.0.0.1:9', firewalled: false, zone: 'z', results: [{ sha256: 'a'.repeat(64), name: 'forged', size: 1 }], path: ['forger'], query_hops: 1 });
  return { header: { descriptor_id: id, payload_type: 'PAYLOAD_TYPE_QUERY_HIT', ttl: 2, hops: 0, payload_length: payload.length }, payload };
}

export function push(id: Buffer, servent: string): Descriptor {
  const payload = encodeWirePayload('push', { servent_id: hexToBytes(servent), sha256: 'b'.repeat(64), requester_address: '127.0.0.1:9', token: 't' });
  return { header: { descriptor_id: id, payload_type: 'PAYLOAD_TYPE_PUSH', ttl: 3, hops: 0, payload_length: payload.length }, payload };
}

export class RawLink {
  readonly messages: LinkMessage__Output[] = [];
  status: grpc.StatusObject | undefined;
  readonly call: grpc.ClientDuplexStream<LinkMessage, LinkMessage__Output>;
  private readonly client: grpc.Client;
  constructor(address: string, name = 'prober', credentials = grpc.credentials.createInsecure()) {
    const { pkg } = loadProto();
    const client = new pkg.superpeer.v1.Overlay(address, credentials, { 'grpc.max_send_message_length': 8 * 1024 * 1024, 'grpc.ssl_target_name_override': 'superpeer' });
    this.client = client;
    this.call = client.Link();
    this.call.on('data', (m: LinkMessage__Output) => {
      if (this.messages.length < 10_000) this.messages.push(m);
    });
    this.call.on('error', () => {});
    this.call.on('status', (s) => (this.status = s));
    const me = { nodeId: name, serventId: 'ab'.repeat(16), zone: 'z', grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: false, score: 0, role: 'supernode' as const, leafCapacity: 0 };
    this.call.write({ hello: { node: peerToWire(me), mode: 'supernode', secret: '', wire_version: WIRE_VERSION } });
  }
  async ready(): Promise<void> {
    await until(() => this.messages.some((m) => m.body === 'hello') || this.status !== undefined, 20_000, 'hello back');
    if (this.status) throw new Error(`link refused: ${this.status.details}`);
  }
  send(d: Descriptor): boolean {
    return this.call.write({ descriptor: d });
  }
  rejects() {
    return this.messages.filter((m) => m.body === 'reject').map((m) => m.reject!);
  }
  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

/** A Link call whose messages are raw bytes we choose (no serializer in the way). */
export function rawBytesLink(address: string): { write(b: Buffer): void; status: Promise<grpc.StatusObject>; cancel(): void } {
  const Ctor = grpc.makeGenericClientConstructor(
    { Link: { path: '/superpeer.v1.Overlay/Link', requestStream: true, responseStream: true, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b } },
    'RawOverlay',
  );
  const client = new Ctor(address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 8 * 1024 * 1024 });
  const call = client.makeBidiStreamRequest('/superpeer.v1.Overlay/Link', (b: Buffer) => b, (b: Buffer) => b);
  call.on('data', () => undefined);
  call.on('error', () => undefined);
  const status = new Promise<grpc.StatusObject>((r) => call.on('status', r));
  return { write: (b) => call.write(b), status, cancel: () => (call.cancel(), client.close()) };
}

/** Protobuf bytes nested `depth` deep: start-group tags (wire type 3) of an unknown field, never closed. */
export function deeplyNested(depth: number): Buffer {
  return Buffer.alloc(depth, 0x7b); // field 15, wire type 3 (start group)
}

/** Sum of one metric's samples matching `labels`, scraped from a node's /metrics over HTTP. */
export async function scrape(http: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const body = await (await fetch(`http://${http}/metrics`)).text();
  let sum = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** One Status counter (e.g. table_duplicates) of a node. */
export function statusCounter(address: string, name: string): Promise<number> {
  const { pkg } = loadProto();
  const c = new pkg.superpeer.v1.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) =>
    c.Status({}, { deadline: new Date(Date.now() + 15_000) }, (err, res) => {
      c.close();
      if (err || !res) return reject(err ?? new Error('no status'));
      resolve(Number(res.counters.find((x) => x.name === name)?.value ?? -1));
    }),
  );
}

/** Milliseconds to the first result of a search (max_results 1), or Infinity when none arrived. */
export function firstHitMs(address: string, q: string, timeoutMs = 10_000): Promise<number> {
  const { pkg } = loadProto();
  const c = new pkg.superpeer.v1.Client(address, grpc.credentials.createInsecure());
  const started = performance.now();
  return new Promise((resolve) => {
    let first = Infinity;
    const call = c.Search({ query: q, sha256: '', ttl: 0, timeout_ms: timeoutMs, max_results: 1 });
    call.on('data', () => {
      if (first === Infinity) first = performance.now() - started;
    });
    const done = () => {
      c.close();
      resolve(first);
    };
    call.on('end', done);
    call.on('error', done);
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
