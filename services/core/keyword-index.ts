// The supernode's inverted index of its leaves' files: normalised token →
// files whose name contains it. A query matches a file when every term does.
import type { FileEntry } from './descriptor.js';
import { uniqueTokens } from './keywords.js';

export interface IndexedFile {
  owner: string;
  file: FileEntry;
}

export class KeywordIndex {
  private readonly postings = new Map<string, Set<string>>();
  private readonly byKey = new Map<string, IndexedFile>();
  private readonly byHash = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();

  get size(): number {
    return this.byKey.size;
  }

  ownerCount(owner: string): number {
    return this.byOwner.get(owner)?.size ?? 0;
  }

  add(owner: string, file: FileEntry): void {
    const key = keyOf(owner, file.sha256);
    if (this.byKey.has(key)) this.remove(owner, file.sha256);
    this.byKey.set(key, { owner, file });
    for (const token of uniqueTokens(file.name)) addTo(this.postings, token, key);
    addTo(this.byHash, file.sha256, key);
    addTo(this.byOwner, owner, key);
  }

  remove(owner: string, sha256: string): boolean {
    const key = keyOf(owner, sha256);
    const entry = this.byKey.get(key);
    if (!entry) return false;
    this.byKey.delete(key);
    for (const token of uniqueTokens(entry.file.name)) removeFrom(this.postings, token, key);
    removeFrom(this.byHash, sha256, key);
    removeFrom(this.byOwner, owner, key);
    return true;
  }

  removeOwner(owner: string): number {
    const keys = this.byOwner.get(owner);
    if (!keys) return 0;
    let n = 0;
    for (const key of [...keys]) if (this.remove(owner, this.byKey.get(key)!.file.sha256)) n++;
    return n;
  }

  filesOf(owner: string): FileEntry[] {
    return [...(this.byOwner.get(owner) ?? [])].map((k) => this.byKey.get(k)!.file);
  }

  /** Files whose names hold every term (already normalised tokens). */
  search(terms: readonly string[], limit: number): IndexedFile[] {
    if (terms.length === 0 || limit <= 0) return [];
    const sets: Set<string>[] = [];
    for (const term of terms) {
      const set = this.postings.get(term);
      if (!set) return [];
      sets.push(set);
    }
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    const out: IndexedFile[] = [];
    for (const key of smallest) {
      if (rest.every((s) => s.has(key))) {
        out.push(this.byKey.get(key)!);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  searchHash(sha256: string, limit: number): IndexedFile[] {
    const keys = this.byHash.get(sha256);
    if (!keys) return [];
    return [...keys].slice(0, limit).map((k) => this.byKey.get(k)!);
  }

  /** Every distinct token in the index, for query routing tables. */
  tokens(): IterableIterator<string> {
    return this.postings.keys();
  }
}

function keyOf(owner: string, sha256: string): string {
  return `${owner}\u0000${sha256}`;
}

function addTo(map: Map<string, Set<string>>, k: string, v: string): void {
  let set = map.get(k);
  if (!set) map.set(k, (set = new Set()));
  set.add(v);
}

function removeFrom(map: Map<string, Set<string>>, k: string, v: string): void {
  const set = map.get(k);
  if (!set) return;
  set.delete(v);
  if (set.size === 0) map.delete(k);
}
