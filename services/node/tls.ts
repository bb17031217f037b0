// Transport credentials from PEM files. Certificate and key turn TLS on; a
// CA as well turns on mutual TLS, so a node without a certificate signed by
// that CA cannot link, attach or call.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';

export interface TlsFiles {
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
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
