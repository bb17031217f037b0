// Per-supernode micro-benchmarks against the targets: forwarded
// descriptors per second through the core of one supernode (in-process, one
// core), client searches per second a real supernode answers from its own
// index over gRPC, the RSS of a supernode holding 500 leaves × 200 files, and
// the RSS of a real leaf.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Descriptor, Query } from '../core/descriptor.js';
import type { Environment } from '../core/environment.js';
import { newDescriptorId } from '../core/ids.js';
import { deriveSeed, seededRandom } from '../core/random.js';
import { Supernode } from '../core/supernode.js';
import { LocalCluster } from '../node/cluster/local-cluster.js';
import { sourceLoaderFlags } from '../node/process-flags.js';
import { ClientPool } from './load.js';
import { scrapeNode } from './scrape.js';
import { quantiles, round, type Quantiles } from './stats.js';
import { queryOf } from './truth.js';
import { measureLeafRss, type LeafRssReport } from './leaf-rss.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

export interface MicroReport {
  forwarding: { neighbours: number; queries: number; descriptorsSent: number; seconds: number; forwardedPerSecond: number; queriesPerSecond: number; where: string };
  ownIndexSearch: { concurrency: number; searches: number; seconds: number; perSecond: number; cpuSeconds: number; perCpuSecond: number; latencyMs: Quantiles; where: string };
  indexMemory: { leaves: number; filesPerLeaf: number; entries: number; baseMiB: number; fullMiB: number; where: string } | { error: string };
  leafRssMiB: number | null;
  /** `superpeer node --role leaf` from the compiled build and through tsx, side by side. */
  leafRss: LeafRssReport | { error: string };
}

/** Queries from one neighbour, forwarded by the core to every other (TTL 3, fresh IDs). */
export function benchForwarding(neighbours = 8, queries = 50_000): MicroReport['forwarding'] {
  const random = seededRandom(deriveSeed(1, 'forwarding'));
  let sent = 0;
  const env: Environment = { now: () => performance.now(), random, send: () => void sent++, setTimer: () => ({ cancel() {} }), observe: () => {} };
  const self = { nodeId: 'sn', serventId: '0'.repeat(32), zone: 'a', grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: false, score: 0, role: 'supernode' as const, leafCapacity: 64 };
  const sn = new Supernode(self, env, {});
  for (let i = 0; i < neighbours; i++) sn.linkUp(`n${i}`, { ...self, nodeId: `sn-${i}`, serventId: `${i}`.padStart(32, '1') });
  const q: Query = { kind: 'query', criteria: 'amber river', sha256: '', maxResults: 100, originZone: 'a' };
  const ds: Descriptor<Query>[] = Array.from({ length: queries }, () => ({ id: newDescriptorId(random), ttl: 3, hops: 1, payload: q }));
  const t = performance.now();
  for (const d of ds) sn.receive('n0', d);
  const seconds = (performance.now() - t) / 1000;
  return { neighbours, queries, descriptorsSent: sent, seconds: round(seconds), forwardedPerSecond: Math.round(sent / seconds), queriesPerSecond: Math.round(queries / seconds), where: 'core state machine in-process (validation, duplicate table, routing, index lookup); no gRPC encoding' };
}

/** Closed loop of `concurrency` Search calls against a lone supernode that holds the files itself. */
async function benchOwnIndex(seconds: number, concurrency: number, log: (m: string) => void): Promise<{ own: MicroReport['ownIndexSearch']; leafRssMiB: number | null }> {
  const cluster = await LocalCluster.up({ supernodes: 1, peers: 1, filesPerPeer: 200, zones: 1, seed: 7, nodesPerProcess: 1, nodeOverrides: { logLevel: 'error' } });
  const pool = new ClientPool();
  try {
    await cluster.waitAttached(30_000, 1);
    const { nodes } = await cluster.describe();
    const sn = nodes.find((n) => n.role === 'supernode')!;
    const leaf = nodes.find((n) => n.role !== 'supernode');
    const terms = sn.files.map((f) => queryOf(f.name));
    const client = pool.get(sn.grpc);
    await pool.warm([sn.grpc]);
    const before = await scrapeNode({ ...sn, pid: sn.pid });
    const lat: number[] = [];
    const end = performance.now() + seconds * 1000;
    let i = 0;
    const worker = async () => {
      for (let n = 0; performance.now() < end && n < 10_000_000; n++) {
        const t = performance.now();
        await new Promise<void>((resolve) => {
          const call = client.Search({ query: terms[i++ % terms.length], max_results: 1, timeout_ms: 2_000, ttl: 1 }, { deadline: Date.now() + 5_000 });
          call.on('data', () => {});
          call.on('end', () => resolve());
          call.on('error', () => resolve());
        });
        lat.push(performance.now() - t);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wall = (performance.now() - t0) / 1000;
    const after = await scrapeNode({ ...sn, pid: sn.pid });
    const cpu = after.cpuSeconds - before.cpuSeconds;
    const leafRss = leaf ? (await scrapeNode({ ...leaf, pid: leaf.pid })).rssBytes / 1024 / 1024 : null;
    log(`own-index search: ${Math.round(lat.length / wall)}/s using ${cpu.toFixed(2)} CPU-s`);
    return {
      own: { concurrency, searches: lat.length, seconds: round(wall), perSecond: Math.round(lat.length / wall), cpuSeconds: round(cpu), perCpuSecond: Math.round(lat.length / Math.max(1e-9, cpu)), latencyMs: quantiles(lat), where: 'one real supernode process over gRPC on loopback, 200 own files, max_results 1; the load generator shares the 2 cores' },
      leafRssMiB: leafRss === null ? null : round(leafRss, 1),
    };
  } finally {
    pool.close();
    await cluster.down();
  }
}

async function indexMemory(leaves: number, files: number): Promise<MicroReport['indexMemory']> {
  const ext = path.extname(fileURLToPath(import.meta.url));
  const args = ['--expose-gc', ...sourceLoaderFlags(import.meta.url), path.join(HERE, `index-memory${ext}`), String(leaves), String(files), '1'];
  try {
    const { stdout } = await run(process.execPath, args, { timeout: 300_000, maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as { leaves: number; filesPerLeaf: number; entries: number; baseMiB: number; fullMiB: number };
    return { ...r, baseMiB: round(r.baseMiB, 1), fullMiB: round(r.fullMiB, 1), where: 'a real supernode process (gRPC, HTTP, metrics up) whose index is filled in-process; RSS after GC' };
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] };
  }
}

export async function runMicro(o: { seconds: number; leaves: number; filesPerLeaf: number; log: (m: string) => void }): Promise<MicroReport> {
  const forwarding = benchForwarding();
  o.log(`core forwarding: ${forwarding.forwardedPerSecond} descriptors/s`);
  const { own, leafRssMiB } = await benchOwnIndex(o.seconds, 16, o.log);
  const mem = await indexMemory(o.leaves, o.filesPerLeaf);
  const leafRss = await measureLeafRss({ files: o.filesPerLeaf, log: o.log }).catch((err: unknown) => ({ error: (err as Error).message }));
  return { forwarding, ownIndexSearch: own, indexMemory: mem, leafRssMiB, leafRss };
}
