// A download in flight when one of its sources is stopped (SIGTERM). The
// client is the real `superpeer get` in its own process; it is frozen
// (SIGSTOP) from the moment a tenth of the file is in until the source has
// exited, so the stop lands mid-transfer however fast loopback is. Then it
// must finish from the other source, verify the sha256, and never show a
// file at its final path before that (bytes live in `<out>.part` until then).
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterNode } from '../cluster/local-cluster.js';
import { sleep, type ChaosCluster } from './cluster.js';
import { sourceLoaderFlags } from '../process-flags.js';

/** The stop comes once this share of the file is in. */
const STOP_AT_FRACTION = 0.1;
const DOWNLOAD_LIMIT_MS = 120_000;

function cliEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), '..', '..', 'cli', `main${path.extname(here)}`);
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function downloadThroughStop(c: ChaosCluster, victim: ClusterNode, stop: () => void) {
  const big = c.big!;
  const other = big.holders.find((h) => h !== victim.id)!;
  const via = c.cluster.leaves()[0];
  const out = path.join(c.workDir, 'downloaded.bin');
  const part = `${out}.part`;
  const started = performance.now();
  const child = spawn(process.execPath, [...sourceLoaderFlags(import.meta.url), cliEntry(), 'get', big.sha256, '--target', via.grpc, '-o', out, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SUPERPEER_TLS_CA: '', SUPERPEER_TLS_CERT: '', SUPERPEER_TLS_KEY: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  // A final file next to a .part would be a partial file looking complete.
  let finalBeforeVerified = 0;
  const partSize = () => {
    if (existsSync(out) && existsSync(part)) finalBeforeVerified++;
    try {
      return statSync(part).size;
    } catch {
      return 0;
    }
  };
  let inAtStop = 0;
  for (let i = 0; i < 6_000 && running && performance.now() - started < DOWNLOAD_LIMIT_MS; i++) {
    inAtStop = partSize();
    if (inAtStop >= big.size * STOP_AT_FRACTION) break;
    await sleep(10);
  }
  const stoppedMidway = running && inAtStop < big.size;
  child.kill('SIGSTOP');
  stop();
  const stopAt = performance.now();
  for (let i = 0; i < 2_000 && !gone(victim.pid) && performance.now() - stopAt < 20_000; i++) await sleep(10);
  const sourceGoneMs = performance.now() - stopAt;
  child.kill('SIGCONT');
  for (let i = 0; i < 12_000 && running && performance.now() - started < DOWNLOAD_LIMIT_MS; i++) {
    partSize();
    await sleep(10);
  }
  if (running) child.kill('SIGKILL');
  const code = await exited;
  let report: { sources?: Record<string, number>; durationMs?: number } = {};
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    // the failure is in stderr
  }
  const verified = existsSync(out) && (await sha256Of(out)) === big.sha256;
  return {
    fileMiB: big.size / 2 ** 20,
    stoppedMidway,
    stoppedAtPct: Math.round((100 * inAtStop) / big.size),
    sourceGoneMs: Math.round(sourceGoneMs),
    exitCode: code,
    error: code === 0 ? undefined : stderr.trim().split('\n').slice(-3).join(' '),
    verified,
    partLeft: existsSync(part),
    finalBeforeVerified,
    fromStopped: report.sources?.[victim.id] ?? 0,
    fromOther: report.sources?.[other] ?? 0,
    durationMs: Math.round(performance.now() - started),
  };
}
