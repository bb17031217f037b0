// The inbound Chord call (dht mode). Only overlay members may call: the
// overlay secret in the `superpeer-secret` metadata when one is set, and
// under mutual TLS a certificate that names the overlay and a member role. Each caller connection has a
// rate; a notify must name a supernode of the directory. Answers go back in
// the call's reply, never to an address the message names.
import { timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { LOOKUP_TIMEOUT_MS, type ChordMessage } from '../core/chord.js';
import { SuperpeerError } from '../core/errors.js';
import { chordFromWire, chordTarget, chordToWire } from './chord-codec.js';
import { SECRET_METADATA, positionIds } from './dht.js';
import { checkCallerCertificate } from './peer-identity.js';
import type { ChordAck } from './generated/superpeer/v1/ChordAck.js';
import type { ChordMessage__Output } from './generated/superpeer/v1/ChordMessage.js';
import type { SuperpeerNode } from './node.js';
import { toServiceError } from './status-map.js';

export function handleChord(
  node: SuperpeerNode,
  call: grpc.ServerUnaryCall<ChordMessage__Output, ChordAck>,
  callback: grpc.sendUnaryData<ChordAck>,
): void {
  let answered = false;
  const answer = (err: unknown, reply?: ChordMessage) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    if (err) callback(toServiceError(err));
    else callback(null, reply ? { reply: chordToWire(reply) } : {});
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const dht = node.dht;
    if (!dht) throw new SuperpeerError('NOT_SUPERNODE', `${node.config.id} is not a member of a Chord ring (dht mode, supernodes only)`);
    checkCallerCertificate(node, call, 'member');
    if (!secretMatches(node.config.secret, call.metadata.get(SECRET_METADATA)[0])) {
      node.metrics.refusals.inc({ reason: 'chord_auth' });
      throw new SuperpeerError('UNAUTHENTICATED', 'Chord calls need the overlay secret');
    }
    if (!node.limits.admitChord(call.getPeer())) {
      node.metrics.refusals.inc({ reason: 'chord_rate' });
      throw new SuperpeerError('RATE_LIMITED', `more than ${node.config.chordRate} Chord calls/s on this connection`);
    }
    const m = chordFromWire(call.request);
    if (m.type === 'notify' && !inDirectory(node, m.from)) {
      node.metrics.refusals.inc({ reason: 'chord_unknown_member' });
      throw new SuperpeerError('UNAUTHENTICATED', `${m.from.address} is not a supernode of the directory`);
    }
    // Stabilising against us also notifies us: the state is answered, the notify only from the directory.
    if (m.type === 'get_state' && m.notify && !inDirectory(node, m.from)) {
      node.metrics.refusals.inc({ reason: 'chord_unknown_member' });
      m.notify = false;
    }
    if (m.type === 'find_successor') {
      // A forwarded lookup answers when the rest of the path does, or not at all.
      timer = setTimeout(() => answer(null), LOOKUP_TIMEOUT_MS);
      timer.unref();
    }
    dht.member.receive(chordTarget(call.request), m, (reply) => answer(null, reply));
    if (m.type !== 'find_successor') answer(null);
  } catch (err) {
    answer(err);
  }
}

/** Constant-time compare; no secret configured lets every caller through. */
export function secretMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected) return true;
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A notify makes its sender our predecessor and hands it records: it must be
 * a supernode the directory lists at that address, at one of its ring
 * positions. Without
 * a directory (seeds only, or the registry not read yet) the secret is the check.
 */
function inDirectory(node: SuperpeerNode, from: { id: number; address: string }): boolean {
  const directory = node.registry?.cachedDirectory() ?? [];
  if (directory.length === 0) return true;
  return directory.some((e) => e.grpcAddress === from.address && positionIds(e.id).includes(from.id));
}
