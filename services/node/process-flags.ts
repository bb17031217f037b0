// Flags for the node processes a parent starts: the TypeScript loader when
// the parent runs from sources, and the V8 memory flags of a leaf.

/**
 * A leaf's process, as clusters and the image start it (measured by
 * services/bench/leaf-rss.ts, docs/benchmarks.md): a 1 MiB young generation
 * instead of V8's 16 MiB semi-spaces, an old-space cap (V8 then starts
 * collecting sooner; a leaf's heap is ~20 MiB with 200 files), and two V8
 * worker threads. deploy/Dockerfile sets the same flags in NODE_OPTIONS.
 */
export const LEAF_SEMI_SPACE_MIB = 1;
export const LEAF_OLD_SPACE_MIB = 256;
export const LEAF_V8_POOL_SIZE = 2;

/** V8 flags for a process that hosts one leaf. */
export function leafProcessFlags(): string[] {
  return [`--max-semi-space-size=${LEAF_SEMI_SPACE_MIB}`, `--max-old-space-size=${LEAF_OLD_SPACE_MIB}`, `--v8-pool-size=${LEAF_V8_POOL_SIZE}`];
}

/**
 * `--import <tsx>` by absolute URL, so a child started from sources finds the
 * loader wherever the parent's working directory is (a bare `tsx` resolves
 * from the working directory). Empty when the caller runs compiled code.
 */
export function sourceLoaderFlags(callerUrl: string): string[] {
  if (!callerUrl.endsWith('.ts')) return [];
  return ['--import', import.meta.resolve('tsx')];
}
