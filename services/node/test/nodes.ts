// Real nodes in the test process: real gRPC and HTTP servers on 127.0.0.1
// with OS-chosen ports, real streams between them.
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import { resolveConfig, type NodeConfig } from '../config.js';
import { SuperpeerNode } from '../node.js';
import { loadProto } from '../proto.js';
import type { ClientClient } from '../generated/superpeer/v1/Client.js';
import type { SearchResult__Output } from '../generated/superpeer/v1/SearchResult.js';
import type { LocateResponse__Output } from '../generated/superpeer/v1/LocateResponse.js';

export async function startNode(c: Partial<NodeConfig> & { id: string }): Promise<SuperpeerNode> {
  const config = resolveConfig({ grpcListen: '127.0.0.1:0', httpListen: '127.0.0.1:0', logLevel: 'silent', ...c } as Partial<NodeConfig>, {});
  const node = new SuperpeerNode(config, { log: pino({ level: 'silent' }) });
  await node.start();
  return node;
}

export async function shareDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'superpeer-share-'));
  await mkdir(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, name), body);
  return dir;
}

export function client(node: SuperpeerNode | string): ClientClient {
  const { pkg } = loadProto();
  const address = typeof node === 'string' ? node : node.grpcAddress;
  return new pkg.superpeer.v1.Client(address, grpc.credentials.createInsecure());
}

export function search(
  node: SuperpeerNode | string,
  query: string,
  // Tests ask for one round at the TTL they name unless they ask for dynamic querying.
  opts: { ttl?: number; timeoutMs?: number; maxResults?: number; sha256?: string; dynamic?: boolean } = {},
): Promise<SearchResult__Output[]> {
  const c = client(node);
  return new Promise((resolve, reject) => {
    const out: SearchResult__Output[] = [];
    const call = c.Search({ query, sha256: opts.sha256 ?? '', ttl: opts.ttl ?? 0, timeout_ms: opts.timeoutMs ?? 1000, max_results: opts.maxResults ?? 0, dynamic: opts.dynamic ?? false, single_round: !opts.dynamic });
    call.on('data', (r: SearchResult__Output) => out.push(r));
    call.on('end', () => {
      c.close();
      resolve(out);
    });
    call.on('error', (e) => {
      c.close();
      reject(e);
    });
  });
}

/**
 * Waits for what a test asks never take less than this: on 2 cores at load
 * average 30 a process may not run for seconds, and a wait is a bound on
 * failure, not a measurement (a condition that holds returns at once).
 */
export const MIN_WAIT_MS = 20_000;

/** Polls until check() holds, or fails after timeoutMs (at least MIN_WAIT_MS). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = MIN_WAIT_MS, what = 'condition'): Promise<void> {
  const deadline = Date.now() + Math.max(timeoutMs, MIN_WAIT_MS);
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function stopAll(nodes: SuperpeerNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.stop()));
}

/** Sum of one metric's samples whose labels include `match`, from a node's registry. */
export async function metricValue(node: SuperpeerNode, name: string, match: Record<string, string> = {}): Promise<number> {
  const json = await node.metrics.registry.getMetricsAsJSON();
  const m = json.find((x) => x.name === name);
  if (!m) return 0;
  let sum = 0;
  for (const v of (m as unknown as { values: Array<{ value: number; labels: Record<string, string> }> }).values) {
    if (Object.entries(match).every(([k, val]) => String(v.labels[k]) === val)) sum += v.value;
  }
  return sum;
}

/** Sources of a content hash, as one Locate call through the node at `address`. */
export function locate(address: string, sha256: string): Promise<LocateResponse__Output> {
  const c = client(address);
  return new Promise((resolve, reject) =>
    c.Locate({ sha256, timeout_ms: 3000, max_results: 50 }, (err, res) => {
      c.close();
      return err || !res ? reject(err) : resolve(res);
    }),
  );
}
