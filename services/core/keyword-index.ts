// The supernode's inverted index of its leaves' files: normalised token →
// files whose name contains it. A query matches a file when every term does.
// Postings hold the entry objects themselves (identity-hashed), not composite
// string keys: a million-peer simulation holds millions of entries.
import type { FileEntry } from './descriptor.js';
import { uniqueTokens } from './keywords.js';

export interface IndexedFile {
  owner: string;
  file: FileEntry;
}

export class KeywordIndex {
  private readonly postings = new Map<string, Set<IndexedFile>>();
  private readonly byHash = new Map<string, Set<IndexedFile>>();
  /** owner → sha256 → entry; the only place an entry is found by its key. */
  private readonly byOwner = new Map<string, Map<string, IndexedFile>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  ownerCount(owner: string): number {
    return this.byOwner.get(owner)?.size ?? 0;
  }

  add(owner: string, file: FileEntry): void {
    let files = this.byOwner.get(owner);
    if (files?.has(file.sha256)) this.remove(owner, file.sha256);
    files = this.byOwner.get(owner);
    if (!files) this.byOwner.set(owner, (files = new Map()));
    const entry: IndexedFile = { owner, file };
    files.set(file.sha256, entry);
    this.count++;
    for (const token of uniqueTokens(file.name)) addTo(this.postings, token, entry);
    addTo(this.byHash, file.sha256, entry);
  }

  remove(owner: string, sha256: string): boolean {
    const files = this.byOwner.get(owner);
    const entry = files?.get(sha256);
    if (!files || !entry) return false;
    files.delete(sha256);
    if (files.size === 0) this.byOwner.delete(owner);
    this.count--;
    for (const token of uniqueTokens(entry.file.name)) removeFrom(this.postings, token, entry);
    removeFrom(this.byHash, sha256, entry);
    return true;
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

function addTo<K, V>(map: Map<K, Set<V>>, k: K, v: V): void {
  let set = map.get(k);
  if (!set) map.set(k, (set = new Set()));
  set.add(v);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, k: K, v: V): void {
  const set = map.get(k);
  if (!set) return;
  set.delete(v);
  if (set.size === 0) map.delete(k);
}
