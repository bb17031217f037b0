// A test double of a node for the CLI's own tests: a real grpc-js server on
// 127.0.0.1:0 serving the Client service from the real proto with canned data.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadProto } from '../../node/proto.js';
import type { ClientHandlers } from '../../node/generated/superpeer/v1/Client.js';
import type { SearchRequest__Output } from '../../node/generated/superpeer/v1/SearchRequest.js';
import { SEARCH_RESULTS, STATUS, TOPOLOGY } from './fixtures.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface FakeNode {
  target: string;
  searches: SearchRequest__Output[];
  close(): Promise<void>;
}

/** Search: "nothing" gives no hits, "boom" fails INTERNAL, "bad" INVALID_ARGUMENT; else the canned hits. */
export async function startFakeNode(): Promise<FakeNode> {
  const { pkg } = loadProto();
  const searches: SearchRequest__Output[] = [];
  const handlers: ClientHandlers = {
    Search(call) {
      searches.push(call.request);
      const q = call.request.query;
      // grpc-js: an 'error' event on a server stream becomes the call's status
      if (q === 'boom') return void call.emit('error', { code: grpc.status.INTERNAL, details: 'index exploded' });
      if (q === 'bad') return void call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'query has no terms' });
      if (q !== 'nothing') {
        const limit = call.request.max_results || SEARCH_RESULTS.length;
        for (const r of SEARCH_RESULTS.slice(0, limit)) call.write(r);
      }
      call.end();
    },
    Locate(_call, cb) {
      cb(null, { sources: SEARCH_RESULTS.slice(0, 2) });
    },
    RequestPush(_call, cb) {
      cb(null, { routed: true });
    },
    Status(_call, cb) {
      cb(null, STATUS);
    },
    Topology(call) {
      call.write(TOPOLOGY);
      call.end();
    },
  };
  const server = new grpc.Server();
  server.addService(pkg.superpeer.v1.Client.service, handlers);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  return {
    target: `127.0.0.1:${port}`,
    searches,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** A loopback port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  server.forceShutdown();
  return port;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real CLI as a child process (bounded by a kill timer); `env` adds to (or, undefined, removes from) the environment. */
// A CLI process started through tsx may take tens of seconds to start on a loaded machine.
export function runCli(args: string[], timeoutMs = 90_000, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const childEnv: Record<string, string | undefined> = { ...process.env, SUPERPEER_TLS_CA: '', SUPERPEER_TLS_CERT: '', SUPERPEER_TLS_KEY: '', SUPERPEER_TARGET: undefined, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
