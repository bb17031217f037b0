// Under mutual TLS, an identity (a leaf's servent ID, a neighbour's node ID)
// is bound to the certificate that first claimed it: another certificate
// may not claim it while it is held, nor for BINDING_TTL_MS after the holder
// left, so an impostor cannot step in while the holder reconnects. Without
// mutual TLS there is no certificate: identities are bound to their streams
// only (core/supernode.ts, neighbours.ts).
import { SuperpeerError } from '../core/errors.js';
import { ExpiringMap } from '../core/expiring-map.js';

/** A departed holder's claim lasts this long. */
export const BINDING_TTL_MS = 10 * 60_000;
/** Identities remembered at most (oldest forgotten first). */
export const MAX_BINDINGS = 100_000;

export class IdentityBindings {
  private readonly bound = new ExpiringMap<string, string>({ maxEntries: MAX_BINDINGS, ttlMs: BINDING_TTL_MS, now: () => Date.now() });

  /** Throws IDENTITY_TAKEN when `identity` is bound to another certificate; else binds it (again) to `cert`. */
  claim(identity: string, cert: string | undefined): void {
    if (!cert) return;
    const holder = this.bound.get(identity);
    if (holder !== undefined && holder !== cert) {
      throw new SuperpeerError('IDENTITY_TAKEN', `${identity} is bound to another certificate`);
    }
    this.bound.set(identity, cert);
  }

  get size(): number {
    return this.bound.size;
  }
}

interface AuthContextCall {
  getAuthContext?(): { sslPeerCertificate?: { fingerprint256?: string } } | undefined;
}

/** The SHA-256 fingerprint of the client certificate of a server call, when the connection has one. */
export function peerCertificateOf(call: unknown): string | undefined {
  const c = call as AuthContextCall;
  return c.getAuthContext?.()?.sslPeerCertificate?.fingerprint256;
}
