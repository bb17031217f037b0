// In-memory registry for the simulator and unit tests. Time comes from an
// injected clock, so expiry follows the simulator's virtual time. An outage
// can be simulated (`setAvailable(false)`): every call then rejects the way
// the Redis registry does when Redis is down.

import type { Role } from '../core/election.js';
import { SuperpeerError } from '../core/errors.js';
import { tokenize } from '../core/keywords.js';
import {
  CENTRAL_MAX_FILES_PER_NODE,
  CENTRAL_MAX_RESULTS,
  CANDIDATE_ZONES_MAX,
  DIRECTORY_TOMBSTONES_MAX,
  SUPERNODE_TTL_MS,
  type CandidateEntry,
  type CandidateView,
  type DirectoryDelta,
  type CentralFile,
  type CentralHit,
  type CentralQuery,
  type Lease,
  type RoleAssignment,
  type NodeRecord,
  type Registry,
  type RegistryHealth,
  type RegistryHooks,
  type RegistryOp,
  type ScoreEntry,
  type SupernodeEntry,
} from './registry.js';

export interface MemoryRegistryOptions {
  /** Milliseconds; defaults to wall-clock time. */
  now?: () => number;
  hooks?: RegistryHooks;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export class MemoryRegistry implements Registry {
  private readonly now: () => number;
  private readonly hooks: RegistryHooks;
  private readonly nodes = new Map<string, Expiring<NodeRecord>>();
  private readonly directory = new Map<string, Expiring<SupernodeEntry> & { version: number }>();
  /** Removed id → version of its removal; bounded as in Redis. */
  private readonly removed = new Map<string, number>();
  private version = 0;
  private floor = 0;
  private readonly candidates = new Map<string, Expiring<CandidateEntry>>();
  private lease: Expiring<Lease> | null = null;
  private readonly roles = new Map<string, Expiring<RoleAssignment>>();
  private fence = 0;
  private readonly files = new Map<string, Map<string, CentralFile & { terms: string[] }>>();
  private available = true;
  private closed = false;

  constructor(options: MemoryRegistryOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.hooks = options.hooks ?? {};
  }

  /** Simulate a registry outage (false) and its end (true). */
  setAvailable(available: boolean): void {
    if (available !== this.available) this.hooks.onStatus?.(available);
    this.available = available;
  }

  private check(op: RegistryOp): void {
    if (this.closed || !this.available) {
      const err = new SuperpeerError('UNAVAILABLE', `registry ${this.closed ? 'closed' : 'unavailable'} (${op})`);
      this.hooks.onError?.(op, err);
      throw err;
    }
  }

  private live<T>(e: Expiring<T> | undefined | null): e is Expiring<T> {
    return e != null && e.expiresAt > this.now();
  }

  async announce(record: NodeRecord, ttlMs: number): Promise<void> {
    this.check('announce');
    this.nodes.set(record.id, { value: { ...record }, expiresAt: this.now() + ttlMs });
  }

  async heartbeat(id: string, ttlMs: number): Promise<boolean> {
    this.check('heartbeat');
    const e = this.nodes.get(id);
    if (!this.live(e)) return false;
    e.expiresAt = this.now() + ttlMs;
    return true;
  }

  async remove(id: string): Promise<void> {
    this.check('remove');
    this.nodes.delete(id);
  }

  async liveNodes(): Promise<NodeRecord[]> {
    this.check('live_nodes');
    return this.liveRecords().map((r) => ({ ...r }));
  }

  private liveRecords(): NodeRecord[] {
    const out: NodeRecord[] = [];
    for (const [id, e] of this.nodes) {
      if (this.live(e)) out.push(e.value);
      else this.nodes.delete(id);
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async topScores(n: number): Promise<ScoreEntry[]> {
    this.check('top_scores');
    return this.liveRecords()
      .map((r) => ({ id: r.id, score: r.score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : -1))
      .slice(0, Math.max(0, n));
  }

  async setSupernode(entry: SupernodeEntry, ttlMs = SUPERNODE_TTL_MS): Promise<void> {
    this.check('set_supernode');
    this.pruneDirectory();
    const old = this.directory.get(entry.id);
    const changed = !old || JSON.stringify(old.value) !== JSON.stringify(entry);
    if (changed && this.version === 0) this.version = this.now();
    this.directory.set(entry.id, { value: { ...entry }, expiresAt: this.now() + ttlMs, version: changed ? ++this.version : old.version });
    if (!old) this.removed.delete(entry.id);
  }

  /** Expired entries become removals, as the Redis read script does. */
  private pruneDirectory(): void {
    for (const [id, e] of this.directory) {
      if (this.live(e)) continue;
      this.directory.delete(id);
      this.removed.set(id, ++this.version);
    }
    for (const [id, v] of this.removed) {
      if (this.removed.size <= DIRECTORY_TOMBSTONES_MAX) break;
      this.removed.delete(id);
      this.floor = v;
    }
  }

  async supernodes(): Promise<SupernodeEntry[]> {
    this.check('supernodes');
    this.pruneDirectory();
    return [...this.directory.values()].map((e) => ({ ...e.value })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async directorySince(since: number): Promise<DirectoryDelta> {
    this.check('directory_since');
    this.pruneDirectory();
    if (since === this.version && since > 0) return { version: since, full: false, changed: [], removed: [] };
    const full = since <= 0 || since > this.version || since < this.floor;
    const entries = [...this.directory.values()].filter((e) => full || e.version > since).sort((a, b) => a.version - b.version);
    const removed = full ? [] : [...this.removed].filter(([, v]) => v > since).map(([id]) => id);
    return { version: this.version, full, changed: entries.map((e) => ({ ...e.value })), removed };
  }

  async removeSupernode(id: string): Promise<void> {
    this.check('remove_supernode');
    if (!this.directory.delete(id)) return;
    this.removed.set(id, ++this.version);
  }

  async reportCandidates(entries: readonly CandidateEntry[], ttlMs: number): Promise<void> {
    this.check('report_candidates');
    for (const e of entries) this.candidates.set(e.id, { value: { ...e }, expiresAt: this.now() + ttlMs });
  }

  async candidateView(perZone: number): Promise<CandidateView> {
    this.check('candidate_view');
    const view: CandidateView = { candidates: [], waiting: {} };
    if (perZone <= 0) return view;
    const byZone = new Map<string, CandidateEntry[]>();
    for (const [id, e] of this.candidates) {
      if (!this.live(e)) {
        this.candidates.delete(id);
        continue;
      }
      const c = e.value;
      if (!c.attached) view.waiting[c.zone] = (view.waiting[c.zone] ?? 0) + 1;
      if (!c.eligible) continue;
      let list = byZone.get(c.zone);
      if (!list) byZone.set(c.zone, (list = []));
      list.push(c);
    }
    for (const list of [...byZone.values()].slice(0, CANDIDATE_ZONES_MAX)) {
      list.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : -1));
      view.candidates.push(...list.slice(0, Math.max(0, perZone)).map((c) => ({ ...c })));
    }
    return view;
  }

  async acquireLease(holder: string, ttlMs: number): Promise<Lease | null> {
    this.check('acquire_lease');
    if (this.live(this.lease)) return null;
    this.lease = { value: { holder, token: ++this.fence }, expiresAt: this.now() + ttlMs };
    return { ...this.lease.value };
  }

  private holds(holder: string, token: number): boolean {
    return this.live(this.lease) && this.lease.value.holder === holder && this.lease.value.token === token;
  }

  async renewLease(holder: string, token: number, ttlMs: number): Promise<boolean> {
    this.check('renew_lease');
    if (!this.holds(holder, token) || !this.lease) return false;
    this.lease.expiresAt = this.now() + ttlMs;
    return true;
  }

  async releaseLease(holder: string, token: number): Promise<boolean> {
    this.check('release_lease');
    if (!this.holds(holder, token)) return false;
    this.lease = null;
    return true;
  }

  async currentLease(): Promise<Lease | null> {
    this.check('current_lease');
    return this.live(this.lease) ? { ...this.lease.value } : null;
  }

  async assignRole(id: string, role: Role, token: number, ttlMs: number): Promise<boolean> {
    this.check('assign_role');
    // Only the current lease's token may decide, as assign-role.2.lua checks.
    if (!this.live(this.lease) || this.lease.value.token !== token) return false;
    this.roles.set(id, { value: { role, token }, expiresAt: this.now() + ttlMs });
    return true;
  }

  async assignedRole(id: string): Promise<RoleAssignment | null> {
    this.check('assigned_role');
    const cur = this.roles.get(id);
    return this.live(cur) ? { ...cur.value } : null;
  }

  async assignedRoles(ids: readonly string[]): Promise<Array<RoleAssignment | null>> {
    this.check('assigned_roles');
    return ids.map((id) => {
      const cur = this.roles.get(id);
      return this.live(cur) ? { ...cur.value } : null;
    });
  }

  async indexFiles(nodeId: string, files: readonly CentralFile[]): Promise<void> {
    this.check('index_files');
    const m = new Map<string, CentralFile & { terms: string[] }>();
    for (const f of files.slice(0, CENTRAL_MAX_FILES_PER_NODE)) {
      const sha = f.sha256.toLowerCase();
      m.set(sha, { sha256: sha, name: f.name, size: f.size, terms: tokenize(f.name) });
    }
    this.files.set(nodeId, m);
  }

  async unindex(nodeId: string): Promise<void> {
    this.check('unindex');
    this.files.delete(nodeId);
  }

  async searchCentral(query: CentralQuery, limit: number): Promise<CentralHit[]> {
    this.check('search_central');
    const max = Math.min(Math.max(0, limit), CENTRAL_MAX_RESULTS);
    const terms = 'terms' in query ? [...new Set(query.terms.flatMap((t) => tokenize(t)))] : [];
    if ('terms' in query && terms.length === 0) return [];
    const hits: CentralHit[] = [];
    for (const r of this.liveRecords()) {
      const files = this.files.get(r.id);
      if (!files) continue;
      for (const f of files.values()) {
        if (hits.length >= max) return hits;
        const match = 'sha256' in query ? f.sha256 === query.sha256.toLowerCase() : terms.every((t) => f.terms.includes(t));
        if (match) hits.push({ nodeId: r.id, sha256: f.sha256, name: f.name, size: f.size, httpAddress: r.httpAddress, zone: r.zone });
      }
    }
    return hits;
  }

  async health(): Promise<RegistryHealth> {
    if (this.closed || !this.available) {
      return { up: false, error: this.closed ? 'closed' : 'unavailable' };
    }
    return { up: true, latencyMs: 0 };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
