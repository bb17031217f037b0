// The node's side of the registry. Its traffic grows with the supernodes,
// not with the peers:
// - a supernode refreshes its directory entry and reads what changed in the
//   directory on a slow, jittered cycle; it reports its best eligible leaves
//   as candidates and relays the leader's decisions about them;
// - a leaf uses the registry only to bootstrap or when it has no reachable
//   supernode, with backoff and jitter; otherwise it learns alternatives from
//   its supernodes (Welcome, Redirect, Alternatives);
// - the lease holder elects from the directory and a bounded candidate view.
// Every call may fail (Redis down): the node then works from its cache and
// Ping/Pong discovery, and catches up when the registry returns.
import { bestCandidates, CANDIDATES_PER_ZONE } from '../core/candidates.js';
import { backoffMs, jittered } from '../core/control-timing.js';
import { decideElection, type ElectionNode } from '../core/election.js';
import { participationScore } from '../core/score.js';
import { Supernode } from '../core/supernode.js';
import type { CandidateEntry, Lease, Registry, SupernodeEntry } from '../registry/registry.js';
import { containerCapacity } from './capacity.js';
import type { SuperpeerNode } from './node.js';
import { cryptoRandom } from './runtime-env.js';

/** A supernode's cycle: refresh its entry, read what changed, relay decisions. Slow: the overlay does not wait on it. */
export const SUPERNODE_REFRESH_MS = 10_000;
/**
 * While the tier is changing (this node just became a supernode, or one came
 * or went), the cycle runs this often, so loads and alternatives settle in
 * seconds; it slows down again after SETTLE_WINDOW_MS without change.
 */
export const SETTLE_REFRESH_MS = 2_000;
export const SETTLE_WINDOW_MS = 15_000;
/** A killed supernode drops out of the directory after three missed refreshes. */
export const DIRECTORY_TTL_MS = 35_000;
/** Candidate reports live as long as directory entries. */
export const CANDIDATE_TTL_MS = 35_000;
/** A dead leader is replaced within this; the leader renews at ELECTION_INTERVAL_MS. */
export const LEASE_TTL_MS = 15_000;
export const ELECTION_INTERVAL_MS = 5_000;
/** Candidates per zone the leader reads: a bounded view, whatever the number of peers. */
export const ELECTION_VIEW_PER_ZONE = 16;
/** A decision lasts long enough to be seen; the leader refreshes what still holds. */
export const ROLE_TTL_MS = 60_000;
/** A leaf without supernode asks the registry after about this, doubling... */
export const BOOTSTRAP_MIN_MS = 500;
/** ... up to this. */
export const BOOTSTRAP_MAX_MS = 15_000;
/** An attached leaf looks whether it needs the registry this often (no registry call unless it does). */
export const LEAF_CHECK_MS = 30_000;
/** A leaf short of an uplink with nothing to dial asks the registry at this pace, doubling up to SHORT_MAX_MS. */
export const SHORT_MIN_MS = 30_000;
export const SHORT_MAX_MS = 300_000;
/** Central mode: a node's record (liveness of its indexed files) is refreshed this often... */
export const CENTRAL_RECORD_REFRESH_MS = 10_000;
/** ... and lives this long. */
export const CENTRAL_RECORD_TTL_MS = 35_000;
/** A role hint from a supernode is checked with the registry at most this often. */
export const ROLE_CHECK_MIN_MS = 2_000;

export { DIRECTORY_LINKS } from '../core/link-choice.js';

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
  private cycleTimer: NodeJS.Timeout | undefined;
  private electTimer: NodeJS.Timeout | undefined;
  private recordTimer: NodeJS.Timeout | undefined;
  private lease: Lease | null = null;
  private readonly directory = new Map<string, SupernodeEntry>();
  private directoryVersion = 0;
  private running = false;
  private electing = false;
  /** The last decision logged at info; the same one repeated each round goes to debug. */
  private lastDecision = '';
  private stopped = false;
  private bootstrapAttempt = 0;
  private shortAttempt = 0;
  /** This leaf reported itself as waiting (no supernode), to be cleared once attached. */
  private reportedWaiting = false;
  /** Leaves reported as candidates last cycle: their decisions are relayed. */
  private reportedCandidates: string[] = [];
  /** Role hints already sent, leaf id → token, so each decision is relayed once. */
  private readonly hinted = new Map<string, number>();
  private lastRoleCheck = 0;
  lastChangeMs = 0;
  /** Until when the supernode cycle runs fast (the tier is changing). */
  private settleUntil = 0;
  /** Share-list version last written to the central index (Napster mode). */
  private indexedVersion = -1;

  constructor(
    private readonly node: SuperpeerNode,
    readonly registry: Registry,
  ) {}

  start(): void {
    this.schedule(0);
    if (this.node.config.role === 'auto') this.electTimer = setTimeout(() => void this.elect(), jittered(ELECTION_INTERVAL_MS, cryptoRandom)).unref();
    if (this.node.config.mode === 'central') void this.refreshRecord();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.cycleTimer);
    this.cycleTimer = setTimeout(() => void this.cycle(), ms).unref();
  }

  /** A leaf lost its last supernode: look at the registry soon (jittered, so the orphans of one crash do not ask in step). */
  wake(): void {
    if (this.stopped || this.orphaned) return;
    this.orphaned = true;
    this.bootstrapAttempt = 0;
    if (!this.running) this.schedule(jittered(BOOTSTRAP_MIN_MS, cryptoRandom, 1));
  }
  private orphaned = false;

  /**
   * The registry is reachable again (it may have restarted empty): a
   * supernode writes its entry again soon, jittered so they do not all at once.
   */
  registryBack(): void {
    if (this.stopped || !(this.node.core instanceof Supernode)) return;
    this.directoryVersion = 0;
    if (!this.running) this.schedule(jittered(BOOTSTRAP_MIN_MS, cryptoRandom, 1));
  }

  /** The directory as last seen, for when the registry is down. */
  cachedDirectory(): SupernodeEntry[] {
    return [...this.directory.values()];
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
      reliability: n.reliability(),
    }).score;
  }

  private get elected(): boolean {
    return this.node.config.role === 'auto';
  }

  private get eligible(): boolean {
    return this.elected && !this.node.config.firewalled;
  }

  private entry(sn: Supernode): SupernodeEntry {
    const n = this.node;
    const leafZones: Record<string, number> = {};
    for (const s of n.streams.values()) if (s.kind === 'leaf') leafZones[s.peer.zone] = (leafZones[s.peer.zone] ?? 0) + 1;
    return {
      id: n.config.id,
      grpcAddress: n.grpcAddress,
      zone: n.zone,
      leaves: sn.leafCount,
      leafCapacity: n.config.leafCapacity,
      score: Math.round(sn.self.score),
      elected: this.elected,
      eligible: this.eligible,
      lastChangeMs: this.lastChangeMs,
      leafZones,
    };
  }

  private async cycle(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let next = LEAF_CHECK_MS;
    const n = this.node;
    try {
      n.core.self.score = this.score();
      if (n.core instanceof Supernode) {
        if (this.settleUntil === 0) this.settleUntil = Date.now() + SETTLE_WINDOW_MS;
        await this.supernodeCycle(n.core);
        next = Date.now() < this.settleUntil ? SETTLE_REFRESH_MS : SUPERNODE_REFRESH_MS;
      } else {
        const need = n.uplinks?.registryNeed() ?? 'none';
        if (need === 'none') {
          this.bootstrapAttempt = 0;
          this.shortAttempt = 0;
          this.orphaned = false;
          if (this.reportedWaiting) await this.reportSelf(true);
        } else {
          next =
            need === 'urgent'
              ? backoffMs(this.bootstrapAttempt++, BOOTSTRAP_MIN_MS, BOOTSTRAP_MAX_MS, cryptoRandom)
              : backoffMs(this.shortAttempt++, SHORT_MIN_MS, SHORT_MAX_MS, cryptoRandom);
          await this.bootstrap();
        }
      }
      n.metrics.registryUp.set(true);
    } catch (err) {
      n.metrics.registryUp.set(false);
      n.log.debug({ err: String(err) }, 'registry unreachable; working from cache');
    } finally {
      this.running = false;
      this.schedule(jittered(next, cryptoRandom));
    }
  }

  private async supernodeCycle(sn: Supernode): Promise<void> {
    const n = this.node;
    await this.registry.setSupernode(this.entry(sn), DIRECTORY_TTL_MS);
    // Candidates only where the election runs: fixed roles have none.
    const leaves = [...n.streams.values()].filter((s) => s.kind === 'leaf' && s.candidate);
    const best = bestCandidates(
      leaves.map((s) => ({ id: s.peer.nodeId, zone: s.peer.zone, score: s.peer.score, eligible: s.candidate!.eligible, lastChangeMs: s.candidate!.lastChangeMs })),
      CANDIDATES_PER_ZONE,
    );
    if (best.length > 0) await this.registry.reportCandidates(best.map((c) => ({ ...c, attached: true })), CANDIDATE_TTL_MS);
    this.reportedCandidates = best.map((c) => c.id);
    await this.readDirectory();
    const ids = [...(this.elected ? [n.config.id] : []), ...this.reportedCandidates];
    if (ids.length === 0) return;
    const roles = await this.registry.assignedRoles(ids);
    ids.forEach((id, i) => {
      const a = roles[i];
      if (!a) return;
      if (id === n.config.id) {
        if (a.role === 'leaf') void this.applyRole('leaf');
        return;
      }
      if (a.role !== 'supernode' || this.hinted.get(id) === a.token) return;
      this.hinted.set(id, a.token);
      if (this.hinted.size > 256) this.hinted.delete(this.hinted.keys().next().value!);
      for (const s of n.streams.values()) if (s.kind === 'leaf' && s.peer.nodeId === id) s.write({ role_hint: { role: a.role, token: a.token } });
    });
  }

  /** Reads what changed in the directory and hands the whole cached view to the node when something did. */
  private async readDirectory(): Promise<void> {
    const delta = await this.registry.directorySince(this.directoryVersion);
    const changed = delta.full || delta.changed.length > 0 || delta.removed.length > 0;
    // A supernode came or went: settle fast for a while.
    if (delta.removed.length > 0 || delta.changed.some((e) => !this.directory.has(e.id))) this.settleUntil = Date.now() + SETTLE_WINDOW_MS;
    if (delta.full) this.directory.clear();
    for (const e of delta.changed) this.directory.set(e.id, e);
    for (const id of delta.removed) this.directory.delete(id);
    this.directoryVersion = delta.version;
    if (changed || this.node.core instanceof Supernode) this.node.useDirectory(this.cachedDirectory(), changed);
  }

  /** A leaf without (enough) supernodes: the directory, and — if elected — its own report and decision. */
  private async bootstrap(): Promise<void> {
    const n = this.node;
    await this.readDirectory();
    if (!this.elected) return;
    await this.reportSelf(false);
    const assigned = await this.registry.assignedRole(n.config.id);
    if (assigned?.role === 'supernode') await this.applyRole('supernode');
  }

  private async reportSelf(attached: boolean): Promise<void> {
    const n = this.node;
    const self: CandidateEntry = { id: n.config.id, zone: n.zone, score: n.core.self.score, eligible: this.eligible, lastChangeMs: this.lastChangeMs, attached };
    await this.registry.reportCandidates([self], CANDIDATE_TTL_MS);
    this.reportedWaiting = !attached;
  }

  /** A supernode relayed a decision about this leaf: confirm it with the registry, then act. */
  async checkRole(): Promise<void> {
    const now = Date.now();
    if (!this.elected || this.stopped || now - this.lastRoleCheck < ROLE_CHECK_MIN_MS) return;
    this.lastRoleCheck = now;
    try {
      const assigned = await this.registry.assignedRole(this.node.config.id);
      if (assigned) await this.applyRole(assigned.role);
    } catch (err) {
      this.node.log.debug({ err: String(err) }, 'role check failed: registry unreachable');
    }
  }

  private async applyRole(role: 'supernode' | 'leaf'): Promise<void> {
    const n = this.node;
    if (role === n.role || (role === 'supernode' && n.config.firewalled)) return;
    await n.changeRole(role);
    this.lastChangeMs = Date.now();
    this.reportedWaiting = false;
    this.settleUntil = 0;
    this.schedule(0);
  }

  /** Central mode only: the index serves files of nodes whose record is live. */
  private async refreshRecord(): Promise<void> {
    if (this.stopped) return;
    const n = this.node;
    try {
      await this.registry.announce(
        {
          id: n.config.id,
          grpcAddress: n.grpcAddress,
          httpAddress: n.config.firewalled ? '' : n.httpAddress,
          zone: n.zone,
          role: n.role,
          score: n.core.self.score,
          eligible: this.eligible,
          leaves: n.core instanceof Supernode ? n.core.leafCount : 0,
          leafCapacity: n.config.leafCapacity,
          lastChangeMs: this.lastChangeMs,
        },
        CENTRAL_RECORD_TTL_MS,
      );
      if (n.sharesVersion !== this.indexedVersion) {
        const version = n.sharesVersion;
        await this.registry.indexFiles(n.config.id, n.shares?.files() ?? []);
        this.indexedVersion = version;
      }
    } catch (err) {
      n.log.debug({ err: String(err) }, 'central index refresh failed: registry unreachable');
    }
    this.recordTimer = setTimeout(() => void this.refreshRecord(), jittered(CENTRAL_RECORD_REFRESH_MS, cryptoRandom)).unref();
  }

  /**
   * One election round, by supernodes (and by leaves only while there is no
   * supernode at all): take or keep the lease, then decide from the
   * directory and the bounded candidate view.
   */
  private async elect(): Promise<void> {
    if (this.electing || this.stopped) return;
    this.electing = true;
    const n = this.node;
    const id = n.config.id;
    try {
      const contender = n.core instanceof Supernode || (this.directory.size === 0 && n.uplinks?.registryNeed() === 'urgent');
      if (!contender) {
        if (this.lease) await this.registry.releaseLease(id, this.lease.token).catch(() => false);
        this.lease = null;
        return;
      }
      if (this.lease && !(await this.registry.renewLease(id, this.lease.token, LEASE_TTL_MS))) this.lease = null;
      this.lease ??= await this.registry.acquireLease(id, LEASE_TTL_MS);
      if (!this.lease) return;
      const token = this.lease.token;
      const view = await this.registry.candidateView(ELECTION_VIEW_PER_ZONE);
      const u = Math.max(1, n.config.uplinks);
      const leavesByZone: Record<string, number> = { ...view.waiting };
      const nodes: ElectionNode[] = [];
      const now = Date.now();
      const supernodes = this.cachedDirectory();
      if (n.core instanceof Supernode) {
        const self = this.entry(n.core);
        if (!supernodes.some((e) => e.id === id)) supernodes.push(self);
      }
      const supernodeIds = new Set(supernodes.map((e) => e.id));
      for (const e of supernodes) {
        for (const [z, count] of Object.entries(e.leafZones ?? {})) leavesByZone[z] = (leavesByZone[z] ?? 0) + count / u;
        // A supernode by configuration is capacity the election never demotes: held for ever.
        const held = e.elected === false ? now : (e.lastChangeMs ?? 0);
        nodes.push({ id: e.id, score: e.score, eligible: e.eligible ?? true, role: 'supernode', zone: e.zone, leaves: e.leaves, leafCapacity: e.leafCapacity, lastChangeMs: held });
      }
      for (const c of view.candidates) {
        if (supernodeIds.has(c.id)) continue;
        nodes.push({ id: c.id, score: c.score, eligible: c.eligible, role: 'leaf', zone: c.zone, leaves: 0, leafCapacity: 0, lastChangeMs: c.lastChangeMs });
      }
      for (const z of Object.keys(leavesByZone)) leavesByZone[z] = Math.round(leavesByZone[z]);
      const decision = decideElection({
        nodes,
        leavesByZone,
        now,
        options: { targetLeavesPerSupernode: n.config.targetLeaves, minSupernodes: n.config.minSupernodes, uplinksPerLeaf: u },
      });
      for (const p of decision.promote) await this.registry.assignRole(p, 'supernode', token, ROLE_TTL_MS);
      for (const d of decision.demote) await this.registry.assignRole(d, 'leaf', token, ROLE_TTL_MS);
      const log = decisionLog(this.lastDecision, decision);
      this.lastDecision = log.key;
      if (log.level) n.log[log.level]({ promote: decision.promote, demote: decision.demote, token }, 'election decided');
      // A waiting peer elected learns it at its next bootstrap read; the leader itself, at once.
      if (decision.promote.includes(id)) await this.applyRole('supernode');
    } catch (err) {
      // The lease is kept: the next round's renew says whether it is still ours
      // (acquiring again under our name would not give it back).
      n.log.debug({ err: String(err) }, 'election paused: registry unreachable');
    } finally {
      this.electing = false;
      if (!this.stopped) this.electTimer = setTimeout(() => void this.elect(), jittered(ELECTION_INTERVAL_MS, cryptoRandom)).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.cycleTimer);
    clearTimeout(this.electTimer);
    clearTimeout(this.recordTimer);
    const id = this.node.config.id;
    await Promise.allSettled([
      this.node.config.mode === 'central' ? this.registry.unindex(id) : Promise.resolve(),
      this.node.config.mode === 'central' ? this.registry.remove(id) : Promise.resolve(),
      this.lease ? this.registry.releaseLease(id, this.lease.token) : Promise.resolve(),
      this.node.core instanceof Supernode ? this.registry.removeSupernode(id) : Promise.resolve(),
    ]);
    await this.registry.close();
  }
}
