// Transport credentials from PEM files. Certificate and key turn TLS on; a
// CA as well turns on mutual TLS, so a node without a certificate signed by
// that CA cannot link, attach, call or download.
//
// Nodes dial each other by IP address (pod IPs), which no certificate can
// list ahead of time. So every dialler checks one fixed overlay name instead
// (`tlsServerName`, default "superpeer"): every node certificate carries it
// as a DNS SAN, and gRPC and HTTPS clients verify the server against it.
import { readFileSync } from 'node:fs';
import type { AgentOptions } from 'node:https';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import * as grpc from '@grpc/grpc-js';

export const DEFAULT_TLS_SERVER_NAME = 'superpeer';

export interface TlsFiles {
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  /** The name diallers verify in server certificates (SAN). */
  tlsServerName?: string;
}

export function grpcServerCredentials(c: TlsFiles): grpc.ServerCredentials {
  if (!c.tlsCert || !c.tlsKey) return grpc.ServerCredentials.createInsecure();
  const ca = c.tlsCa ? readFileSync(c.tlsCa) : null;
  return grpc.ServerCredentials.createSsl(ca, [{ cert_chain: readFileSync(c.tlsCert), private_key: readFileSync(c.tlsKey) }], ca !== null);
}

export function grpcChannelCredentials(c: TlsFiles): grpc.ChannelCredentials {
  if (!c.tlsCa && !c.tlsCert) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(
    c.tlsCa ? readFileSync(c.tlsCa) : null,
    c.tlsKey ? readFileSync(c.tlsKey) : null,
    c.tlsCert ? readFileSync(c.tlsCert) : null,
  );
}

/** Channel options that make gRPC verify the overlay name rather than the dialled IP. */
export function grpcChannelOptions(c: TlsFiles): grpc.ChannelOptions {
  if (!c.tlsCa) return {};
  const name = c.tlsServerName || DEFAULT_TLS_SERVER_NAME;
  return { 'grpc.ssl_target_name_override': name, 'grpc.default_authority': name };
}

/**
 * HTTPS server options for transfers when cert and key are set. With a CA the
 * server asks for a client certificate but does not refuse the handshake
 * without one: /files then requires it (http-server.ts), while probes and
 * /metrics stay reachable for the kubelet and Prometheus.
 */
export function httpsServerOptions(c: TlsFiles): TlsOptions | undefined {
  if (!c.tlsCert || !c.tlsKey) return undefined;
  const ca = c.tlsCa ? readFileSync(c.tlsCa) : undefined;
  return { cert: readFileSync(c.tlsCert), key: readFileSync(c.tlsKey), ca, requestCert: ca !== undefined, rejectUnauthorized: false };
}

/** HTTPS client options for downloads when a CA is set: verify the overlay name, present our certificate. */
export function httpsClientOptions(c: TlsFiles): (AgentOptions & SecureContextOptions) | undefined {
  if (!c.tlsCa) return undefined;
  return {
    ca: readFileSync(c.tlsCa),
    cert: c.tlsCert ? readFileSync(c.tlsCert) : undefined,
    key: c.tlsKey ? readFileSync(c.tlsKey) : undefined,
    servername: c.tlsServerName || DEFAULT_TLS_SERVER_NAME,
  };
}
