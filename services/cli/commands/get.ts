// `superpeer get`: locate a file by sha256 through a node, then download it
// from its sources (several at once, resuming a .part, through Push when a
// source is firewalled) and verify it.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { isSuperpeerError } from '../../core/errors.js';
import { download, type DownloadReport, type Source } from '../../node/download.js';
import { openPushListener, pushConnector, type PushListener } from '../../node/push-transfer.js';
import { httpsClientOptions } from '../../node/tls.js';
import type { LocateResponse__Output } from '../../node/generated/superpeer/v1/LocateResponse.js';
import type { PushResponse__Output } from '../../node/generated/superpeer/v1/PushResponse.js';
import { CliError } from '../cli-error.js';
import { exitUsageOnError, intOption, parseSha256, targetOption } from '../cli-options.js';
import { EXIT_USAGE, connectClient, deadlineIn, unary, type ClientClient } from '../grpc-client.js';

/** Locate waits for QueryHits; a few seconds finds the replicas a cluster has. */
export const LOCATE_TIMEOUT_MS = 3_000;
/** Whole download, unless --timeout-ms says otherwise. */
export const DEFAULT_GET_TIMEOUT_MS = 10 * 60_000;
/** More sources than this add requests, not speed. */
export const MAX_SOURCES = 16;

interface GetFlags {
  target: string;
  out?: string;
  force?: boolean;
  timeoutMs: number;
  json?: boolean;
  pushHost: string;
}

/** Longest file name written (bytes, as most filesystems allow). */
const MAX_NAME_BYTES = 255;

/**
 * A file name from a peer is a suggestion: its last path part, without
 * control characters, never "." or "..", at most 255 bytes; else the hash.
 */
export function safeName(name: string, fallback: string): string {
  let base = path.basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  while (Buffer.byteLength(base) > MAX_NAME_BYTES) base = base.slice(0, -1);
  return base && base !== '.' && base !== '..' ? base : fallback;
}

/**
 * Sources of the hash, one per node, and the size and name most of them
 * claim (the first hit alone may lie; the download checks the size again).
 */
export function agreedHits(hits: LocateResponse__Output['sources'], sha256: string): { sources: Source[]; size: number; name: string } {
  const seen = new Set<string>();
  const sources: Source[] = [];
  const bySize = new Map<number, { count: number; name: string }>();
  for (const h of hits) {
    if (h.sha256 !== sha256 || seen.has(h.node_id)) continue;
    seen.add(h.node_id);
    sources.push({ nodeId: h.node_id, httpAddress: h.http_address, firewalled: h.firewalled, serventId: h.servent_id });
    const size = Number(h.size);
    const v = bySize.get(size) ?? { count: 0, name: h.name };
    v.count++;
    bySize.set(size, v);
  }
  let best: { size: number; count: number; name: string } | undefined;
  for (const [size, v] of bySize) if (!best || v.count > best.count) best = { size, ...v };
  return { sources, size: best?.size ?? 0, name: best?.name ?? '' };
}

async function locate(client: ClientClient, target: string, sha256: string): Promise<{ sources: Source[]; size: number; name: string }> {
  const res = await unary<LocateResponse__Output>(target, 'locate', (cb) =>
    client.Locate({ sha256, timeout_ms: LOCATE_TIMEOUT_MS, max_results: MAX_SOURCES }, { deadline: deadlineIn(LOCATE_TIMEOUT_MS + 2_000) }, cb));
  return agreedHits(res.sources, sha256);
}

/**
 * HTTPS (and TLS on Push sockets) when SUPERPEER_TLS_CA is set, presenting
 * SUPERPEER_TLS_CERT/KEY for mutual TLS; the same variables give the gRPC
 * calls their credentials (grpc-client.ts).
 */
function transferTls(env: Record<string, string | undefined>) {
  try {
    return httpsClientOptions({ tlsCa: env.SUPERPEER_TLS_CA || undefined, tlsCert: env.SUPERPEER_TLS_CERT || undefined, tlsKey: env.SUPERPEER_TLS_KEY || undefined, tlsServerName: env.SUPERPEER_TLS_SERVER_NAME || undefined });
  } catch (err) {
    throw new CliError(`cannot read the TLS files: ${(err as Error).message}`, EXIT_USAGE);
  }
}

export async function runGet(sha256: string, o: GetFlags, env: Record<string, string | undefined> = process.env): Promise<DownloadReport> {
  const tls = transferTls(env);
  const client = connectClient(o.target, { env });
  let listener: PushListener | undefined;
  let bar: cliProgress.SingleBar | undefined;
  try {
    const found = await locate(client, o.target, sha256);
    if (found.sources.length === 0) throw new CliError(`no source found for ${sha256} through ${o.target}`);
    const out = o.out ?? safeName(found.name, sha256);
    if (!o.force && (await stat(out).then(() => true, () => false))) throw new CliError(`${out} exists; pass --force to overwrite it or -o to choose another name`, EXIT_USAGE);
    let connectPush;
    if (found.sources.some((s) => s.firewalled)) {
      listener = await openPushListener({ host: o.pushHost, tls });
      connectPush = pushConnector(listener, async (source, requesterAddress, token) => {
        const r = await unary<PushResponse__Output>(o.target, 'push request', (cb) =>
          client.RequestPush(
            { servent_id: source.serventId, sha256, requester_address: requesterAddress, token },
            { deadline: deadlineIn(5_000) },
            cb,
          ));
        if (!r.routed) throw new Error(`no route toward firewalled ${source.nodeId}`);
      }, sha256);
    }
    if (process.stderr.isTTY && !o.json) {
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: `${out} [{bar}] {percentage}% | {value}/{total} B | {eta_formatted}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Number.isSafeInteger(found.size) && found.size > 0 ? found.size : 1, 0);
    }
    return await download({
      sha256,
      size: Number.isSafeInteger(found.size) && found.size > 0 ? found.size : undefined,
      sources: found.sources,
      out,
      overwrite: o.force ?? false,
      connectPush,
      tls,
      deadlineMs: o.timeoutMs,
      onProgress: (done, total) => {
        bar?.setTotal(Math.max(total, 1));
        bar?.update(done);
      },
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (isSuperpeerError(err)) throw new CliError(`download of ${sha256} failed (${err.code}): ${err.message}`);
    throw new CliError(`download of ${sha256} failed: ${(err as Error).message}`);
  } finally {
    bar?.stop();
    await listener?.close();
    client.close();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('get')
    .description('locate a file by sha256 and download it: multi-source, resumable, verified, through Push for firewalled peers')
    .argument('<sha256>', 'content hash of the file', parseSha256)
    .addOption(targetOption('gRPC address of a node to locate sources through'))
    .option('-o, --out <file>', 'where to write the file (default: its shared name, reduced to a plain file name)')
    .option('--force', 'overwrite the output file if it exists')
    .option('--timeout-ms <ms>', 'deadline for the whole download', intOption(1, 24 * 3_600_000), DEFAULT_GET_TIMEOUT_MS)
    .option('--push-host <host>', 'address firewalled sources call back to (Push/GIV)', '127.0.0.1')
    .option('--json', 'print the download report as JSON')
    .action(async (sha256: string, o: GetFlags) => {
      const report = await runGet(sha256, o);
      if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        const from = Object.entries(report.sources).map(([id, n]) => `${id} (${n} B)`).join(', ') || 'the resumed .part';
        const corrupt = report.corruptSources.length > 0 ? `; corrupt sources skipped: ${report.corruptSources.join(', ')}` : '';
        for (const d of report.droppedSources) process.stderr.write(`source ${d.nodeId} dropped: ${d.reason}\n`);
        process.stdout.write(`${report.out}: ${report.size} bytes, sha256 verified, from ${from}${report.resumedFrom > 0 ? `, resumed at ${report.resumedFrom}` : ''}${corrupt}\n`);
      }
    });
  exitUsageOnError(cmd);
}
