// Error codes of the core mapped to gRPC statuses and HTTP statuses, in one place.
import { status, type ServiceError, Metadata } from '@grpc/grpc-js';
import type { ErrorCode } from '../core/errors.js';
import { isSuperpeerError } from '../core/errors.js';

const GRPC: Record<ErrorCode, status> = {
  BAD_DESCRIPTOR_ID: status.INVALID_ARGUMENT,
  TTL_ABOVE_CAP: status.INVALID_ARGUMENT,
  TTL_ZERO: status.INVALID_ARGUMENT,
  BAD_HOPS: status.INVALID_ARGUMENT,
  PAYLOAD_MISMATCH: status.INVALID_ARGUMENT,
  UNKNOWN_PAYLOAD: status.INVALID_ARGUMENT,
  MESSAGE_TOO_LARGE: status.RESOURCE_EXHAUSTED,
  EMPTY_QUERY: status.INVALID_ARGUMENT,
  QUERY_TOO_LONG: status.INVALID_ARGUMENT,
  TOO_MANY_TERMS: status.INVALID_ARGUMENT,
  BAD_HASH: status.INVALID_ARGUMENT,
  BAD_ADDRESS: status.INVALID_ARGUMENT,
  TOO_MANY_RESULTS: status.INVALID_ARGUMENT,
  BAD_FIELD: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  NOT_SUPERNODE: status.FAILED_PRECONDITION,
  CAPACITY: status.RESOURCE_EXHAUSTED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
  BAD_RANGE: status.OUT_OF_RANGE,
  CHOKED: status.UNAVAILABLE,
  DUPLICATE_LINK: status.ALREADY_EXISTS,
  IDENTITY_TAKEN: status.ALREADY_EXISTS,
  WIRE_VERSION: status.FAILED_PRECONDITION,
};

const HTTP: Partial<Record<ErrorCode, number>> = {
  BAD_HASH: 400,
  BAD_RANGE: 416,
  NOT_FOUND: 404,
  CHOKED: 503,
  RATE_LIMITED: 429,
  UNAUTHENTICATED: 401,
};

export function grpcStatusOf(code: ErrorCode): status {
  return GRPC[code];
}

export function httpStatusOf(code: ErrorCode): number {
  return HTTP[code] ?? 400;
}

/** Any thrown value as a gRPC error with a status and a one-line message. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const metadata = new Metadata();
  if (isSuperpeerError(err)) {
    metadata.set('superpeer-error-code', err.code);
    return { code: GRPC[err.code], details: `${err.code}: ${err.message}`, metadata };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details: message, metadata };
}
