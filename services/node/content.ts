// Deterministic generated content for local clusters and the simulator: a
// catalogue of named files with Zipf popularity (popular files replicated on
// many peers, the long tail on one), and real bytes derived from the seed so
// every sha256 is real and the same on every machine.

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileEntry } from '../core/descriptor.js';
import { deriveSeed, randomInt, seededRandom } from '../core/random.js';
import { WORDS } from './words.js';

/** Small enough that a cluster of hundreds of leaves fits in tmp, big enough for several 256 KiB chunks at the top. */
export const MIN_FILE_BYTES = 4 * 1024;
export const MAX_FILE_BYTES = 512 * 1024;
/** Classic Zipf exponent for file popularity in file-sharing traces. */
export const DEFAULT_ZIPF_S = 1.0;
const EXTENSIONS = ['mp3', 'ogg', 'flac', 'mp4', 'mkv', 'pdf', 'txt', 'epub'];

export interface CatalogueFile {
  /** Popularity rank, 0 = most popular; also the file's stable id. */
  rank: number;
  name: string;
  size: number;
  /** Seed of the file's bytes. */
  seed: number;
}

export interface Catalogue {
  /** Every file held by at least one peer, by rank. */
  files: CatalogueFile[];
  /** peers[i] = the files of peer i. */
  peers: CatalogueFile[][];
}

export interface CatalogueOptions {
  seed: number;
  peers: number;
  filesPerPeer: number;
  zipfS?: number;
  minBytes?: number;
  maxBytes?: number;
}

export function generateCatalogue(opts: CatalogueOptions): Catalogue {
  const universe = Math.max(1, opts.peers * opts.filesPerPeer);
  const random = seededRandom(deriveSeed(opts.seed, 'catalogue'));
  const cdf = zipfCdf(universe, opts.zipfS ?? DEFAULT_ZIPF_S);
  const byRank = new Map<number, CatalogueFile>();
  const names = new Set<string>();
  const fileFor = (rank: number): CatalogueFile => {
    let f = byRank.get(rank);
    if (!f) {
      f = makeFile(opts, rank, names);
      byRank.set(rank, f);
    }
    return f;
  };
  const peers: CatalogueFile[][] = [];
  const want = Math.min(opts.filesPerPeer, universe);
  for (let p = 0; p < opts.peers; p++) {
    const picked = new Set<number>();
    // Bounded: a peer whose draws keep colliding ends up with fewer files.
    for (let attempt = 0; picked.size < want && attempt < want * 50; attempt++) picked.add(sample(cdf, random()));
    peers.push([...picked].sort((a, b) => a - b).map(fileFor));
  }
  return { files: [...byRank.values()].sort((a, b) => a.rank - b.rank), peers };
}

function makeFile(opts: CatalogueOptions, rank: number, names: Set<string>): CatalogueFile {
  const r = seededRandom(deriveSeed(opts.seed, `file:${rank}`));
  const minB = opts.minBytes ?? MIN_FILE_BYTES;
  const maxB = opts.maxBytes ?? MAX_FILE_BYTES;
  const ext = EXTENSIONS[randomInt(r, EXTENSIONS.length)];
  let name = '';
  for (let tries = 0; tries < 20 && (name === '' || names.has(name)); tries++) {
    const n = 2 + randomInt(r, 3);
    const words = Array.from({ length: n }, () => WORDS[randomInt(r, WORDS.length)]);
    name = `${words.join('-')}.${ext}`;
  }
  if (names.has(name)) name = name.replace(`.${ext}`, `-${rank}.${ext}`);
  names.add(name);
  // Log-uniform: many small files, some large.
  const size = Math.round(Math.exp(Math.log(minB) + r() * (Math.log(maxB) - Math.log(minB))));
  return { rank, name, size, seed: deriveSeed(opts.seed, `bytes:${rank}`) };
}

function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  for (let k = 0; k < n; k++) cdf[k] /= sum;
  return cdf;
}

function sample(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bytes of a catalogue file (deterministic from its seed). */
export function fileContent(file: CatalogueFile): Buffer {
  const r = seededRandom(file.seed);
  const buf = Buffer.alloc(file.size);
  let i = 0;
  for (; i + 4 <= file.size; i += 4) buf.writeUInt32LE(Math.floor(r() * 4294967296), i);
  for (; i < file.size; i++) buf[i] = Math.floor(r() * 256);
  return buf;
}

export function fileSha256(file: CatalogueFile): string {
  return createHash('sha256').update(fileContent(file)).digest('hex');
}

/** Write the files into `dir` (created if needed); returns their entries with real hashes. */
export async function writeShareDir(dir: string, files: CatalogueFile[]): Promise<FileEntry[]> {
  await mkdir(dir, { recursive: true });
  const out: FileEntry[] = [];
  for (const f of files) {
    const bytes = fileContent(f);
    await writeFile(path.join(dir, f.name), bytes);
    out.push({ sha256: createHash('sha256').update(bytes).digest('hex'), name: f.name, size: f.size });
  }
  return out;
}
