// Transport bounds of the node.
import { MAX_MESSAGE_BYTES } from '../core/limits.js';

/** Largest gRPC message either way; a bigger one fails with RESOURCE_EXHAUSTED. */
export const GRPC_MAX_MESSAGE_BYTES = MAX_MESSAGE_BYTES;
