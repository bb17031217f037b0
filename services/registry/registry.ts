// The registry: what nodes share outside the overlay — who is alive, their
// scores, the supernode directory, the election lease, and the central
// (Napster-mode) index. It helps discovery and election; it is never on the
// search path of the supernode, flood or dht modes, so callers treat any
// error as "registry down" and keep working from what they cached.
//
// Two implementations held to one contract suite (test/contract.ts):
// RedisRegistry (redis.ts) for real clusters, MemoryRegistry (memory.ts) for
// the simulator and unit tests.

import type { Role } from '../core/election.js';

/** What a node announces about itself; enough to build an election view. */
export interface NodeRecord {
  id: string;
  /** host:port of its gRPC server. */
  grpcAddress: string;
  /** host:port of its HTTP server (files, metrics). */
  httpAddress: string;
  zone: string;
  role: Role;
  /** Participation score 0..100. */
  score: number;
  /** false when firewalled. */
  eligible: boolean;
  /** Leaves attached (supernodes). */
  leaves: number;
  leafCapacity: number;
  /** When the node last changed role, ms since the epoch; 0 if it never did. */
  lastChangeMs: number;
}

/** One entry of the supernode directory that leaves choose from. */
export interface SupernodeEntry {
  id: string;
  grpcAddress: string;
  zone: string;
  leaves: number;
  leafCapacity: number;
  score: number;
  /** Its role is elected (false for a supernode by configuration, which the election never demotes). */
  elected?: boolean;
  /** false when firewalled: the election demotes it. */
  eligible?: boolean;
  /** When it last changed role, ms since the epoch; 0 if it never did. */
  lastChangeMs?: number;
  /** Its leaves counted by their own zone: the demand the election spreads over zones. */
  leafZones?: Record<string, number>;
}

/**
 * What changed in the directory since a version a reader holds. Readers keep
 * the directory cached and ask only for this: in steady state it is empty.
 */
export interface DirectoryDelta {
  /** The version to ask from next time. */
  version: number;
  /** true: `changed` is the whole directory (first read, fell too far behind, or the registry restarted). */
  full: boolean;
  /** Entries added or changed (or all of them when full). */
  changed: SupernodeEntry[];
  /** Ids removed or expired (empty when full). */
  removed: string[];
}

/**
 * A peer that could be promoted, or that waits without any supernode. The
 * election reads a bounded top few of these per zone, never every peer.
 */
export interface CandidateEntry {
  id: string;
  zone: string;
  score: number;
  /** false when firewalled or its role is not elected: counted as demand, never promoted. */
  eligible: boolean;
  lastChangeMs: number;
  /** false: it has no supernode (bootstrapping), so it counts as waiting demand of its zone. */
  attached: boolean;
}

/** The election's bounded view of the peers that are not supernodes. */
export interface CandidateView {
  /** The best eligible candidates of each zone (at most `perZone` each), highest score first. */
  candidates: CandidateEntry[];
  /** Peers waiting without a supernode, by zone. */
  waiting: Record<string, number>;
}

export interface ScoreEntry {
  id: string;
  score: number;
}

export interface RoleAssignment {
  role: Role;
  /** Fencing token of the lease under which it was decided. */
  token: number;
}

export interface Lease {
  holder: string;
  /** Fencing token: strictly increases with every new grant, so a stale leader's writes can be refused. */
  token: number;
}

/** A file a node offers, as the central index stores it. */
export interface CentralFile {
  sha256: string;
  name: string;
  size: number;
}

export interface CentralHit extends CentralFile {
  nodeId: string;
  /** Where to download it: the holder's HTTP address ('' when firewalled) and zone, from its live record. */
  httpAddress: string;
  zone: string;
}

/** Keywords (all must match the file name) or an exact content hash. */
export type CentralQuery = { terms: string[] } | { sha256: string };

export interface RegistryHealth {
  up: boolean;
  /** Round trip of the health probe, ms (when up). */
  latencyMs?: number;
  error?: string;
}

/** Operation names, the `op` label of superpeer_registry_errors_total. */
export type RegistryOp =
  | 'announce'
  | 'heartbeat'
  | 'remove'
  | 'live_nodes'
  | 'top_scores'
  | 'set_supernode'
  | 'supernodes'
  | 'remove_supernode'
  | 'directory_since'
  | 'report_candidates'
  | 'candidate_view'
  | 'assigned_roles'
  | 'acquire_lease'
  | 'renew_lease'
  | 'release_lease'
  | 'current_lease'
  | 'assign_role'
  | 'assigned_role'
  | 'index_files'
  | 'unindex'
  | 'search_central'
  | 'health';

/** Hooks the node turns into metrics (superpeer_registry_up, superpeer_registry_errors_total{op}). */
export interface RegistryHooks {
  /** An operation failed; it is also rejected to the caller. */
  onError?(op: RegistryOp, err: Error): void;
  /** The registry became reachable (true) or unreachable (false). */
  onStatus?(up: boolean): void;
  /** A record read back failed its checks (records.ts) and was skipped. */
  onInvalidRecord?(kind: 'node' | 'supernode' | 'candidate' | 'role' | 'lease' | 'file'): void;
}

/** Directory entries live this long unless refreshed; a killed supernode drops out by itself. */
export const SUPERNODE_TTL_MS = 15_000;
/** Removals remembered for incremental readers; a reader further behind gets the whole directory. */
export const DIRECTORY_TOMBSTONES_MAX = 1_000;
/** Zones the candidate view looks at, at most: zones are few; this bounds a hostile flood of names. */
export const CANDIDATE_ZONES_MAX = 64;
/** Most files indexed per node in central mode; bounds one node's share of the index. */
export const CENTRAL_MAX_FILES_PER_NODE = 10_000;
/** Most hits one central search returns. */
export const CENTRAL_MAX_RESULTS = 500;

export interface Registry {
  /** Create or replace a node's record; it expires after ttlMs without a heartbeat. */
  announce(record: NodeRecord, ttlMs: number): Promise<void>;
  /** Extend a record's life. false when it had already expired: announce again. */
  heartbeat(id: string, ttlMs: number): Promise<boolean>;
  remove(id: string): Promise<void>;
  /** Records not expired, by id. */
  liveNodes(): Promise<NodeRecord[]>;
  /** Best scores of live nodes, highest first. */
  topScores(n: number): Promise<ScoreEntry[]>;

  /** Create or refresh a directory entry; it expires after ttlMs (default SUPERNODE_TTL_MS). */
  setSupernode(entry: SupernodeEntry, ttlMs?: number): Promise<void>;
  /** Live directory entries, by id. */
  supernodes(): Promise<SupernodeEntry[]>;
  removeSupernode(id: string): Promise<void>;
  /** What changed since `version` (0: everything). One round trip; empty in steady state. */
  directorySince(version: number): Promise<DirectoryDelta>;

  /** Report promotion candidates or waiting peers; each entry expires after ttlMs unless reported again. */
  reportCandidates(entries: readonly CandidateEntry[], ttlMs: number): Promise<void>;
  /** The best `perZone` eligible candidates of each zone and the count of waiting peers per zone. */
  candidateView(perZone: number): Promise<CandidateView>;

  /** The election lease: granted with a new token when free, else null (its holder keeps it with renewLease). */
  acquireLease(holder: string, ttlMs: number): Promise<Lease | null>;
  /** Extend our lease; false when it expired or was taken over (token no longer current). */
  renewLease(holder: string, token: number, ttlMs: number): Promise<boolean>;
  /** Give the lease up early (graceful shutdown); false when it wasn't ours any more. */
  releaseLease(holder: string, token: number): Promise<boolean>;
  currentLease(): Promise<Lease | null>;

  /**
   * The leader's decision for one node, fenced: refused (false) when a
   * decision with a larger token is already there, so a deposed leader
   * cannot overrule its successor. Expires after ttlMs.
   */
  assignRole(id: string, role: Role, token: number, ttlMs: number): Promise<boolean>;
  /** The current decision for a node, if any. */
  assignedRole(id: string): Promise<RoleAssignment | null>;
  /** The current decisions for several nodes at once, in order (null where none). */
  assignedRoles(ids: readonly string[]): Promise<Array<RoleAssignment | null>>;

  /** Central mode: replace a node's files in the index. */
  indexFiles(nodeId: string, files: readonly CentralFile[]): Promise<void>;
  unindex(nodeId: string): Promise<void>;
  /** Files of live nodes matching the query, at most `limit`. */
  searchCentral(query: CentralQuery, limit: number): Promise<CentralHit[]>;

  health(): Promise<RegistryHealth>;
  close(): Promise<void>;
}
