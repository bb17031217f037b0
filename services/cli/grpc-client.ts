// The CLI's side of the Client service: connect to a node, validate the
// --target it was given, and turn gRPC failures into one-line CliErrors.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { InvalidArgumentError } from 'commander';
import { loadProto } from '../node/proto.js';
import { DEFAULT_TLS_SERVER_NAME } from '../node/tls.js';
import type { ClientClient } from '../node/generated/superpeer/v1/Client.js';
import { CliError } from './cli-error.js';

export type { ClientClient };

/** Exit code for a command line the user got wrong (bad flag, bad value). */
export const EXIT_USAGE = 2;
/** Exit code for everything else that failed (node unreachable, call failed). */
export const EXIT_FAILURE = 1;

/** Default for how long waitForReady keeps trying a node that is still starting. */
export const DEFAULT_READY_TIMEOUT_MS = 5_000;

// Larger than any Topology of a local cluster (thousands of nodes with their file lists).
const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

export interface ConnectOptions {
  /** Explicit credentials; otherwise TLS from SUPERPEER_TLS_* or insecure. */
  credentials?: grpc.ChannelCredentials;
  /** Where to read SUPERPEER_TLS_CA/CERT/KEY from (default process.env). */
  env?: Record<string, string | undefined>;
}

/**
 * Validate "host:port" (host may be a name, IPv4, or [IPv6]); returns it unchanged.
 * Throws commander's InvalidArgumentError so a bad flag is a usage error.
 */
export function parseTarget(value: string): string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected HOST:PORT (e.g. 127.0.0.1:6346), got "${value}"`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new InvalidArgumentError(`port must be 1-65535, got ${m[2]}`);
  return value.trim();
}

/** Credentials from SUPERPEER_TLS_CA/CERT/KEY when any is set, else insecure. */
export function credentialsFromEnv(env: Record<string, string | undefined> = process.env): grpc.ChannelCredentials {
  const { SUPERPEER_TLS_CA: ca, SUPERPEER_TLS_CERT: cert, SUPERPEER_TLS_KEY: key } = env;
  if (!ca && !cert && !key) return grpc.credentials.createInsecure();
  if (Boolean(cert) !== Boolean(key)) {
    throw new CliError('SUPERPEER_TLS_CERT and SUPERPEER_TLS_KEY must be set together', EXIT_USAGE);
  }
  const read = (name: string, file: string | undefined): Buffer | null => {
    if (!file) return null;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new CliError(`cannot read ${name} file ${file}: ${(err as Error).message}`, EXIT_USAGE);
    }
  };
  return grpc.credentials.createSsl(read('SUPERPEER_TLS_CA', ca), read('SUPERPEER_TLS_KEY', key), read('SUPERPEER_TLS_CERT', cert));
}

/**
 * With a CA set, verify the overlay name every node certificate carries
 * (SUPERPEER_TLS_SERVER_NAME, default "superpeer") rather than the dialled
 * address, as nodes do among themselves (node/tls.ts).
 */
export function tlsNameOptions(env: Record<string, string | undefined> = process.env): grpc.ChannelOptions {
  if (!env.SUPERPEER_TLS_CA) return {};
  const name = env.SUPERPEER_TLS_SERVER_NAME || DEFAULT_TLS_SERVER_NAME;
  return { 'grpc.ssl_target_name_override': name, 'grpc.default_authority': name };
}

/** A typed Client-service stub for `target` (host:port). Close it when done. */
export function connectClient(target: string, opts: ConnectOptions = {}): ClientClient {
  const { pkg } = loadProto();
  const credentials = opts.credentials ?? credentialsFromEnv(opts.env);
  return new pkg.superpeer.v1.Client(target, credentials, {
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
    ...(opts.credentials ? {} : tlsNameOptions(opts.env)),
  });
}

/** Resolve once the channel is connected; reject with a CliError at the deadline. */
export function waitForReady(client: grpc.Client, target: string, timeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (err) => {
      if (err) reject(new CliError(`cannot reach ${target}: not ready within ${timeoutMs} ms (${err.message})`));
      else resolve();
    });
  });
}

/** Absolute deadline for CallOptions, `ms` from now. */
export function deadlineIn(ms: number): Date {
  return new Date(Date.now() + ms);
}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number' && 'details' in err;
}

/**
 * One line for a failed call: what failed, where, the gRPC status name and the
 * server's details. `what` names the call, e.g. "search" or "status".
 */
export function grpcErrorToCliError(err: unknown, target: string, what: string): CliError {
  if (err instanceof CliError) return err;
  if (!isServiceError(err)) return new CliError(`${what} on ${target} failed: ${(err as Error)?.message ?? String(err)}`);
  const name = grpc.status[err.code] ?? `code ${err.code}`;
  // grpc-js appends an empty "Resolution note:" to connection failures
  const details = (err.details || err.message || '').split('\n')[0].replace(/\.?\s*Resolution note:\s*$/, '');
  switch (err.code) {
    case grpc.status.UNAVAILABLE:
      return new CliError(`cannot reach ${target} (${name}): ${details}`);
    case grpc.status.DEADLINE_EXCEEDED:
      return new CliError(`${what} on ${target} timed out (${name}): ${details}`);
    case grpc.status.INVALID_ARGUMENT:
    case grpc.status.OUT_OF_RANGE:
      return new CliError(`${target} rejected the ${what} request (${name}): ${details}`, EXIT_USAGE);
    case grpc.status.UNIMPLEMENTED:
      return new CliError(`${target} does not serve ${what} (${name}): ${details}`);
    default:
      return new CliError(`${what} on ${target} failed (${name}): ${details}`);
  }
}

/** Promise form of a unary call that maps failures through grpcErrorToCliError. */
export function unary<Res>(
  target: string,
  what: string,
  call: (callback: (err: grpc.ServiceError | null, res?: Res) => void) => void,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    call((err, res) => {
      if (err) reject(grpcErrorToCliError(err, target, what));
      else if (res === undefined) reject(new CliError(`${what} on ${target} returned no response`));
      else resolve(res);
    });
  });
}
