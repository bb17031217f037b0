// Gnutella QRP (query routing protocol): a node's keywords hashed into a
// bitset of 2^bits slots. A neighbour that holds our table forwards a
// last-hop query to us only when every term may be here. False positives
// cost a message; false negatives cannot happen.
import { SuperpeerError } from './errors.js';
import { uniqueTokens } from './keywords.js';

/** 2^16 slots = 8 KiB per table: LimeWire's default size, few collisions at a few thousand keywords. */
export const DEFAULT_QRT_BITS = 16;
export const MIN_QRT_BITS = 8;
/** 2^24 slots = 2 MiB: past that a table costs more than the queries it saves. */
export const MAX_QRT_BITS = 24;
/** Gnutella QRP multiplier (the golden-ratio constant of the QRP spec). */
const QRP_MULTIPLIER = 0x4f1bbcdc;

const encoder = new TextEncoder();

/** The QRP hash of one normalised token into `bits` bits (QRP 1.0: xor of UTF-8 bytes in 4-byte lanes, then multiplicative hash). */
export function qrpHash(token: string, bits: number): number {
  let x = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    // ASCII is its own UTF-8; anything else goes through the encoder.
    if (c >= 0x80) return qrpHashBytes(encoder.encode(token), bits);
    x ^= c << ((i & 3) * 8);
  }
  return (Math.imul(x, QRP_MULTIPLIER) >>> 0) >>> (32 - bits);
}

function qrpHashBytes(bytes: Uint8Array, bits: number): number {
  let x = 0;
  for (let i = 0; i < bytes.length; i++) x ^= bytes[i] << ((i & 3) * 8);
  const product = Math.imul(x, QRP_MULTIPLIER) >>> 0;
  return product >>> (32 - bits);
}

export interface EncodedRouteTable {
  bits: number;
  table: Uint8Array;
}

export class QueryRouteTable {
  readonly bits: number;
  private readonly set: Uint8Array;

  constructor(bits = DEFAULT_QRT_BITS, table?: Uint8Array) {
    if (!Number.isInteger(bits) || bits < MIN_QRT_BITS || bits > MAX_QRT_BITS) {
      throw new SuperpeerError('BAD_FIELD', `route table bits must be ${MIN_QRT_BITS}..${MAX_QRT_BITS}`);
    }
    this.bits = bits;
    const bytes = (1 << bits) >>> 3;
    if (table && table.length !== bytes) {
      throw new SuperpeerError('BAD_FIELD', `route table of ${bits} bits must be ${bytes} bytes`);
    }
    this.set = table ? Uint8Array.from(table) : new Uint8Array(bytes);
  }

  /** A table holding every token of the given (already normalised) tokens. */
  static fromTokens(tokens: Iterable<string>, bits = DEFAULT_QRT_BITS): QueryRouteTable {
    const t = new QueryRouteTable(bits);
    for (const token of tokens) t.addToken(token);
    return t;
  }

  /** A table of every token in the given file names (what a leaf sends). */
  static fromNames(names: Iterable<string>, bits = DEFAULT_QRT_BITS): QueryRouteTable {
    const t = new QueryRouteTable(bits);
    for (const name of names) for (const token of uniqueTokens(name)) t.addToken(token);
    return t;
  }

  static decode(encoded: EncodedRouteTable): QueryRouteTable {
    return new QueryRouteTable(encoded.bits, encoded.table);
  }

  addToken(token: string): void {
    const slot = qrpHash(token, this.bits);
    this.set[slot >>> 3] |= 1 << (slot & 7);
  }

  hasToken(token: string): boolean {
    const slot = qrpHash(token, this.bits);
    return (this.set[slot >>> 3] & (1 << (slot & 7))) !== 0;
  }

  /** OR another table in (a supernode merging its leaves' tables). Sizes must match. */
  merge(other: QueryRouteTable): void {
    if (other.bits !== this.bits) throw new SuperpeerError('BAD_FIELD', 'route tables of different sizes');
    for (let i = 0; i < this.set.length; i++) this.set[i] |= other.set[i];
  }

  /** False only when some term is certainly absent. No terms (hash query): true. */
  mayMatch(terms: readonly string[]): boolean {
    for (const term of terms) if (!this.hasToken(term)) return false;
    return true;
  }

  /** Slots set, for status (a nearly full table prunes nothing). */
  get filled(): number {
    let n = 0;
    for (const byte of this.set) {
      let b = byte;
      while (b) {
        b &= b - 1;
        n++;
      }
    }
    return n;
  }

  encode(): EncodedRouteTable {
    return { bits: this.bits, table: Uint8Array.from(this.set) };
  }
}
