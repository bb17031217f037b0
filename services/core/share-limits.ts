// What one leaf may put into its supernode's index, and what the index may
// hold in all. A share list is the one thing a leaf sends that stays in the
// supernode's memory for as long as the leaf is attached, so it is bounded
// per leaf (files, token occurrences) and per supernode (estimated bytes).
import type { FileEntry } from './descriptor.js';
import { SuperpeerError } from './errors.js';
import { KeywordIndex } from './keyword-index.js';
import { MAX_FILES_PER_LEAF } from './limits.js';

/** Token occurrences one leaf may index: ten thousand files of ten words each. */
export const MAX_TOKENS_PER_LEAF = 100_000;
/** Estimated index bytes one supernode holds at most, over all its leaves. */
export const MAX_INDEX_BYTES = 256 * 1024 * 1024;

export type ShareRefusal = 'share_files' | 'share_tokens' | 'index_full';

export interface ShareLimits {
  maxFilesPerLeaf: number;
  maxTokensPerLeaf: number;
  maxIndexBytes: number;
}

export const DEFAULT_SHARE_LIMITS: ShareLimits = {
  maxFilesPerLeaf: MAX_FILES_PER_LEAF,
  maxTokensPerLeaf: MAX_TOKENS_PER_LEAF,
  maxIndexBytes: MAX_INDEX_BYTES,
};

/** A share update went past a cap; `reason` is what the node counts. */
export class ShareRefused extends SuperpeerError {
  constructor(
    readonly reason: ShareRefusal,
    message: string,
  ) {
    super('CAPACITY', message);
  }
}

/**
 * Adds files for an owner while they fit. Files past the per-leaf file cap
 * are refused all at once (nothing added); past the token or memory cap, the
 * files that fit are indexed and the rest refused.
 */
export function addWithinLimits(index: KeywordIndex, owner: string, add: readonly FileEntry[], limits: ShareLimits): void {
  const room = limits.maxFilesPerLeaf - index.ownerCount(owner);
  if (add.length > room) throw new ShareRefused('share_files', `at most ${limits.maxFilesPerLeaf} shared files per leaf`);
  for (let i = 0; i < add.length; i++) {
    const cost = KeywordIndex.fileCost(add[i]);
    if (index.ownerTokens(owner) + cost.tokens > limits.maxTokensPerLeaf) {
      throw new ShareRefused('share_tokens', `${add.length - i} files not indexed: at most ${limits.maxTokensPerLeaf} name tokens per leaf`);
    }
    if (index.bytes + cost.bytes > limits.maxIndexBytes) {
      throw new ShareRefused('index_full', `${add.length - i} files not indexed: this supernode's index is full (${limits.maxIndexBytes} bytes)`);
    }
    index.add(owner, add[i]);
  }
}
