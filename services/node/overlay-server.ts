// Inbound overlay streams: Link from a neighbour supernode, Attach from a
// leaf. The first message must be a hello; afterwards descriptors go into
// the core, and whatever the core rejects is answered in-stream with a
// Reject so the link keeps serving well-formed traffic.
import * as grpc from '@grpc/grpc-js';
import { SuperpeerError, isSuperpeerError } from '../core/errors.js';
import { ShareRefused } from '../core/share-limits.js';
import { Supernode } from '../core/supernode.js';
import type { PeerInfo } from '../core/peer.js';
import { WIRE_VERSION, checkWireVersion, fromWire, hexToBytes, kindOfWire, peerFromWire, peerToWire } from './codec.js';
import type { ProtoGrpcType } from './generated/overlay.js';
import type { Descriptor__Output } from './generated/superpeer/v1/Descriptor.js';
import type { Descriptors__Output } from './generated/superpeer/v1/Descriptors.js';
import type { LeafMessage__Output } from './generated/superpeer/v1/LeafMessage.js';
import type { LinkMessage, LinkMessage__Output } from './generated/superpeer/v1/LinkMessage.js';
import type { OverlayHandlers } from './generated/superpeer/v1/Overlay.js';
import type { SupernodeMessage } from './generated/superpeer/v1/SupernodeMessage.js';
import type { ShareUpdate__Output } from './generated/superpeer/v1/ShareUpdate.js';
import type { AnyStream, SuperpeerNode } from './node.js';
import { PeerStream } from './peer-stream.js';
import { peerCertificateOf } from './identity-bindings.js';
import { handleChord, secretMatches } from './chord-server.js';
import { checkCallerCertificate } from './peer-identity.js';
import { grpcStatusOf } from './status-map.js';

/** The client certificate each inbound stream came with (mutual TLS), to refresh its identity's binding when it ends. */
const certs = new WeakMap<AnyStream, string | undefined>();

/** A hello must arrive this soon after a stream opens. */
export const HELLO_TIMEOUT_MS = 5_000;

export function registerOverlay(node: SuperpeerNode, server: grpc.Server, pkg: ProtoGrpcType): void {
  const handlers: OverlayHandlers = {
    Link: (call) => acceptLink(node, call),
    Attach: (call) => acceptLeaf(node, call),
    Chord: (call, callback) => handleChord(node, call, callback),
  };
  server.addService(pkg.superpeer.v1.Overlay.service, handlers);
}

function fail(call: grpc.ServerDuplexStream<unknown, unknown>, err: unknown): void {
  const e = isSuperpeerError(err) ? err : new SuperpeerError('BAD_FIELD', String(err));
  call.emit('error', { code: grpcStatusOf(e.code), details: `${e.code}: ${e.message}` });
}

/** A peer of another wire version is refused at its hello, and counted. */
export function refuseOtherVersion(node: SuperpeerNode, version: number, who: string): void {
  try {
    checkWireVersion(version, who);
  } catch (err) {
    node.metrics.refusals.inc({ reason: 'wire_version' });
    node.log.warn({ peer: who, version }, 'peer refused: wire version differs');
    throw err;
  }
}

function checkSecret(node: SuperpeerNode, secret: string): void {
  // Constant-time: the answer's timing does not tell how much of a guess was right.
  if (!secretMatches(node.config.secret, secret)) {
    throw new SuperpeerError('UNAUTHENTICATED', 'overlay secret does not match');
  }
}

/** Fault injection (faults.ts): a peer of a zone cut off is refused like an unreachable one. */
function refuseCutOff(node: SuperpeerNode, peer: PeerInfo): void {
  if (node.faults.blocks(peer.zone)) throw new SuperpeerError('UNAVAILABLE', `fault injection: zone ${peer.zone} is cut off from ${node.config.id}`);
}

/** Counts a stream waiting for its hello against maxPendingStreams; undefined when refused (the call is failed). */
function admitPending(node: SuperpeerNode, call: grpc.ServerDuplexStream<unknown, unknown>): (() => void) | undefined {
  try {
    return node.limits.admitPendingStream();
  } catch (err) {
    node.metrics.refusals.inc({ reason: 'pending_streams' });
    call.on('error', () => undefined);
    fail(call, err);
    return undefined;
  }
}

/**
 * The life of one inbound stream, Link or Attach alike: counted as pending
 * until its hello (which must come within HELLO_TIMEOUT_MS), then its
 * messages; what breaks a rule is rejected in-stream, and however the stream
 * ends the role forgets it once.
 */
function acceptStream<In, Out>(
  node: SuperpeerNode,
  call: grpc.ServerDuplexStream<In, Out>,
  role: {
    /** The first message: the stream now registered, or undefined when the call was answered and ended. */
    hello(msg: In): AnyStream | undefined;
    message(stream: AnyStream, msg: In): void;
    closed(stream: AnyStream): void;
  },
): void {
  let stream: AnyStream | undefined;
  const unpend = admitPending(node, call);
  if (!unpend) return;
  const helloTimer = setTimeout(() => fail(call, new SuperpeerError('BAD_FIELD', 'no hello within 5 s')), HELLO_TIMEOUT_MS);
  call.on('data', (msg: In) => {
    try {
      if (!stream) {
        clearTimeout(helloTimer);
        unpend();
        stream = role.hello(msg);
        return;
      }
      role.message(stream, msg);
    } catch (err) {
      if (!stream) return fail(call, err);
      rejectIn(stream, err);
    }
  });
  const done = () => {
    clearTimeout(helloTimer);
    unpend();
    if (stream) role.closed(stream);
    stream = undefined;
  };
  call.on('end', () => {
    done();
    call.end();
  });
  call.on('error', done);
  call.on('close', done);
  call.on('cancelled', done);
}

function acceptLink(node: SuperpeerNode, call: grpc.ServerDuplexStream<LinkMessage__Output, LinkMessage>): void {
  acceptStream(node, call, {
    hello(msg) {
      if (msg.body !== 'hello' || !msg.hello) throw new SuperpeerError('BAD_FIELD', 'the first message of a link is a hello');
      checkCallerCertificate(node, call, 'member');
      checkSecret(node, msg.hello.secret);
      refuseOtherVersion(node, msg.hello.wire_version, msg.hello.node?.node_id || 'a peer');
      if (!(node.core instanceof Supernode)) throw new SuperpeerError('NOT_SUPERNODE', `${node.config.id} is a leaf`);
      const peer = peerFromWire(msg.hello.node);
      refuseCutOff(node, peer);
      if (peer.nodeId === node.config.id) throw new SuperpeerError('BAD_FIELD', 'a node does not link to itself');
      if (!node.neighbours) throw new SuperpeerError('NOT_SUPERNODE', 'not accepting links');
      const s = new PeerStream<LinkMessage>(node.newStreamId('link'), 'neighbour', peer, call, false);
      const cert = peerCertificateOf(call);
      try {
        node.identities.claim(`node:${peer.nodeId}`, cert);
        node.neighbours.admit(s); // throws CAPACITY when full
        certs.set(s, cert);
      } catch (err) {
        if (isSuperpeerError(err) && err.code === 'CAPACITY') node.metrics.refusals.inc({ reason: 'link_capacity' });
        if (isSuperpeerError(err) && (err.code === 'IDENTITY_TAKEN' || err.code === 'DUPLICATE_LINK')) node.metrics.refusals.inc({ reason: 'identity_taken' });
        throw err;
      }
      call.write({ hello: { node: peerToWire(node.info()), mode: node.config.mode, secret: node.config.secret ?? '', wire_version: WIRE_VERSION } });
      return s;
    },
    message: (stream, msg) => onLinkMessage(node, stream, msg),
    closed: (stream) => {
      node.identities.claim(`node:${stream.peer.nodeId}`, certs.get(stream));
      node.neighbours?.closed(stream);
    },
  });
}

/** Messages after the hello on a Link, from either end. */
export function onLinkMessage(node: SuperpeerNode, stream: AnyStream, msg: LinkMessage__Output): void {
  switch (msg.body) {
    case 'descriptor':
      return receiveDescriptor(node, stream, msg.descriptor);
    case 'batch':
      return receiveBatch(node, stream, msg.batch);
    case 'reject':
      node.log.debug({ peer: stream.peer.nodeId, code: msg.reject?.code, message: msg.reject?.message }, 'peer rejected a descriptor');
      return;
    case 'route_table':
      if (!msg.route_table || !node.neighbours) throw new SuperpeerError('BAD_FIELD', 'route table without a supernode to take it');
      return node.neighbours.routeTableFrom(stream, msg.route_table.bits, msg.route_table.table);
    case 'neighbourhood':
      if (!msg.neighbourhood || !node.neighbours) throw new SuperpeerError('BAD_FIELD', 'neighbourhood without a supernode to take it');
      return node.neighbours.neighbourhoodFrom(stream, msg.neighbourhood);
    default:
      throw new SuperpeerError('UNKNOWN_PAYLOAD', `unexpected ${msg.body ?? 'empty'} message on a link`);
  }
}

function acceptLeaf(node: SuperpeerNode, call: grpc.ServerDuplexStream<LeafMessage__Output, SupernodeMessage>): void {
  acceptStream(node, call, {
    hello(msg) {
      if (msg.body !== 'hello' || !msg.hello) throw new SuperpeerError('BAD_FIELD', 'the first message of an attach is a hello');
      checkCallerCertificate(node, call, 'member');
      checkSecret(node, msg.hello.secret);
      refuseOtherVersion(node, msg.hello.wire_version, msg.hello.node?.node_id || 'a leaf');
      const sn = node.core;
      if (!(sn instanceof Supernode)) throw new SuperpeerError('NOT_SUPERNODE', `${node.config.id} is a leaf`);
      const peer = peerFromWire(msg.hello.node);
      refuseCutOff(node, peer);
      const s = new PeerStream<SupernodeMessage>(node.newStreamId('leaf'), 'leaf', peer, call, false);
      const cert = peerCertificateOf(call);
      try {
        node.identities.claim(`servent:${peer.serventId}`, cert);
        sn.attachLeaf(s.id, peer);
        certs.set(s, cert);
      } catch (err) {
        if (isSuperpeerError(err) && err.code === 'IDENTITY_TAKEN') node.metrics.refusals.inc({ reason: 'identity_taken' });
        if (isSuperpeerError(err) && err.code === 'CAPACITY') {
          node.metrics.refusals.inc({ reason: 'leaf_capacity' });
          call.write({ redirect: { reason: err.message, alternatives: node.neighbours?.alternatives(peer.zone) ?? [] } });
          call.end();
          return undefined;
        }
        throw err;
      }
      s.candidate = { eligible: msg.hello.elected && !peer.firewalled, lastChangeMs: Number(msg.hello.last_role_change_ms) || 0 };
      node.streams.set(s.id, s);
      call.write({
        welcome: { supernode: { ...peerToWire(node.info()), leaves: sn.leafCount }, wire_version: WIRE_VERSION, alternatives: node.neighbours?.alternatives(peer.zone) ?? [] },
      });
      return s;
    },
    message: (stream, msg) => onLeafMessage(node, stream, msg),
    closed(stream) {
      // The holder's claim outlives its stream by BINDING_TTL_MS.
      node.identities.claim(`servent:${stream.peer.serventId}`, certs.get(stream));
      node.streams.delete(stream.id);
      if (node.core instanceof Supernode) node.core.detachLeaf(stream.id);
    },
  });
}

function onLeafMessage(node: SuperpeerNode, stream: AnyStream, msg: LeafMessage__Output): void {
  const sn = node.core;
  switch (msg.body) {
    case 'descriptor':
      return receiveDescriptor(node, stream, msg.descriptor);
    case 'batch':
      return receiveBatch(node, stream, msg.batch);
    case 'shares':
      if (!(sn instanceof Supernode)) throw new SuperpeerError('NOT_SUPERNODE', 'no longer a supernode');
      return receiveShares(node, sn, stream, msg.shares);
    case 'route_table':
      return;
    default:
      throw new SuperpeerError('UNKNOWN_PAYLOAD', `unexpected ${msg.body ?? 'empty'} message from a leaf`);
  }
}

/** A share update within the leaf's byte budget goes into the index; refusals are counted by reason. */
function receiveShares(node: SuperpeerNode, sn: Supernode, stream: AnyStream, wire: ShareUpdate__Output | null | undefined): void {
  const update = sharesFromWire(wire);
  if (!node.limits.admitShareUpdate(stream, shareUpdateBytes(update))) {
    node.metrics.refusals.inc({ reason: 'share_rate' });
    throw new SuperpeerError('RATE_LIMITED', `share updates over ${node.config.shareUpdateRate} bytes/s; send the whole list again later`);
  }
  try {
    sn.updateShares(stream.id, update);
  } catch (err) {
    if (err instanceof ShareRefused) node.metrics.refusals.inc({ reason: err.reason });
    throw err;
  }
}

/** About the bytes an update took on the wire. */
function shareUpdateBytes(u: ReturnType<typeof sharesFromWire>): number {
  let bytes = 8;
  for (const f of u.add) bytes += 80 + f.name.length;
  return bytes + 66 * u.remove.length;
}

export function sharesFromWire(u: ShareUpdate__Output | null | undefined) {
  if (!u) throw new SuperpeerError('BAD_FIELD', 'empty share update');
  return {
    add: u.add.map((f) => ({ sha256: f.sha256, name: f.name, size: Number(f.size) })),
    remove: u.remove,
    reset: u.reset,
  };
}

/** Each descriptor of a batch as if it came alone: a bad one is rejected, the rest still go in. */
export function receiveBatch(node: SuperpeerNode, stream: AnyStream, batch: Descriptors__Output | null | undefined): void {
  if (!batch) throw new SuperpeerError('BAD_FIELD', 'empty batch');
  for (const d of batch.descriptors) {
    try {
      receiveDescriptor(node, stream, d);
    } catch (err) {
      rejectIn(stream, err);
    }
  }
}

/** Decodes and hands a descriptor to the core; wire-level faults are counted here. */
export function receiveDescriptor(node: SuperpeerNode, stream: AnyStream, wire: Descriptor__Output | null | undefined): void {
  if (!wire) throw new SuperpeerError('BAD_FIELD', 'empty descriptor');
  if (!node.limits.admitDescriptor(stream)) {
    // Dropped unread, without a Reject: answering a flood would double it.
    node.metrics.descriptors.inc({ type: kindOfWire(wire), fate: 'rate_limited' });
    node.metrics.refusals.inc({ reason: 'descriptor_rate' });
    return;
  }
  let d;
  try {
    d = fromWire(wire);
  } catch (err) {
    node.metrics.descriptors.inc({ type: kindOfWire(wire), fate: 'invalid' });
    throw withId(err, wire);
  }
  try {
    node.core.receive(stream.id, d);
  } catch (err) {
    throw withId(err, wire);
  }
}

class RejectedDescriptor extends Error {
  constructor(
    readonly inner: unknown,
    readonly descriptorId: Buffer | null,
  ) {
    super(String(inner));
  }
}

function withId(err: unknown, wire: Descriptor__Output): RejectedDescriptor {
  return new RejectedDescriptor(err, wire.header?.descriptor_id ?? null);
}

/** Tells the peer what was wrong, in-stream; the stream stays up. */
export function rejectIn(stream: AnyStream, err: unknown): void {
  const id = err instanceof RejectedDescriptor ? err.descriptorId : null;
  const cause = err instanceof RejectedDescriptor ? err.inner : err;
  const e = isSuperpeerError(cause) ? cause : new SuperpeerError('BAD_FIELD', String(cause));
  stream.write({ reject: { descriptor_id: id ?? hexToBytes(''), code: e.code, message: e.message } });
}

export type { PeerInfo };
