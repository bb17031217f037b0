// Redis registry (ioredis). Keys come from keys.ts, lease logic from the Lua
// scripts in ./lua. Connection options are set so that a Redis outage costs
// callers a fast error, never a hang or an unbounded queue; the client keeps
// reconnecting in the background and works again when Redis returns.

import type { Role } from '../core/election.js';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis, type RedisOptions } from 'ioredis';
import { SuperpeerError } from '../core/errors.js';
import { tokenize } from '../core/keywords.js';
import { fileMember, keys, parseFileMember } from './keys.js';
import {
  MAX_FENCE_TOKEN,
  MAX_IDS_READ,
  isFenceToken,
  parseCandidateEntry,
  parseCentralFile,
  parseLease,
  parseNodeRecord,
  parseRoleAssignment,
  parseSupernodeEntry,
  type RecordKind,
} from './records.js';
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

/** Reconnect backoff starts here and doubles... */
export const RECONNECT_BASE_MS = 50;
/** ...up to this cap: a returning Redis is noticed within ~2 s, without hammering a dead one. */
export const RECONNECT_CAP_MS = 2_000;
/** A TCP connect to a same-cluster Redis takes milliseconds; 2 s means it is not there. */
export const CONNECT_TIMEOUT_MS = 2_000;
/** A reply slower than this is treated as an outage (e.g. a paused server), not waited for. */
export const COMMAND_TIMEOUT_MS = 2_000;
/** One resend of a command caught by a dropped connection, then fail: callers retry on their own schedule. */
export const MAX_RETRIES_PER_REQUEST = 1;

/** The connection options, each chosen for "fail fast, recover by itself". */
export function redisOptions(): RedisOptions {
  return {
    // Capped exponential backoff with jitter, forever: the registry must come back without a restart.
    retryStrategy: (times: number) => Math.min(RECONNECT_BASE_MS * 2 ** Math.min(times, 10), RECONNECT_CAP_MS) + Math.floor(Math.random() * 50),
    // While disconnected, reject at once instead of queueing: callers treat the error as
    // "registry down" and keep working from cache; a queue would grow without bound and
    // replay stale heartbeats and leases later.
    enableOfflineQueue: false,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Connect explicitly in connect(), so construction never throws and startup can
    // proceed with Redis down.
    lazyConnect: true,
    // Redis without persistence has nothing to load; the INFO round trip only delays "ready".
    enableReadyCheck: false,
    connectionName: 'superpeer',
  };
}

function luaDir(): string {
  const here = fileURLToPath(new URL('./lua/', import.meta.url));
  // Compiled to dist/, the scripts stay in the sources.
  return existsSync(here) ? here : fileURLToPath(new URL('../../../services/registry/lua/', import.meta.url));
}

function lua(name: string): string {
  return readFileSync(luaDir() + name, 'utf8');
}

/** The typed wrappers of the Lua scripts (one each, defined in the constructor). */
interface LeaseCommands {
  acquireLease(lease: string, fence: string, holder: string, ttlMs: number, maxToken: number): Promise<number | null>;
  renewLease(lease: string, holder: string, token: number, ttlMs: number): Promise<number>;
  releaseLease(lease: string, holder: string, token: number): Promise<number>;
  assignRole(roleKey: string, lease: string, role: string, token: number, ttlMs: number, maxToken: number): Promise<number>;
}

/** The directory and candidate scripts (same file-per-script rule). */
interface DirectoryCommands {
  setSupernode(entry: string, expiry: string, changes: string, version: string, removed: string, id: string, json: string, ttlMs: number): Promise<number>;
  removeSupernodeEntry(entry: string, expiry: string, changes: string, version: string, removed: string, id: string): Promise<number>;
  readDirectory(
    expiry: string,
    changes: string,
    version: string,
    removed: string,
    floor: string,
    since: number,
    prefix: string,
    tombstones: number,
  ): Promise<[number] | [number, number, string[], string[]]>;
  readCandidates(zones: string, prefix: string, perZone: number, maxZones: number): Promise<Array<[string, number, ...string[]]>>;
}


export interface RedisRegistryOptions {
  /** redis://host:port/db (or redis://:password@host:port/db) */
  url: string;
  /** AUTH password, for a URL that carries none (kept out of the URL so it can come from its own Secret). */
  password?: string;
  /** CA that signed the server certificate of a rediss:// URL (a private CA); without it the system CAs. */
  tlsCa?: Buffer;
  hooks?: RegistryHooks;
  /** Override connection options (tests). */
  redis?: Partial<RedisOptions>;
}

export class RedisRegistry implements Registry {
  private readonly client: Redis & LeaseCommands & DirectoryCommands;
  private readonly hooks: RegistryHooks;
  private up = false;
  private lastError = '';

  constructor(options: RedisRegistryOptions) {
    this.hooks = options.hooks ?? {};
    const tls = options.url.startsWith('rediss://') ? { tls: { ca: options.tlsCa } } : {};
    const redis = new Redis(options.url, { ...redisOptions(), ...tls, ...(options.password ? { password: options.password } : {}), ...options.redis });
    redis.defineCommand('acquireLease', { numberOfKeys: 2, lua: lua('acquire-lease.2.lua') });
    redis.defineCommand('renewLease', { numberOfKeys: 1, lua: lua('renew-lease.1.lua') });
    redis.defineCommand('releaseLease', { numberOfKeys: 1, lua: lua('release-lease.1.lua') });
    redis.defineCommand('assignRole', { numberOfKeys: 2, lua: lua('assign-role.2.lua') });
    redis.defineCommand('setSupernode', { numberOfKeys: 5, lua: lua('set-supernode.5.lua') });
    redis.defineCommand('removeSupernodeEntry', { numberOfKeys: 5, lua: lua('remove-supernode.5.lua') });
    redis.defineCommand('readDirectory', { numberOfKeys: 5, lua: lua('read-directory.5.lua') });
    redis.defineCommand('readCandidates', { numberOfKeys: 1, lua: lua('read-candidates.1.lua') });
    this.client = redis as Redis & LeaseCommands & DirectoryCommands;
    redis.on('ready', () => this.setUp(true));
    redis.on('close', () => this.setUp(false));
    // Connection errors surface as failed calls and onStatus; the listener keeps
    // ioredis from reporting them as unhandled.
    redis.on('error', (err: Error) => {
      this.lastError = err.message;
    });
  }

  /** Start connecting; resolves when connected or after the first failure (it keeps retrying). */
  async connect(): Promise<boolean> {
    try {
      await this.client.connect();
    } catch (err) {
      this.lastError = (err as Error).message;
    }
    return this.up;
  }

  private setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.hooks.onStatus?.(up);
  }

  /** "<role>\n<token>" as checked by records.ts; null when absent or malformed (reported). */
  private parseRole(v: string | null): RoleAssignment | null {
    if (!v) return null;
    return parseRoleAssignment(v) ?? this.invalid('role') ?? null;
  }

  /** A record that failed its checks: skipped, and reported. */
  private invalid(kind: RecordKind): undefined {
    this.hooks.onInvalidRecord?.(kind);
    return undefined;
  }

  /** The members of an id set, at most MAX_IDS_READ of them (a sample when the set is larger). */
  private async ids(key: string): Promise<string[]> {
    const n = await this.client.scard(key);
    const ids = n > MAX_IDS_READ ? await this.client.srandmember(key, MAX_IDS_READ) : await this.client.smembers(key);
    return ids.sort();
  }

  private async run<T>(op: RegistryOp, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.hooks.onError?.(op, e);
      throw new SuperpeerError('UNAVAILABLE', `registry ${op}: ${e.message}`);
    }
  }

  announce(record: NodeRecord, ttlMs: number): Promise<void> {
    return this.run('announce', async () => {
      await this.client
        .multi()
        .set(keys.node(record.id), JSON.stringify(record), 'PX', ttlMs)
        .sadd(keys.nodeIds(), record.id)
        .zadd(keys.scores(), record.score, record.id)
        .exec();
    });
  }

  heartbeat(id: string, ttlMs: number): Promise<boolean> {
    return this.run('heartbeat', async () => (await this.client.pexpire(keys.node(id), ttlMs)) === 1);
  }

  remove(id: string): Promise<void> {
    return this.run('remove', async () => {
      await this.client.multi().del(keys.node(id)).srem(keys.nodeIds(), id).zrem(keys.scores(), id).exec();
    });
  }

  /** Live records; ids whose record expired are dropped from the id set and the scores. */
  private async liveRecords(): Promise<NodeRecord[]> {
    const ids = await this.ids(keys.nodeIds());
    if (ids.length === 0) return [];
    const values = await this.client.mget(ids.map((id) => keys.node(id)));
    const dead = ids.filter((_, i) => values[i] == null);
    if (dead.length > 0) await this.client.multi().srem(keys.nodeIds(), ...dead).zrem(keys.scores(), ...dead).exec();
    return values.flatMap((v, i) => {
      if (v == null) return [];
      const r = parseNodeRecord(v, ids[i]);
      return r ? [r] : (this.invalid('node'), []);
    });
  }

  liveNodes(): Promise<NodeRecord[]> {
    return this.run('live_nodes', () => this.liveRecords());
  }

  topScores(n: number): Promise<ScoreEntry[]> {
    return this.run('top_scores', async () => {
      if (n <= 0) return [];
      await this.liveRecords();
      const flat = await this.client.zrevrange(keys.scores(), 0, Math.min(n, MAX_IDS_READ) - 1, 'WITHSCORES');
      const out: ScoreEntry[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const score = Number(flat[i + 1]);
        if (Number.isFinite(score)) out.push({ id: flat[i], score });
        else this.invalid('node');
      }
      return out;
    });
  }

  setSupernode(entry: SupernodeEntry, ttlMs = SUPERNODE_TTL_MS): Promise<void> {
    return this.run('set_supernode', async () => {
      const k = keys;
      await this.client.setSupernode(
        k.supernode(entry.id),
        k.supernodeExpiry(),
        k.supernodeChanges(),
        k.directoryVersion(),
        k.supernodeRemoved(),
        entry.id,
        JSON.stringify(entry),
        ttlMs,
      );
    });
  }

  supernodes(): Promise<SupernodeEntry[]> {
    return this.run('supernodes', async () => (await this.readDirectory(0)).changed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  private async readDirectory(since: number): Promise<DirectoryDelta> {
    const k = keys;
    const r = await this.client.readDirectory(
      k.supernodeExpiry(),
      k.supernodeChanges(),
      k.directoryVersion(),
      k.supernodeRemoved(),
      k.directoryFloor(),
      since,
      k.supernodePrefix(),
      DIRECTORY_TOMBSTONES_MAX,
    );
    if (r.length === 1) return { version: Number(r[0]), full: false, changed: [], removed: [] };
    const [version, full, flat, removed] = r;
    const changed: SupernodeEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const e = parseSupernodeEntry(flat[i + 1], flat[i]);
      if (e) changed.push(e);
      else this.invalid('supernode');
    }
    return { version: Number(version), full: full === 1, changed, removed };
  }

  directorySince(version: number): Promise<DirectoryDelta> {
    return this.run('directory_since', () => this.readDirectory(version));
  }

  removeSupernode(id: string): Promise<void> {
    return this.run('remove_supernode', async () => {
      const k = keys;
      await this.client.removeSupernodeEntry(k.supernode(id), k.supernodeExpiry(), k.supernodeChanges(), k.directoryVersion(), k.supernodeRemoved(), id);
    });
  }

  reportCandidates(entries: readonly CandidateEntry[], ttlMs: number): Promise<void> {
    return this.run('report_candidates', async () => {
      if (entries.length === 0) return;
      const now = Date.now();
      const tx = this.client.multi();
      for (const e of entries) {
        tx.set(keys.candidate(e.id), JSON.stringify(e), 'PX', ttlMs);
        tx.sadd(keys.zones(), e.zone);
        if (e.eligible) tx.zadd(keys.candidates(e.zone), e.score, e.id);
        else tx.zrem(keys.candidates(e.zone), e.id);
        if (e.attached) tx.zrem(keys.waiting(e.zone), e.id);
        else tx.zadd(keys.waiting(e.zone), now + ttlMs, e.id);
      }
      await tx.exec();
    });
  }

  candidateView(perZone: number): Promise<CandidateView> {
    return this.run('candidate_view', async () => {
      const view: CandidateView = { candidates: [], waiting: {} };
      if (perZone <= 0) return view;
      const rows = await this.client.readCandidates(keys.zones(), keys.prefix(), perZone, CANDIDATE_ZONES_MAX);
      for (const [zone, waiting, ...jsons] of rows) {
        if (Number.isSafeInteger(Number(waiting)) && Number(waiting) > 0) view.waiting[zone] = Number(waiting);
        for (const j of jsons) {
          const c = parseCandidateEntry(j);
          if (c) view.candidates.push(c);
          else this.invalid('candidate');
        }
      }
      return view;
    });
  }

  acquireLease(holder: string, ttlMs: number): Promise<Lease | null> {
    return this.run('acquire_lease', async () => {
      const token = await this.client.acquireLease(keys.lease(), keys.fence(), holder, ttlMs, MAX_FENCE_TOKEN);
      if (token == null) return null;
      if (!isFenceToken(Number(token))) throw new Error(`fence token ${token} out of range`);
      return { holder, token: Number(token) };
    });
  }

  renewLease(holder: string, token: number, ttlMs: number): Promise<boolean> {
    return this.run('renew_lease', async () => (await this.client.renewLease(keys.lease(), holder, token, ttlMs)) === 1);
  }

  releaseLease(holder: string, token: number): Promise<boolean> {
    return this.run('release_lease', async () => (await this.client.releaseLease(keys.lease(), holder, token)) === 1);
  }

  assignRole(id: string, role: Role, token: number, ttlMs: number): Promise<boolean> {
    return this.run('assign_role', async () => (await this.client.assignRole(keys.role(id), keys.lease(), role, token, ttlMs, MAX_FENCE_TOKEN)) === 1);
  }

  assignedRole(id: string): Promise<RoleAssignment | null> {
    return this.run('assigned_role', async () => {
      return this.parseRole(await this.client.get(keys.role(id)));
    });
  }

  assignedRoles(ids: readonly string[]): Promise<Array<RoleAssignment | null>> {
    return this.run('assigned_roles', async () => {
      if (ids.length === 0) return [];
      return (await this.client.mget(ids.map((id) => keys.role(id)))).map((v) => this.parseRole(v));
    });
  }

  currentLease(): Promise<Lease | null> {
    return this.run('current_lease', async () => {
      const v = await this.client.get(keys.lease());
      if (v == null) return null;
      return parseLease(v) ?? this.invalid('lease') ?? null;
    });
  }

  indexFiles(nodeId: string, files: readonly CentralFile[]): Promise<void> {
    return this.run('index_files', async () => {
      const old = await this.client.hgetall(keys.files(nodeId));
      const tx = this.client.multi();
      this.unindexInto(tx, nodeId, old);
      const fields: string[] = [];
      for (const f of files.slice(0, CENTRAL_MAX_FILES_PER_NODE)) {
        const sha = f.sha256.toLowerCase();
        fields.push(sha, JSON.stringify({ name: f.name, size: f.size }));
        for (const t of new Set(tokenize(f.name))) tx.sadd(keys.term(t), fileMember(nodeId, sha));
        tx.sadd(keys.hash(sha), nodeId);
      }
      if (fields.length > 0) tx.hset(keys.files(nodeId), ...fields);
      await tx.exec();
    });
  }

  /** Queue removal of every index entry derived from a node's old file list. */
  private unindexInto(tx: ReturnType<Redis['multi']>, nodeId: string, old: Record<string, string>): void {
    for (const [sha, json] of Object.entries(old)) {
      const name = parseCentralFile(json)?.name ?? '';
      for (const t of new Set(tokenize(name))) tx.srem(keys.term(t), fileMember(nodeId, sha));
      tx.srem(keys.hash(sha), nodeId);
    }
    tx.del(keys.files(nodeId));
  }

  unindex(nodeId: string): Promise<void> {
    return this.run('unindex', async () => {
      const old = await this.client.hgetall(keys.files(nodeId));
      const tx = this.client.multi();
      this.unindexInto(tx, nodeId, old);
      await tx.exec();
    });
  }

  searchCentral(query: CentralQuery, limit: number): Promise<CentralHit[]> {
    return this.run('search_central', async () => {
      const max = Math.min(Math.max(0, limit), CENTRAL_MAX_RESULTS);
      let matches: { nodeId: string; sha256: string }[];
      if ('sha256' in query) {
        const sha = query.sha256.toLowerCase();
        matches = (await this.client.smembers(keys.hash(sha))).map((nodeId) => ({ nodeId, sha256: sha }));
      } else {
        const terms = [...new Set(query.terms.flatMap((t) => tokenize(t)))];
        if (terms.length === 0) return [];
        matches = (await this.client.sinter(terms.map((t) => keys.term(t)))).map(parseFileMember);
      }
      if (matches.length === 0 || max === 0) return [];
      // Only files of live nodes: a crashed node's entries stay until it re-indexes, but are not served.
      const nodeIds = [...new Set(matches.map((m) => m.nodeId))];
      const alive = await this.client.mget(nodeIds.map((id) => keys.node(id)));
      const records = new Map<string, NodeRecord>();
      nodeIds.forEach((id, i) => {
        const raw = alive[i];
        if (raw == null) return;
        const r = parseNodeRecord(raw, id);
        if (r) records.set(id, r);
        else this.invalid('node');
      });
      const live = new Set(records.keys());
      const picked = matches.filter((m) => live.has(m.nodeId)).slice(0, max);
      const p = this.client.pipeline();
      for (const m of picked) p.hget(keys.files(m.nodeId), m.sha256);
      const meta = (await p.exec()) ?? [];
      return picked.flatMap((m, i) => {
        const v = meta[i]?.[1];
        if (typeof v !== 'string') return [];
        const file = parseCentralFile(v);
        if (!file) return (this.invalid('file'), []);
        const { name, size } = file;
        const r = records.get(m.nodeId)!;
        return [{ nodeId: m.nodeId, sha256: m.sha256, name, size, httpAddress: r.httpAddress, zone: r.zone }];
      });
    });
  }

  async health(): Promise<RegistryHealth> {
    const start = performance.now();
    try {
      await this.client.ping();
      return { up: true, latencyMs: performance.now() - start };
    } catch (err) {
      this.hooks.onError?.('health', err as Error);
      return { up: false, error: (err as Error).message || this.lastError };
    }
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      // Not connected: nothing to say goodbye to.
    }
    this.client.disconnect();
  }
}

/** Create a Redis registry and start connecting (never throws on an unreachable Redis). */
export async function connectRedisRegistry(options: RedisRegistryOptions): Promise<RedisRegistry> {
  const registry = new RedisRegistry(options);
  await registry.connect();
  return registry;
}
