import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { CliError } from '../cli-error.js';
import { credentialsFromEnv, EXIT_FAILURE, EXIT_USAGE, grpcErrorToCliError, parseTarget } from '../grpc-client.js';

test('parseTarget accepts host:port forms and rejects the rest with a clear message', () => {
  for (const ok of ['127.0.0.1:6346', 'localhost:1', 'sn-0.superpeer.svc:65535', '[::1]:6346']) assert.equal(parseTarget(ok), ok);
  for (const bad of ['', 'nope', '127.0.0.1', ':6346', '127.0.0.1:0', '127.0.0.1:70000', 'a b:1', 'http://x:1']) {
    assert.throws(() => parseTarget(bad), /expected HOST:PORT|port must be 1-65535/, bad);
  }
});

const serviceError = (code: grpc.status, details: string): grpc.ServiceError =>
  Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata: new grpc.Metadata() });

test('gRPC failures become one-line CliErrors with the status name and exit codes 1 or 2', () => {
  const down = grpcErrorToCliError(serviceError(grpc.status.UNAVAILABLE, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:9. Resolution note: '), '127.0.0.1:9', 'search');
  assert.equal(down.message, 'cannot reach 127.0.0.1:9 (UNAVAILABLE): No connection established. Last error: connect ECONNREFUSED 127.0.0.1:9');
  assert.equal(down.exitCode, EXIT_FAILURE);
  const slow = grpcErrorToCliError(serviceError(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded'), 'h:1', 'topology');
  assert.equal(slow.message, 'topology on h:1 timed out (DEADLINE_EXCEEDED): Deadline exceeded');
  const bad = grpcErrorToCliError(serviceError(grpc.status.INVALID_ARGUMENT, 'query has no terms\nmore'), 'h:1', 'search');
  assert.equal(bad.message, 'h:1 rejected the search request (INVALID_ARGUMENT): query has no terms');
  assert.equal(bad.exitCode, EXIT_USAGE);
  const other = grpcErrorToCliError(new Error('weird'), 'h:1', 'status');
  assert.ok(other instanceof CliError);
  assert.equal(other.message, 'status on h:1 failed: weird');
});

test('TLS from the environment: none set is insecure; half a key pair or a missing file is a usage error', () => {
  assert.equal(credentialsFromEnv({})._isSecure(), false);
  assert.throws(() => credentialsFromEnv({ SUPERPEER_TLS_CERT: '/x' }), (e: unknown) => e instanceof CliError && e.exitCode === EXIT_USAGE);
  assert.throws(() => credentialsFromEnv({ SUPERPEER_TLS_CA: '/nonexistent/ca.pem' }), /cannot read SUPERPEER_TLS_CA file/);
});
