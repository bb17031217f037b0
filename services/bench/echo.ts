// The raw gRPC round trip of this machine: unary calls and messages over one
// bidirectional stream to an echo server in another process, on loopback.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { sourceLoaderFlags } from '../node/process-flags.js';
import { quantiles, type Quantiles } from './stats.js';

export interface EchoMessage {
  seq: number;
  payload: Buffer;
}

export interface EchoFloor {
  unaryMs: Quantiles;
  streamMs: Quantiles;
  payloadBytes: number;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ECHO_START_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 5_000;

type EchoClient = grpc.Client & {
  Unary(req: EchoMessage, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: EchoMessage) => void): void;
  Stream(): grpc.ClientDuplexStream<EchoMessage, EchoMessage>;
};

export function loadEcho(): { service: grpc.ServiceDefinition; Client: new (addr: string, creds: grpc.ChannelCredentials) => EchoClient } {
  // Compiled into dist/services/bench/, the proto stays next to the sources.
  const local = path.join(HERE, 'echo.proto');
  const file = existsSync(local) ? local : path.join(HERE, '..', '..', '..', 'services', 'bench', 'echo.proto');
  const def = protoLoader.loadSync(file, { keepCase: true, longs: Number, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    superpeer: { bench: { v1: { EchoService: grpc.ServiceClientConstructor } } };
  };
  const ctor = pkg.superpeer.bench.v1.EchoService;
  return { service: ctor.service, Client: ctor as unknown as new (addr: string, creds: grpc.ChannelCredentials) => EchoClient };
}

/** Starts the echo server process; resolves with its port and a stop function. */
async function startEchoServer(): Promise<{ port: number; stop: () => void }> {
  const ext = path.extname(fileURLToPath(import.meta.url));
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--test') && !a.startsWith('--inspect') && !a.startsWith('--cpu-prof'));
  if (!execArgv.some((a) => a.includes('tsx'))) execArgv.push(...sourceLoaderFlags(import.meta.url));
  const child = fork(path.join(HERE, `echo-server${ext}`), [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('echo server did not start')), ECHO_START_TIMEOUT_MS);
    child.once('message', (m: { type: string; port?: number; message?: string }) => {
      clearTimeout(timer);
      if (m.type === 'ready' && m.port) resolve(m.port);
      else reject(new Error(`echo server failed: ${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`echo server exited with ${code}`)));
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

/** `rounds` sequential round trips of each kind after `warmup` unmeasured ones. */
export async function measureEchoFloor(rounds = 2_000, warmup = 200, payloadBytes = 128): Promise<EchoFloor> {
  const server = await startEchoServer();
  const { Client } = loadEcho();
  const client = new Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  const payload = Buffer.alloc(payloadBytes, 7);
  try {
    const unary = (seq: number) =>
      new Promise<void>((resolve, reject) =>
        client.Unary({ seq, payload }, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err) => (err ? reject(err) : resolve())),
      );
    const unaryMs: number[] = [];
    for (let i = 0; i < warmup + rounds; i++) {
      const t = performance.now();
      await unary(i);
      if (i >= warmup) unaryMs.push(performance.now() - t);
    }
    const stream = client.Stream();
    let waiting: (() => void) | undefined;
    stream.on('data', () => waiting?.());
    stream.on('error', () => waiting?.());
    const streamMs: number[] = [];
    for (let i = 0; i < warmup + rounds; i++) {
      const t = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('stream echo timed out')), CALL_TIMEOUT_MS);
        waiting = () => {
          clearTimeout(timer);
          resolve();
        };
        stream.write({ seq: i, payload });
      });
      if (i >= warmup) streamMs.push(performance.now() - t);
    }
    stream.end();
    return { unaryMs: quantiles(unaryMs), streamMs: quantiles(streamMs), payloadBytes };
  } finally {
    client.close();
    server.stop();
  }
}
