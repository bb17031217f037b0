// The supernode's inverted index of its leaves' files: normalised token →
// files whose name contains it. A query matches a file when every term does.
// Postings hold the entry objects themselves (identity-hashed), not composite
// string keys: a million-peer simulation holds millions of entries.
import type { FileEntry } from './descriptor.js';
import { uniqueTokens } from './keywords.js';
import { qrpHash, QueryRouteTable } from './query-route-table.js';

/**
 * Estimated heap bytes of the index's parts (measured on Node 20: about
 * 1.1 KiB per file with its hash and name, 40 bytes per posting, 180 more per
 * distinct token), so a supernode can cap its index by memory.
 */
export const FILE_ENTRY_BYTES = 600;
export const POSTING_BYTES = 48;
export const TOKEN_BYTES = 180;

export interface IndexedFile {
  owner: string;
  file: FileEntry;
}

export class KeywordIndex {
  private readonly postings = new Map<string, Set<IndexedFile>>();
  private readonly byHash = new Map<string, Set<IndexedFile>>();
  /** owner → sha256 → entry; the only place an entry is found by its key. */
  private readonly byOwner = new Map<string, Map<string, IndexedFile>>();
  /** owner → token occurrences over its files (the per-leaf token cap). */
  private readonly ownerTokenCounts = new Map<string, number>();
  private count = 0;
  private estimatedBytes = 0;
  /** QRP slot → distinct tokens hashed there, kept as tokens come and go (trackRouteTable). */
  private slotCounts: Uint32Array | undefined;
  private slotBits = 0;

  get size(): number {
    return this.count;
  }

  /** Distinct tokens indexed. */
  get tokenCount(): number {
    return this.postings.size;
  }

  /** Estimated heap bytes the index holds (see FILE_ENTRY_BYTES). */
  get bytes(): number {
    return this.estimatedBytes;
  }

  ownerCount(owner: string): number {
    return this.byOwner.get(owner)?.size ?? 0;
  }

  /** Token occurrences over an owner's files. */
  ownerTokens(owner: string): number {
    return this.ownerTokenCounts.get(owner) ?? 0;
  }

  /** Estimated bytes one more file would add at most (every token new). */
  static fileCost(file: FileEntry): { tokens: number; bytes: number } {
    const tokens = uniqueTokens(file.name);
    let bytes = FILE_ENTRY_BYTES + 2 * file.name.length;
    for (const t of tokens) bytes += POSTING_BYTES + TOKEN_BYTES + 2 * t.length;
    return { tokens: tokens.length, bytes };
  }

  /**
   * Keeps a count of distinct tokens per QRP slot from now on, so the route
   * table is built from the counts (one pass over 2^bits slots) instead of
   * re-hashing every token.
   */
  trackRouteTable(bits: number): void {
    this.slotBits = bits;
    this.slotCounts = new Uint32Array(1 << bits);
    for (const token of this.postings.keys()) this.slotCounts[qrpHash(token, bits)]++;
  }

  /** The route table of every token indexed. */
  routeTable(bits: number): QueryRouteTable {
    if (!this.slotCounts || bits !== this.slotBits) return QueryRouteTable.fromTokens(this.postings.keys(), bits);
    const bytes = new Uint8Array((1 << bits) >>> 3);
    const counts = this.slotCounts;
    for (let slot = 0; slot < counts.length; slot++) if (counts[slot] !== 0) bytes[slot >>> 3] |= 1 << (slot & 7);
    return new QueryRouteTable(bits, bytes);
  }

  add(owner: string, file: FileEntry): void {
    let files = this.byOwner.get(owner);
    if (files?.has(file.sha256)) this.remove(owner, file.sha256);
    files = this.byOwner.get(owner);
    if (!files) this.byOwner.set(owner, (files = new Map()));
    const entry: IndexedFile = { owner, file };
    files.set(file.sha256, entry);
    this.count++;
    const tokens = uniqueTokens(file.name);
    this.ownerTokenCounts.set(owner, this.ownerTokens(owner) + tokens.length);
    this.estimatedBytes += FILE_ENTRY_BYTES + 2 * file.name.length + POSTING_BYTES * tokens.length;
    for (const token of tokens) {
      if (addTo(this.postings, token, entry)) this.tokenAppeared(token);
    }
    addTo(this.byHash, file.sha256, entry);
  }

  remove(owner: string, sha256: string): boolean {
    const files = this.byOwner.get(owner);
    const entry = files?.get(sha256);
    if (!files || !entry) return false;
    files.delete(sha256);
    if (files.size === 0) this.byOwner.delete(owner);
    this.count--;
    const tokens = uniqueTokens(entry.file.name);
    const left = this.ownerTokens(owner) - tokens.length;
    if (left > 0 && files.size > 0) this.ownerTokenCounts.set(owner, left);
    else this.ownerTokenCounts.delete(owner);
    this.estimatedBytes -= FILE_ENTRY_BYTES + 2 * entry.file.name.length + POSTING_BYTES * tokens.length;
    for (const token of tokens) {
      if (removeFrom(this.postings, token, entry)) this.tokenGone(token);
    }
    removeFrom(this.byHash, sha256, entry);
    return true;
  }

  private tokenAppeared(token: string): void {
    this.estimatedBytes += TOKEN_BYTES + 2 * token.length;
    if (this.slotCounts) this.slotCounts[qrpHash(token, this.slotBits)]++;
  }

  private tokenGone(token: string): void {
    this.estimatedBytes -= TOKEN_BYTES + 2 * token.length;
    if (this.slotCounts) this.slotCounts[qrpHash(token, this.slotBits)]--;
  }

  removeOwner(owner: string): number {
    const files = this.byOwner.get(owner);
    if (!files) return 0;
    let n = 0;
    for (const sha256 of [...files.keys()]) if (this.remove(owner, sha256)) n++;
    return n;
  }

  filesOf(owner: string): FileEntry[] {
    return [...(this.byOwner.get(owner)?.values() ?? [])].map((e) => e.file);
  }

  /** Files whose names hold every term (already normalised tokens). */
  search(terms: readonly string[], limit: number): IndexedFile[] {
    if (terms.length === 0 || limit <= 0) return [];
    const sets: Set<IndexedFile>[] = [];
    for (const term of terms) {
      const set = this.postings.get(term);
      if (!set) return [];
      sets.push(set);
    }
    sets.sort((a, b) => a.size - b.size);
    const out: IndexedFile[] = [];
    for (const entry of sets[0]) {
      let all = true;
      for (let i = 1; i < sets.length && all; i++) all = sets[i].has(entry);
      if (!all) continue;
      out.push(entry);
      if (out.length >= limit) break;
    }
    return out;
  }

  searchHash(sha256: string, limit: number): IndexedFile[] {
    const entries = this.byHash.get(sha256);
    if (!entries) return [];
    return [...entries].slice(0, limit);
  }

  /** Every distinct token in the index, for query routing tables. */
  tokens(): IterableIterator<string> {
    return this.postings.keys();
  }
}

/** True when the key is new. */
function addTo<K, V>(map: Map<K, Set<V>>, k: K, v: V): boolean {
  const set = map.get(k);
  if (set) {
    set.add(v);
    return false;
  }
  map.set(k, new Set([v]));
  return true;
}

/** True when the key is gone. */
function removeFrom<K, V>(map: Map<K, Set<V>>, k: K, v: V): boolean {
  const set = map.get(k);
  if (!set) return false;
  set.delete(v);
  if (set.size > 0) return false;
  map.delete(k);
  return true;
}
