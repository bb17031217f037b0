// A leaf's memory, the way it is started: `superpeer node --role leaf`
// through tsx (the TypeScript loader compiles the sources in the process),
// from the compiled build (dist/, plain node), and compiled with the leaf's
// memory flags as local clusters and the image start it — side by side, one
// at a time, attached to the same supernode, with the same 200 files.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCatalogue, writeShareDir } from '../node/content.js';
import { leafProcessFlags } from '../node/process-flags.js';
import { sumSeries } from './scrape.js';
import { round } from './stats.js';

/** How long a leaf runs after it attached before its RSS is read. */
export const LEAF_SETTLE_MS = 5_000;
const ATTACH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface LeafRssVariant {
  name: string;
  command: string;
  rssMiB: number | null;
  heapUsedMiB: number | null;
  error?: string;
}

export interface LeafRssReport {
  files: number;
  settleMs: number;
  variants: LeafRssVariant[];
}

/** The repository root: the first directory up from here with a package.json (dist/ has none). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 10 && !existsSync(path.join(dir, 'package.json')); i++) dir = path.dirname(dir);
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function metrics(http: string): Promise<string | null> {
  try {
    const res = await fetch(`http://${http}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return await res.text();
  } catch {
    return null;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function startNode(argv: string[], args: string[], root: string): Promise<{ child: ChildProcess; http: string; grpc: string }> {
  const grpc = `127.0.0.1:${await freePort()}`;
  const http = `127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, [...argv, ...args, '--grpc-listen', grpc, '--http-listen', http, '--log-level', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return { child, http, grpc };
}

/** Polls /metrics (bounded) until `ready` holds; returns the last text or null. */
async function waitMetrics(http: string, ready: (text: string) => boolean, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1_000 && Date.now() < deadline; i++) {
    const text = await metrics(http);
    if (text !== null && ready(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

export async function measureLeafRss(o: { files: number; log: (m: string) => void; settleMs?: number }): Promise<LeafRssReport> {
  const settleMs = o.settleMs ?? LEAF_SETTLE_MS;
  const root = repoRoot();
  const compiled = path.join(root, 'dist', 'services', 'cli', 'main.js');
  const sources = path.join(root, 'services', 'cli', 'main.ts');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'superpeer-leaf-rss-'));
  const variants: Array<{ name: string; argv: string[] | null }> = [
    { name: 'tsx (TypeScript loader)', argv: ['--import', 'tsx', sources] },
    { name: 'compiled (dist/, plain node)', argv: existsSync(compiled) ? [compiled] : null },
    { name: 'compiled, leaf memory flags (as clusters and the image run it)', argv: existsSync(compiled) ? [...leafProcessFlags(), compiled] : null },
  ];
  const out: LeafRssVariant[] = [];
  const catalogue = generateCatalogue({ seed: 11, peers: 1, filesPerPeer: o.files });
  await writeShareDir(path.join(dir, 'share'), catalogue.peers[0]);
  const sn = await startNode(existsSync(compiled) ? [compiled] : ['--import', 'tsx', sources], ['node', '--id', 'rss-supernode', '--role', 'supernode'], root);
  try {
    if (!(await waitMetrics(sn.http, () => true, ATTACH_TIMEOUT_MS))) throw new Error('supernode did not start');
    for (const v of variants) {
      const command = v.argv ? `node ${v.argv.map((a) => path.relative(root, a) || a).join(' ')} node --role leaf --seeds <supernode> --share-dir <${o.files} files>` : '';
      if (!v.argv) {
        out.push({ name: v.name, command, rssMiB: null, heapUsedMiB: null, error: 'dist/ not built: make build' });
        continue;
      }
      const leaf = await startNode(v.argv, ['node', '--id', 'rss-leaf', '--role', 'leaf', '--seeds', sn.grpc, '--share-dir', path.join(dir, 'share')], root);
      try {
        const up = await waitMetrics(leaf.http, (t) => sumSeries(t, 'superpeer_uplinks') >= 1, ATTACH_TIMEOUT_MS);
        if (!up) throw new Error('leaf did not attach');
        await new Promise((r) => setTimeout(r, settleMs));
        const text = await metrics(leaf.http);
        if (!text) throw new Error('leaf /metrics did not answer');
        const mib = (b: number) => round(b / 1024 / 1024, 1);
        out.push({ name: v.name, command, rssMiB: mib(sumSeries(text, 'superpeer_process_resident_memory_bytes')), heapUsedMiB: mib(sumSeries(text, 'superpeer_nodejs_heap_size_used_bytes')) });
        o.log(`leaf RSS, ${v.name}: ${out[out.length - 1].rssMiB} MiB`);
      } catch (err) {
        out.push({ name: v.name, command, rssMiB: null, heapUsedMiB: null, error: (err as Error).message });
      } finally {
        await stop(leaf.child);
      }
    }
  } finally {
    await stop(sn.child);
    await rm(dir, { recursive: true, force: true });
  }
  return { files: o.files, settleMs, variants: out };
}
