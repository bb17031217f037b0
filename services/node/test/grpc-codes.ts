// Every gRPC status code, for asserting that a call ended with a real one.
import { status } from '@grpc/grpc-js';

export const GRPC_STATUS_CODES: ReadonlySet<number> = new Set(Object.values(status).filter((v): v is number => typeof v === 'number'));
