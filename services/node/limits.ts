// Transport bounds of the node.
import { MAX_MESSAGE_BYTES } from '../core/limits.js';

/** Largest gRPC message either way; a bigger one fails with RESOURCE_EXHAUSTED. */
export const GRPC_MAX_MESSAGE_BYTES = MAX_MESSAGE_BYTES;

/**
 * Bytes one page of Status or one part of a Topology stream fills, under the
 * message cap with room to spare: a node's own answers are paged or streamed,
 * never refused for size, while what peers send stays capped.
 */
export const ANSWER_PART_BYTES = 48 * 1024;
