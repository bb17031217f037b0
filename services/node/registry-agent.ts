// The node's side of the registry: announces itself and its load, keeps the
// supernode directory cached for uplink and link choices, follows the
// leader's role decisions, and — holding the election lease — decides them.
// Every call may fail (Redis down): the node then works from its cache and
// Ping/Pong discovery, and catches up when the registry returns.
import { decideElection, type ElectionNode } from '../core/election.js';
import { participationScore } from '../core/score.js';
import { Supernode } from '../core/supernode.js';
import type { Lease, NodeRecord, Registry, SupernodeEntry } from '../registry/registry.js';
import { containerCapacity } from './capacity.js';
import type { SuperpeerNode } from './node.js';

/** Records and directory entries outlive three missed beats, no more. */
export const HEARTBEAT_MS = 1_000;
export const RECORD_TTL_MS = 4_000;
export const DIRECTORY_TTL_MS = 4_000;
/** A dead leader is replaced within this. */
export const LEASE_TTL_MS = 5_000;
export const ELECTION_INTERVAL_MS = 2_000;
/** A decision lasts long enough to be seen; the leader refreshes what still holds. */
export const ROLE_TTL_MS = 30_000;
/**
 * Supernode links a supernode dials from the directory (plus its seeds); with
 * the links others dial to it, a supernode holds about twice this many.
 */
export const DIRECTORY_LINKS = 3;

/**
 * How loudly to log an election round: info when it changes roles differently
 * from the round before, debug when it repeats that round (a node that has not
 * taken its new role yet is assigned it again every 2 s), nothing when idle.
 */
export function decisionLog(
  lastKey: string, decision: { promote: string[]; demote: string[] },
): { level: 'info' | 'debug' | null; key: string } {
  const key = JSON.stringify([decision.promote, decision.demote]);
  if (decision.promote.length + decision.demote.length === 0) return { level: null, key };
  return { level: key === lastKey ? 'debug' : 'info', key };
}

export class RegistryAgent {
  private beatTimer: NodeJS.Timeout | undefined;
  private electTimer: NodeJS.Timeout | undefined;
  private lease: Lease | null = null;
  private directory: SupernodeEntry[] = [];
  private beating = false;
  private electing = false;
  /** The last decision logged at info; the same one repeated each round goes to debug. */
  private lastDecision = '';
  private stopped = false;
  lastChangeMs = 0;
  /** Share-list version last written to the central index (Napster mode). */
  private indexedVersion = -1;

  constructor(
    private readonly node: SuperpeerNode,
    readonly registry: Registry,
  ) {}

  start(): void {
    this.beatTimer = setInterval(() => void this.beat(), HEARTBEAT_MS).unref();
    if (this.node.config.role === 'auto') this.electTimer = setInterval(() => void this.elect(), ELECTION_INTERVAL_MS).unref();
    void this.beat();
  }

  /** The directory as last seen, for when the registry is down. */
  cachedDirectory(): SupernodeEntry[] {
    return this.directory;
  }

  isLeader(): boolean {
    return this.lease !== null;
  }

  score(): number {
    const n = this.node;
    const cap = containerCapacity();
    return participationScore({
      uptimeMs: Date.now() - n.startedAt,
      cpuCores: cap.cpuCores,
      memoryBytes: cap.memoryBytes,
      uploadBandwidthBps: n.config.uploadBandwidthBps,
      firewalled: n.config.firewalled,
      filesShared: n.shares?.size ?? 0,
      bytesUploaded: n.bytesUploaded,
      hitsServed: n.hitsServed,
      reliability: 1,
    }).score;
  }

  record(): NodeRecord {
    const n = this.node;
    const sn = n.core instanceof Supernode ? n.core : undefined;
    return {
      id: n.config.id,
      grpcAddress: n.grpcAddress,
      httpAddress: n.config.firewalled ? '' : n.httpAddress,
      zone: n.zone,
      role: n.role,
      score: n.core.self.score,
      // Only nodes whose role is elected take part; a firewalled one never leads a tier.
      eligible: n.config.role === 'auto' && !n.config.firewalled,
      leaves: sn?.leafCount ?? 0,
      leafCapacity: n.config.leafCapacity,
      lastChangeMs: this.lastChangeMs,
    };
  }

  private async beat(): Promise<void> {
    if (this.beating || this.stopped) return;
    this.beating = true;
    const n = this.node;
    try {
      n.core.self.score = this.score();
      await this.registry.announce(this.record(), RECORD_TTL_MS);
      if (n.core instanceof Supernode) {
        await this.registry.setSupernode(
          { id: n.config.id, grpcAddress: n.grpcAddress, zone: n.zone, leaves: n.core.leafCount, leafCapacity: n.config.leafCapacity, score: n.core.self.score },
          DIRECTORY_TTL_MS,
        );
      }
      if (n.config.mode === 'central' && n.sharesVersion !== this.indexedVersion) {
        const version = n.sharesVersion;
        await this.registry.indexFiles(n.config.id, n.shares?.files() ?? []);
        this.indexedVersion = version;
      }
      this.directory = await this.registry.supernodes();
      n.useDirectory(this.directory);
      if (n.config.role === 'auto') {
        const assigned = await this.registry.assignedRole(n.config.id);
        if (assigned && assigned.role !== n.role && !(assigned.role === 'supernode' && n.config.firewalled)) {
          await n.changeRole(assigned.role);
          this.lastChangeMs = Date.now();
        }
      }
      n.metrics.registryUp.set(true);
    } catch (err) {
      n.metrics.registryUp.set(false);
      n.log.debug({ err: String(err) }, 'registry unreachable; working from cache');
    } finally {
      this.beating = false;
    }
  }

  /** One election round: take or keep the lease, then decide roles for all. */
  private async elect(): Promise<void> {
    if (this.electing || this.stopped) return;
    this.electing = true;
    const id = this.node.config.id;
    try {
      if (this.lease && !(await this.registry.renewLease(id, this.lease.token, LEASE_TTL_MS))) this.lease = null;
      this.lease ??= await this.registry.acquireLease(id, LEASE_TTL_MS);
      if (!this.lease) return;
      const nodes: ElectionNode[] = (await this.registry.liveNodes()).map((r) => ({ ...r }));
      const decision = decideElection({
        nodes,
        now: Date.now(),
        options: { targetLeavesPerSupernode: this.node.config.targetLeaves, minSupernodes: this.node.config.minSupernodes, uplinksPerLeaf: this.node.config.uplinks },
      });
      for (const p of decision.promote) await this.registry.assignRole(p, 'supernode', this.lease.token, ROLE_TTL_MS);
      for (const d of decision.demote) await this.registry.assignRole(d, 'leaf', this.lease.token, ROLE_TTL_MS);
      const log = decisionLog(this.lastDecision, decision);
      this.lastDecision = log.key;
      if (log.level) this.node.log[log.level]({ promote: decision.promote, demote: decision.demote, token: this.lease.token }, 'election decided');
    } catch (err) {
      this.lease = null;
      this.node.log.debug({ err: String(err) }, 'election paused: registry unreachable');
    } finally {
      this.electing = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.beatTimer);
    clearInterval(this.electTimer);
    const id = this.node.config.id;
    await Promise.allSettled([
      this.node.config.mode === 'central' ? this.registry.unindex(id) : Promise.resolve(),
      this.lease ? this.registry.releaseLease(id, this.lease.token) : Promise.resolve(),
      this.registry.removeSupernode(id),
      this.registry.remove(id),
    ]);
    await this.registry.close();
  }
}
