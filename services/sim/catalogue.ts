// The files peers share and the searches they run. File names are made of
// pronounceable synthetic words so a query term means something to a reader
// of a trace; a query is two words of its target file's name (the target is
// drawn by Zipf popularity), which may also match other files.
import { createHash } from 'node:crypto';
import type { FileEntry } from '../core/descriptor.js';
import { zipfSampler } from './distributions.js';

const SYLLABLES = ['ba', 'ko', 'mi', 'ru', 'te', 'lo', 'sa', 'ni', 'vu', 'de', 'ga', 'pe', 'zo', 'fi', 'ha', 'ju', 'ke', 'wo', 'ry', 'xa'];
/** Words in the vocabulary: 20^3 three-syllable words. */
export const VOCABULARY = SYLLABLES.length ** 3;
const EXTENSIONS = ['mp3', 'avi', 'ogg', 'mkv', 'txt', 'iso'];

function word(k: number): string {
  const s = SYLLABLES.length;
  return SYLLABLES[k % s] + SYLLABLES[Math.floor(k / s) % s] + SYLLABLES[Math.floor(k / (s * s)) % s];
}

export interface Catalogue {
  files: FileEntry[];
  /** The two words a query for file k uses. */
  queryFor(k: number): string;
  /** Rank of a replica's file, Zipf by replication popularity. */
  drawReplica(): number;
  /** Rank of a query's target, Zipf by query popularity. */
  drawQueryTarget(): number;
}

export function buildCatalogue(count: number, replicationZipf: number, queryZipf: number, random: () => number): Catalogue {
  const files: FileEntry[] = [];
  const words: Array<[string, string]> = [];
  for (let k = 0; k < count; k++) {
    const a = word(Math.floor(random() * VOCABULARY));
    const b = word(Math.floor(random() * VOCABULARY));
    const c = word(Math.floor(random() * VOCABULARY));
    const ext = EXTENSIONS[k % EXTENSIONS.length];
    words.push([a, b]);
    files.push({
      sha256: createHash('sha256').update(`superpeer-sim-file-${k}`).digest('hex'),
      name: `${a} ${b} ${c}.${ext}`,
      size: 1024 + Math.floor(random() * 8 * 1024 * 1024),
    });
  }
  // Query popularity follows its own ranking: the most copied file need not be the most wanted.
  const queryRank = Array.from({ length: count }, (_, k) => k);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    if (Math.abs(i - j) < count / 10) [queryRank[i], queryRank[j]] = [queryRank[j], queryRank[i]];
  }
  const replica = zipfSampler(count, replicationZipf, random);
  const target = zipfSampler(count, queryZipf, random);
  return {
    files,
    queryFor: (k) => `${words[k][0]} ${words[k][1]}`,
    drawReplica: replica,
    drawQueryTarget: () => queryRank[target()],
  };
}
