// One error class with a stable code per failure. The node maps codes to
// gRPC statuses and HTTP statuses in one place (services/node/status-map.ts).

export type ErrorCode =
  | 'BAD_DESCRIPTOR_ID'
  | 'TTL_ABOVE_CAP'
  | 'TTL_ZERO'
  | 'BAD_HOPS'
  | 'PAYLOAD_MISMATCH'
  | 'UNKNOWN_PAYLOAD'
  | 'MESSAGE_TOO_LARGE'
  | 'EMPTY_QUERY'
  | 'QUERY_TOO_LONG'
  | 'TOO_MANY_TERMS'
  | 'BAD_HASH'
  | 'BAD_ADDRESS'
  | 'TOO_MANY_RESULTS'
  | 'BAD_FIELD'
  | 'NOT_FOUND'
  | 'NOT_SUPERNODE'
  | 'CAPACITY'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'BAD_RANGE'
  | 'CHOKED'
  | 'DUPLICATE_LINK'
  | 'IDENTITY_TAKEN'
  | 'WIRE_VERSION';

export class SuperpeerError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'SuperpeerError';
    this.code = code;
  }
}

export function isSuperpeerError(e: unknown): e is SuperpeerError {
  return e instanceof SuperpeerError;
}
