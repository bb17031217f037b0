// The files this node shares, addressed only by content hash. Files are served
// from here by sha256, never by a path a client supplied.
//
// The scan is recursive (bounded depth and count), follows no symlinks (they
// could point outside the share directory), and skips dotfiles and partial
// downloads (*.part). A rescan re-hashes only files whose size or mtime changed.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FileEntry } from '../core/descriptor.js';

/** Deep enough for music/<artist>/<album>; bounded so a hostile tree cannot stall us. */
export const MAX_SCAN_DEPTH = 8;
/** More than any test or pod shares; keeps memory and share lists bounded. */
export const MAX_SHARED_FILES = 100_000;
const PARTIAL_SUFFIX = '.part';

export interface IndexedFile extends FileEntry {
  path: string;
  mtimeMs: number;
}

export interface OpenedFile {
  entry: FileEntry;
  size: number;
  /** Bytes [start, endInclusive] of the file. */
  stream(start: number, endInclusive: number): Readable;
}

export interface ShareDelta {
  add: FileEntry[];
  remove: string[];
}

/** sha256 of a file, streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class ShareIndex {
  private readonly byHash = new Map<string, IndexedFile>();
  private readonly byPath = new Map<string, IndexedFile>();

  constructor(readonly dir: string) {}

  get size(): number {
    return this.byHash.size;
  }

  files(): FileEntry[] {
    return [...this.byHash.values()].map(({ sha256, name, size }) => ({ sha256, name, size }));
  }

  has(sha256: string): boolean {
    return this.byHash.has(sha256);
  }

  get(sha256: string): FileEntry | undefined {
    const f = this.byHash.get(sha256);
    return f && { sha256: f.sha256, name: f.name, size: f.size };
  }

  /**
   * A shared file by hash, if it is still the file that was hashed (same size
   * and mtime); a changed file is not served until the next refresh re-hashes it.
   */
  async open(sha256: string): Promise<OpenedFile | undefined> {
    const f = this.byHash.get(sha256);
    if (!f) return undefined;
    try {
      const st = await stat(f.path);
      if (!st.isFile() || st.size !== f.size || st.mtimeMs !== f.mtimeMs) return undefined;
    } catch {
      return undefined;
    }
    return {
      entry: { sha256: f.sha256, name: f.name, size: f.size },
      size: f.size,
      stream: (start, endInclusive) => createReadStream(f.path, { start, end: endInclusive }),
    };
  }

  /** Rescan the directory; returns what appeared and what went away. */
  async refresh(): Promise<ShareDelta> {
    const seen = new Map<string, { size: number; mtimeMs: number }>();
    await this.walk(this.dir, 0, seen);
    const before = new Set(this.byHash.keys());
    const next = new Map<string, IndexedFile>();
    for (const [file, st] of seen) {
      const old = this.byPath.get(file);
      let sha256: string;
      if (old && old.size === st.size && old.mtimeMs === st.mtimeMs) {
        sha256 = old.sha256;
      } else {
        try {
          sha256 = await hashFile(file);
        } catch {
          continue; // vanished or unreadable between listing and hashing
        }
      }
      next.set(file, { sha256, name: path.basename(file), size: st.size, mtimeMs: st.mtimeMs, path: file });
    }
    this.byPath.clear();
    this.byHash.clear();
    for (const f of [...next.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      this.byPath.set(f.path, f);
      if (!this.byHash.has(f.sha256)) this.byHash.set(f.sha256, f); // duplicates: first path wins
    }
    const add = [...this.byHash.values()].filter((f) => !before.has(f.sha256)).map(({ sha256, name, size }) => ({ sha256, name, size }));
    const remove = [...before].filter((h) => !this.byHash.has(h));
    return { add, remove };
  }

  private async walk(dir: string, depth: number, out: Map<string, { size: number; mtimeMs: number }>): Promise<void> {
    if (depth > MAX_SCAN_DEPTH) return;
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      return;
    }
    for await (const dirent of handle) {
      if (out.size >= MAX_SHARED_FILES) break;
      if (dirent.name.startsWith('.') || dirent.name.endsWith(PARTIAL_SUFFIX)) continue;
      const full = path.join(dir, dirent.name);
      if (dirent.isDirectory()) {
        await this.walk(full, depth + 1, out);
      } else if (dirent.isFile()) {
        try {
          const st = await lstat(full);
          if (st.isFile()) out.set(full, { size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          // removed while scanning
        }
      }
    }
  }
}
