// Records read back from Redis are input like any other: whoever can write
// to Redis can write anything there. Each is parsed, checked field by field
// and bounded before a node acts on it (dials an address, follows a role,
// trusts a token); a malformed one is skipped and reported, never thrown.
import type { Role } from '../core/election.js';
import { MAX_ADDRESS_CHARS, MAX_NODE_ID_CHARS, MAX_ZONE_CHARS } from '../core/limits.js';
import type { CandidateEntry, CentralFile, Lease, NodeRecord, RoleAssignment, SupernodeEntry } from './registry.js';

/** Fencing tokens stay below this: exact integers in Lua and JavaScript alike (2^48). */
export const MAX_FENCE_TOKEN = 2 ** 48;
/** Ids read from one set at most: a forged set of millions cannot make a reader fetch them all. */
export const MAX_IDS_READ = 10_000;
/** Bounds on the numbers a record may carry (scores are 0..100, capacities as in the node's config). */
const MAX_SCORE = 100;
const MAX_LEAF_CAPACITY = 100_000;
const MAX_FILE_NAME_CHARS = 512;
/** Zones one supernode may count its leaves in. */
const MAX_LEAF_ZONES = 256;

const ID = new RegExp(`^[A-Za-z0-9._:@-]{1,${MAX_NODE_ID_CHARS}}$`);
const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export type RecordKind = 'node' | 'supernode' | 'candidate' | 'role' | 'lease' | 'file';

export function isNodeId(v: unknown): v is string {
  return typeof v === 'string' && ID.test(v);
}

function isAddress(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > MAX_ADDRESS_CHARS) return false;
  const m = ADDRESS.exec(v);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 65_535;
}

const isZone = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_ZONE_CHARS;
const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const isScore = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_SCORE;
const isRole = (v: unknown): v is Role => v === 'supernode' || v === 'leaf';

function json(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A node record stored under `id`, or undefined when malformed or stored under another id. */
export function parseNodeRecord(raw: string, id: string): NodeRecord | undefined {
  const r = json(raw);
  if (!r || r.id !== id || !isNodeId(r.id) || !isAddress(r.grpcAddress) || !(r.httpAddress === '' || isAddress(r.httpAddress))) return undefined;
  if (!isZone(r.zone) || !isRole(r.role) || !isScore(r.score) || typeof r.eligible !== 'boolean') return undefined;
  if (!isCount(r.leaves, MAX_LEAF_CAPACITY) || !isCount(r.leafCapacity, MAX_LEAF_CAPACITY) || !isCount(r.lastChangeMs, Number.MAX_SAFE_INTEGER)) return undefined;
  return { id: r.id, grpcAddress: r.grpcAddress, httpAddress: r.httpAddress, zone: r.zone, role: r.role, score: r.score, eligible: r.eligible, leaves: r.leaves, leafCapacity: r.leafCapacity, lastChangeMs: r.lastChangeMs };
}

/** A directory entry stored under `id`, or undefined. */
export function parseSupernodeEntry(raw: string, id: string): SupernodeEntry | undefined {
  const r = json(raw);
  if (!r || r.id !== id || !isNodeId(r.id) || !isAddress(r.grpcAddress) || !isZone(r.zone) || !isScore(r.score)) return undefined;
  if (!isCount(r.leaves, MAX_LEAF_CAPACITY) || !isCount(r.leafCapacity, MAX_LEAF_CAPACITY)) return undefined;
  const e: SupernodeEntry = { id: r.id, grpcAddress: r.grpcAddress, zone: r.zone, leaves: r.leaves, leafCapacity: r.leafCapacity, score: r.score };
  if (r.elected !== undefined) {
    if (typeof r.elected !== 'boolean') return undefined;
    e.elected = r.elected;
  }
  if (r.eligible !== undefined) {
    if (typeof r.eligible !== 'boolean') return undefined;
    e.eligible = r.eligible;
  }
  if (r.lastChangeMs !== undefined) {
    if (!isCount(r.lastChangeMs, Number.MAX_SAFE_INTEGER)) return undefined;
    e.lastChangeMs = r.lastChangeMs;
  }
  if (r.leafZones !== undefined) {
    const z = r.leafZones;
    if (typeof z !== 'object' || z === null || Array.isArray(z)) return undefined;
    const entries = Object.entries(z as Record<string, unknown>);
    if (entries.length > MAX_LEAF_ZONES || !entries.every(([k, v]) => isZone(k) && isCount(v, MAX_LEAF_CAPACITY))) return undefined;
    e.leafZones = Object.fromEntries(entries) as Record<string, number>;
  }
  return e;
}

export function isFenceToken(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 1 && v < MAX_FENCE_TOKEN;
}

/** "<role>\n<token>" */
export function parseRoleAssignment(raw: string): RoleAssignment | undefined {
  const [role, token, ...rest] = raw.split('\n');
  if (rest.length > 0 || !isRole(role) || !/^\d{1,15}$/.test(token ?? '') || !isFenceToken(Number(token))) return undefined;
  return { role, token: Number(token) };
}

/** "<holder>\n<token>" */
export function parseLease(raw: string): Lease | undefined {
  const i = raw.lastIndexOf('\n');
  const holder = raw.slice(0, i);
  const token = raw.slice(i + 1);
  if (i < 0 || !isNodeId(holder) || !/^\d{1,15}$/.test(token) || !isFenceToken(Number(token))) return undefined;
  return { holder, token: Number(token) };
}

/** Central-index metadata of one file: {name, size}. */
export function parseCentralFile(raw: string): Pick<CentralFile, 'name' | 'size'> | undefined {
  const r = json(raw);
  if (!r || typeof r.name !== 'string' || r.name.length === 0 || r.name.length > MAX_FILE_NAME_CHARS || !Number.isSafeInteger(r.size) || (r.size as number) < 0) return undefined;
  return { name: r.name, size: r.size as number };
}

/** A promotion candidate (JSON), or undefined. */
export function parseCandidateEntry(raw: string): CandidateEntry | undefined {
  const r = json(raw);
  if (!r || !isNodeId(r.id) || !isZone(r.zone) || !isScore(r.score) || typeof r.eligible !== 'boolean' || typeof r.attached !== 'boolean') return undefined;
  if (!isCount(r.lastChangeMs, Number.MAX_SAFE_INTEGER)) return undefined;
  return { id: r.id, zone: r.zone, score: r.score, eligible: r.eligible, lastChangeMs: r.lastChangeMs, attached: r.attached };
}
