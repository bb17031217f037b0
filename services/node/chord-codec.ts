// Wire ↔ core conversion of Chord messages (dht mode), with the checks a
// message from the network needs before the core sees it.
import { MAX_STORE_BATCH, MAX_SUCCESSORS, type ChordMessage, type ChordRef } from '../core/chord.js';
import type { ChordRecord } from '../core/chord-store.js';
import { SuperpeerError } from '../core/errors.js';
import { isSha256 } from '../core/ids.js';
import { checkAddress } from '../core/validate.js';
import type { ChordMessage as WireChord, ChordMessage__Output } from './generated/superpeer/v1/ChordMessage.js';
import type { ChordRef__Output } from './generated/superpeer/v1/ChordRef.js';

/** Providers per record and per answer: bounded like every table. */
export const MAX_PROVIDERS = 64;

function ref(r: ChordRef__Output | null | undefined): ChordRef {
  if (!r) throw new SuperpeerError('BAD_FIELD', 'chord message without a node reference');
  checkAddress(r.address);
  if (r.zone.length > 64) throw new SuperpeerError('BAD_FIELD', 'zone too long');
  return { id: r.id >>> 0, address: r.address, ...(r.zone ? { zone: r.zone } : {}) };
}

function refs(list: ChordRef__Output[]): ChordRef[] {
  if (list.length > MAX_SUCCESSORS) throw new SuperpeerError('BAD_FIELD', 'successor list too long');
  return list.map(ref);
}

function records(list: Array<{ sha256: string; providers: string[] }>): ChordRecord[] {
  if (list.length > MAX_STORE_BATCH) throw new SuperpeerError('BAD_FIELD', `at most ${MAX_STORE_BATCH} records per store`);
  return list.map((r) => ({ sha256: hash(r.sha256), providers: providers(r.providers) }));
}

/** The ring position a message is for (undefined: the member's first). */
export function chordTarget(w: ChordMessage__Output): number | undefined {
  return w.to ? w.to.id >>> 0 : undefined;
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
      return { type: 'find_successor', req: Number(m.req), key: m.key >>> 0, origin: ref(m.origin), hops: Math.min(m.hops, 64), maintenance: m.maintenance };
    }
    case 'found': {
      const m = w.found!;
      return { type: 'found', req: Number(m.req), node: ref(m.node), hops: m.hops, arcStart: m.arc_start >>> 0, successors: refs(m.successors), maintenance: m.maintenance };
    }
    case 'get_state':
      return { type: 'get_state', req: Number(w.get_state!.req), from: ref(w.get_state!.from), notify: w.get_state!.notify };
    case 'state': {
      const m = w.state!;
      return { type: 'state', req: Number(m.req), predecessor: m.predecessor ? ref(m.predecessor) : null, successors: refs(m.successors) };
    }
    case 'notify':
      return { type: 'notify', from: ref(w.notify!.from) };
    case 'store': {
      const m = w.store!;
      // An older member sends one record in sha256/providers.
      const single = m.sha256 ? [{ sha256: m.sha256, providers: m.providers }] : [];
      return { type: 'store', records: records([...single, ...m.records]) };
    }
    case 'fetch':
      return { type: 'fetch', req: Number(w.fetch!.req), sha256: hash(w.fetch!.sha256), from: ref(w.fetch!.from) };
    case 'providers':
      return { type: 'providers', req: Number(w.providers!.req), providers: providers(w.providers!.providers) };
    default:
      throw new SuperpeerError('UNKNOWN_PAYLOAD', 'empty chord message');
  }
}

export function chordToWire(m: ChordMessage, to?: ChordRef): WireChord {
  return { ...body(m), ...(to ? { to } : {}) };
}

function body(m: ChordMessage): WireChord {
  switch (m.type) {
    case 'find_successor':
      return { find_successor: { req: m.req, key: m.key, origin: m.origin, hops: m.hops, maintenance: m.maintenance } };
    case 'found':
      return { found: { req: m.req, node: m.node, hops: m.hops, arc_start: m.arcStart, successors: m.successors, maintenance: m.maintenance } };
    case 'get_state':
      return { get_state: { req: m.req, from: m.from, notify: m.notify } };
    case 'state':
      return { state: { req: m.req, predecessor: m.predecessor, successors: m.successors } };
    case 'notify':
      return { notify: { from: m.from } };
    case 'store':
      return { store: { records: m.records } };
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
