// Wire ↔ core conversion of Chord messages (dht mode), with the checks a
// message from the network needs before the core sees it.
import type { ChordMessage, ChordRef } from '../core/chord.js';
import { SuperpeerError } from '../core/errors.js';
import { isSha256 } from '../core/ids.js';
import { checkAddress } from '../core/validate.js';
import type { ChordMessage as WireChord, ChordMessage__Output } from './generated/superpeer/v1/ChordMessage.js';
import type { ChordRef__Output } from './generated/superpeer/v1/ChordRef.js';

/** Providers per record and per answer: bounded like every table. */
export const MAX_PROVIDERS = 64;
const MAX_SUCCESSORS = 16;

function ref(r: ChordRef__Output | null | undefined): ChordRef {
  if (!r) throw new SuperpeerError('BAD_FIELD', 'chord message without a node reference');
  checkAddress(r.address);
  return { id: r.id >>> 0, address: r.address };
}

function providers(list: string[]): string[] {
  if (list.length > MAX_PROVIDERS) throw new SuperpeerError('TOO_MANY_RESULTS', `at most ${MAX_PROVIDERS} providers`);
  for (const p of list) parseProvider(p);
  return list;
}

function hash(h: string): string {
  if (!isSha256(h)) throw new SuperpeerError('BAD_HASH', 'chord key must be a sha256');
  return h;
}

export function chordFromWire(w: ChordMessage__Output): ChordMessage {
  switch (w.body) {
    case 'find_successor': {
      const m = w.find_successor!;
      return { type: 'find_successor', req: Number(m.req), key: m.key >>> 0, origin: ref(m.origin), hops: Math.min(m.hops, 64) };
    }
    case 'found':
      return { type: 'found', req: Number(w.found!.req), node: ref(w.found!.node), hops: w.found!.hops };
    case 'get_state':
      return { type: 'get_state', req: Number(w.get_state!.req), from: ref(w.get_state!.from) };
    case 'state': {
      const m = w.state!;
      if (m.successors.length > MAX_SUCCESSORS) throw new SuperpeerError('BAD_FIELD', 'successor list too long');
      return { type: 'state', req: Number(m.req), predecessor: m.predecessor ? ref(m.predecessor) : null, successors: m.successors.map(ref) };
    }
    case 'notify':
      return { type: 'notify', from: ref(w.notify!.from) };
    case 'store':
      return { type: 'store', sha256: hash(w.store!.sha256), providers: providers(w.store!.providers) };
    case 'fetch':
      return { type: 'fetch', req: Number(w.fetch!.req), sha256: hash(w.fetch!.sha256), from: ref(w.fetch!.from) };
    case 'providers':
      return { type: 'providers', req: Number(w.providers!.req), providers: providers(w.providers!.providers) };
    default:
      throw new SuperpeerError('UNKNOWN_PAYLOAD', 'empty chord message');
  }
}

export function chordToWire(m: ChordMessage): WireChord {
  switch (m.type) {
    case 'find_successor':
      return { find_successor: { req: m.req, key: m.key, origin: m.origin, hops: m.hops } };
    case 'found':
      return { found: { req: m.req, node: m.node, hops: m.hops } };
    case 'get_state':
      return { get_state: { req: m.req, from: m.from } };
    case 'state':
      return { state: { req: m.req, predecessor: m.predecessor, successors: m.successors } };
    case 'notify':
      return { notify: { from: m.from } };
    case 'store':
      return { store: { sha256: m.sha256, providers: m.providers } };
    case 'fetch':
      return { fetch: { req: m.req, sha256: m.sha256, from: m.from } };
    case 'providers':
      return { providers: { req: m.req, providers: m.providers } };
  }
}

export interface Provider {
  nodeId: string;
  httpAddress: string;
  zone: string;
  size: number;
  name: string;
}

const MAX_PROVIDER_CHARS = 1024;

export function formatProvider(p: Provider): string {
  return `${p.nodeId}|${p.httpAddress}|${p.zone}|${p.size}|${p.name}`;
}

/** "<node id>|<http address, empty when firewalled>|<zone>|<size>|<file name>". */
export function parseProvider(s: string): Provider {
  const parts = s.split('|');
  const [nodeId, httpAddress, zone, size] = parts;
  const name = parts.slice(4).join('|');
  if (s.length > MAX_PROVIDER_CHARS || parts.length < 5 || !/^[A-Za-z0-9._:@-]{1,128}$/.test(nodeId) || zone.length > 64 || !/^\d{1,15}$/.test(size) || name === '') {
    throw new SuperpeerError('BAD_FIELD', 'malformed provider record');
  }
  if (httpAddress !== '') checkAddress(httpAddress);
  return { nodeId, httpAddress, zone, size: Number(size), name };
}
