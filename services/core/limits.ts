// Bounds on everything a peer can send. Each one keeps a hostile or broken
// peer from growing our memory or work without limit.

/** Largest encoded message accepted on any stream (gRPC max receive size). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Gnutella servents cap query strings near 256 bytes. */
export const MAX_QUERY_CHARS = 256;
export const MAX_QUERY_TERMS = 16;
/** Results in one QueryHit; more files answer in several hits. */
export const MAX_RESULTS_PER_HIT = 64;
export const MAX_FILE_NAME_CHARS = 512;
export const MAX_NODE_ID_CHARS = 128;
export const MAX_ADDRESS_CHARS = 262;
export const MAX_ZONE_CHARS = 64;
/** A path never exceeds the hop cap plus the answering node. */
export const MAX_PATH_ENTRIES = 8;
export const MAX_TOKEN_CHARS = 128;
/** Files one leaf may have indexed at its supernode. */
export const MAX_FILES_PER_LEAF = 10_000;
/** Results a search keeps before it closes. */
export const MAX_SEARCH_RESULTS = 1_000;
