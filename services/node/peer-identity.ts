// Who a mutual-TLS peer is, from its certificate. Every certificate of the
// overlay carries the overlay name (`--tls-server-name`, "superpeer") as a DNS
// SAN; a certificate may also name its role as `<role>.<overlay name>`
// (supernode, peer, client), as the chart's per-role certificates do. A
// same-CA certificate issued for some other service carries neither and is
// refused for overlay work. Checked on the server side of every overlay
// call (Link, Attach, Chord) and of /files, not only by diallers.
import type { PeerCertificate } from 'node:tls';
import { SuperpeerError } from '../core/errors.js';

/** id-kp-clientAuth (RFC 5280 §4.2.1.12). */
export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
/** Roles that take part in the overlay; `client` may search and download only. */
export const MEMBER_ROLES = ['supernode', 'peer'] as const;

/** What the caller wants to do: join the overlay (Link, Attach, Chord) or fetch a file. */
export type PeerUse = 'member' | 'transfer';

/** The DNS names of a certificate's subjectAltName. */
export function dnsNames(cert: Pick<PeerCertificate, 'subjectaltname'>): string[] {
  return (cert.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
}

/**
 * Undefined when the certificate may be used so; else why not. `cert`
 * is what the TLS socket reports (an empty object when none was sent).
 */
export function peerCertificateProblem(cert: Partial<PeerCertificate> | undefined, overlayName: string, use: PeerUse): string | undefined {
  if (!cert || !cert.subjectaltname && !cert.subject) return 'no client certificate';
  const name = overlayName.toLowerCase();
  const names = dnsNames({ subjectaltname: cert.subjectaltname ?? '' });
  if (!names.includes(name)) return `the certificate does not name the overlay (${overlayName})`;
  const eku = (cert as { ext_key_usage?: string[] }).ext_key_usage;
  if (eku && eku.length > 0 && !eku.includes(CLIENT_AUTH_OID)) return 'the certificate is not for client authentication (extended key usage)';
  const roles = names.filter((n) => n.endsWith(`.${name}`)).map((n) => n.slice(0, -name.length - 1));
  // A certificate naming no role is an overlay certificate of the single-certificate setup.
  if (use === 'member' && roles.length > 0 && !roles.some((r) => (MEMBER_ROLES as readonly string[]).includes(r))) {
    return `a ${roles.join('/')} certificate cannot join the overlay`;
  }
  return undefined;
}

/** The gRPC side: under mutual TLS, throws UNAUTHENTICATED (counted) unless the caller's certificate fits the use. */
export function checkCallerCertificate(
  node: { config: { tlsCa?: string; tlsServerName: string }; metrics: { refusals: { inc(labels: { reason: 'peer_certificate' }): void } } },
  call: { getAuthContext?(): { sslPeerCertificate?: PeerCertificate } | null },
  use: PeerUse,
): void {
  if (!node.config.tlsCa) return;
  const problem = peerCertificateProblem(call.getAuthContext?.()?.sslPeerCertificate, node.config.tlsServerName, use);
  if (!problem) return;
  node.metrics.refusals.inc({ reason: 'peer_certificate' });
  throw new SuperpeerError('UNAUTHENTICATED', problem);
}
