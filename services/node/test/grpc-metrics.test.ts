// The gRPC metrics interceptor on a real server over loopback: successes,
// errors and a stream the client cancels are each counted once, by method,
// type and status code, with a handling time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { loadEcho, type EchoMessage } from '../../bench/echo.js';
import { grpcMetricsInterceptor, methodLabels } from '../grpc-metrics.js';
import { createMetrics } from '../metrics.js';
import { parseExposition, type Sample } from './exposition.js';

const metrics = createMetrics({ nodeId: 'n1', zone: 'z', defaultMetrics: false });
const server = new grpc.Server({ interceptors: [grpcMetricsInterceptor(metrics)] });
const echo = loadEcho();
let client: InstanceType<typeof echo.Client>;
let address = '';
let streamOpened: () => void;
const streamOpen = new Promise<void>((r) => { streamOpened = r; });

before(async () => {
  server.addService(echo.service, {
    Unary(call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) {
      if (call.request.seq === 0) callback({ code: grpc.status.INVALID_ARGUMENT, details: 'seq 0 is refused' });
      else callback(null, call.request);
    },
    Stream(call: grpc.ServerDuplexStream<EchoMessage, EchoMessage>) {
      streamOpened(); // never answers: the client cancels it
      call.on('error', () => undefined);
    },
  });
  new HealthImplementation({ '': 'SERVING' }).addToServer(server);
  const port = await new Promise<number>((res, rej) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  address = `127.0.0.1:${port}`;
  client = new echo.Client(address, grpc.credentials.createInsecure());
});

after(() => {
  client?.close();
  server.forceShutdown();
});

const unary = (seq: number): Promise<grpc.status> => new Promise((res) => {
  client.Unary({ seq, payload: Buffer.alloc(0) }, { deadline: Date.now() + 10_000 }, (err) => res(err ? err.code : grpc.status.OK));
});

async function samples(): Promise<Sample[]> {
  return parseExposition((await metrics.handler()).body);
}

function value(all: Sample[], name: string, labels: Record<string, string>): number {
  const found = all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

test('method labels come from the registered path and its streaming flags', () => {
  assert.deepEqual(methodLabels('/superpeer.v1.Client/Search', false, true), { service: 'superpeer.v1.Client', method: 'Search', type: 'server_stream' });
  assert.deepEqual(methodLabels('/superpeer.v1.Overlay/Link', true, true).type, 'bidi_stream');
  assert.deepEqual(methodLabels('/grpc.health.v1.Health/Check', false, false).type, 'unary');
});

test('calls are counted by method and status code, with a handling time each', async () => {
  assert.equal(await unary(1), grpc.status.OK);
  assert.equal(await unary(2), grpc.status.OK);
  assert.equal(await unary(0), grpc.status.INVALID_ARGUMENT);

  const stream = client.Stream();
  stream.on('error', () => undefined);
  await streamOpen;
  stream.cancel();

  const health = new grpc.Client(address, grpc.credentials.createInsecure());
  await new Promise<void>((res, rej) => health.makeUnaryRequest('/grpc.health.v1.Health/Check',
    (x: Buffer) => x, (x: Buffer) => x, Buffer.alloc(0), (e) => (e ? rej(e) : res())));
  health.close();

  const unaryLabels = { grpc_service: 'superpeer.bench.v1.EchoService', grpc_method: 'Unary', grpc_type: 'unary' };
  const streamLabels = { grpc_service: 'superpeer.bench.v1.EchoService', grpc_method: 'Stream', grpc_type: 'bidi_stream' };
  // The server sees the cancellation a moment after the client sends it.
  let all = await samples();
  for (let i = 0; i < 100 && value(all, 'superpeer_grpc_server_handled_total', streamLabels) === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    all = await samples();
  }
  assert.equal(value(all, 'superpeer_grpc_server_started_total', unaryLabels), 3);
  assert.equal(value(all, 'superpeer_grpc_server_handled_total', { ...unaryLabels, grpc_code: 'OK' }), 2);
  assert.equal(value(all, 'superpeer_grpc_server_handled_total', { ...unaryLabels, grpc_code: 'INVALID_ARGUMENT' }), 1);
  assert.equal(value(all, 'superpeer_grpc_server_handling_seconds_count', unaryLabels), 3);
  assert.ok(value(all, 'superpeer_grpc_server_handling_seconds_sum', unaryLabels) > 0);
  assert.equal(value(all, 'superpeer_grpc_server_started_total', streamLabels), 1);
  assert.equal(value(all, 'superpeer_grpc_server_handled_total', { ...streamLabels, grpc_code: 'CANCELLED' }), 1);
  assert.equal(value(all, 'superpeer_grpc_server_handled_total', streamLabels), 1, 'a cancelled stream is counted once');
  assert.equal(value(all, 'superpeer_grpc_server_handled_total',
    { grpc_service: 'grpc.health.v1.Health', grpc_method: 'Check', grpc_type: 'unary', grpc_code: 'OK' }), 1);
  assert.ok(all.every((s) => !s.name.startsWith('superpeer_grpc_server') || s.labels.node === 'n1'));
});
