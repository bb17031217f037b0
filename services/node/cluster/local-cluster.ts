// A whole overlay on this machine: every node its own OS process (or K nodes
// per process), each on its own loopback address, with generated shared
// files. Used by `superpeer cluster up`, the demo, tests and benchmarks.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveSeed, seededRandom } from '../../core/random.js';
import { writeShareDir } from '../content.js';
import { startRedis, type RedisServer } from '../../registry/redis-server.js';
import { Dialer } from '../dial.js';
import { leafProcessFlags, sourceLoaderFlags } from '../process-flags.js';
import type { StatusResponse__Output } from '../generated/superpeer/v1/StatusResponse.js';
import type { NodeConfig } from '../config.js';
import type { HostReply, HostRequest, HostedNode } from './host.js';
import { planCluster, randomBlock, type ClusterOptions, type PlannedNode } from './plan.js';

export const START_TIMEOUT_MS = 60_000;
/** Many nodes on two cores start slowly: allow this much more per node in the cluster. */
export const START_TIMEOUT_PER_NODE_MS = 250;
export const STOP_TIMEOUT_MS = 10_000;

export interface ClusterNode extends HostedNode {
  uplinks: string[];
  /** Index of the process hosting it. */
  host: number;
}

export interface UpOptions extends Partial<ClusterOptions> {
  /** Start a private redis-server for the registry when no `redis` URL is given (default true). */
  registry?: boolean;
  /** The peers with the most bandwidth (likeliest to be elected) get a process each; the rest share. */
  soloProcesses?: number;
  nodesPerProcess?: number;
  /** Called as nodes come up (done, total), for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

interface Host {
  child: ChildProcess;
  ids: string[];
  exited: Promise<number | null>;
}

export class LocalCluster {
  readonly nodes = new Map<string, ClusterNode>();
  private readonly hosts: Host[] = [];
  private readonly dialer = new Dialer({});
  private ownWorkDir: string | undefined;
  /** The private redis-server, when this cluster started one. */
  redis: RedisServer | undefined;
  private readonly changeListeners = new Set<() => void>();

  private constructor(
    readonly options: ClusterOptions,
    readonly plan: PlannedNode[],
  ) {}

  static async up(o: UpOptions = {}): Promise<LocalCluster> {
    const seed = o.seed ?? 1;
    const workDir = o.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'superpeer-cluster-')));
    const privateRedis = !o.redis && o.registry !== false ? await startRedis() : undefined;
    const options: ClusterOptions = {
      supernodes: o.supernodes ?? 4,
      peers: o.peers ?? 40,
      zones: o.zones ?? 2,
      seed,
      filesPerPeer: o.filesPerPeer ?? 20,
      firewalled: o.firewalled ?? 0,
      workDir,
      shareDir: o.shareDir,
      mode: o.mode ?? 'supernode',
      redis: o.redis ?? privateRedis?.url,
      nodeOverrides: o.nodeOverrides,
      degree: o.degree ?? 4,
    };
    // The address block is random per run so two clusters never collide;
    // everything else follows the seed.
    const block = o.block ?? randomBlock(seededRandom(deriveSeed(Date.now() ^ process.pid, 'block')));
    const plan = planCluster(options, block);
    const cluster = new LocalCluster(options, plan);
    cluster.redis = privateRedis;
    if (!o.workDir) cluster.ownWorkDir = workDir;
    try {
      await cluster.writeFiles();
      await cluster.spawn(Math.max(1, o.nodesPerProcess ?? 1), o.soloProcesses ?? 0, o.onProgress);
    } catch (err) {
      await cluster.down();
      throw err;
    }
    return cluster;
  }

  private async writeFiles(): Promise<void> {
    if (this.options.shareDir) return;
    for (const p of this.plan) await writeShareDir(p.config.shareDir!, p.files);
  }

  private async spawn(perProcess: number, solo: number, onProgress?: (done: number, total: number) => void): Promise<void> {
    const groups: PlannedNode[][] = [];
    const byBandwidth = [...this.plan].sort((a, b) => b.config.uploadBandwidthBps - a.config.uploadBandwidthBps);
    const alone = new Set(byBandwidth.slice(0, solo));
    // Configured supernodes get a process each, as their own pods would: packed
    // with leaves they would share an event loop (flood mode has no tiers to keep apart).
    if (perProcess > 1 && this.options.mode !== 'flood') for (const p of this.plan) if (p.config.role === 'supernode') alone.add(p);
    for (const p of alone) groups.push([p]);
    const rest = this.plan.filter((p) => !alone.has(p));
    for (let i = 0; i < rest.length; i += perProcess) groups.push(rest.slice(i, i + perProcess));
    let done = 0;
    onProgress?.(0, this.plan.length);
    const starts = groups.map((group, index) => {
      const entry = hostEntry(group.map((g) => g.config));
      const child = fork(entry.file, [], { execArgv: entry.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      this.hosts.push({ child, ids: group.map((g) => g.config.id), exited });
      return new Promise<void>((resolve, reject) => {
        const limitMs = START_TIMEOUT_MS + START_TIMEOUT_PER_NODE_MS * this.plan.length;
        const timer = setTimeout(() => reject(new Error(`nodes ${group[0].config.id}… did not start within ${limitMs} ms`)), limitMs);
        child.on('message', (msg: HostReply) => {
          if (msg.type === 'ready') {
            clearTimeout(timer);
            for (const n of msg.nodes) this.nodes.set(n.id, { ...n, uplinks: [], host: index });
            done += msg.nodes.length;
            onProgress?.(done, this.plan.length);
            resolve();
          } else if (msg.type === 'failed') {
            clearTimeout(timer);
            reject(new Error(`node host failed: ${msg.message}`));
          }
        });
        // Nodes of a host that dies are gone (kill() has removed them already).
        child.once('exit', () => this.forget(group.map((g) => g.config.id)));
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`node host exited with ${code} before it was ready`));
        });
        child.send({ type: 'start', configs: group.map((g) => g.config) } satisfies HostRequest);
      });
    });
    await Promise.all(starts);
  }

  /** Waits until every live leaf holds `uplinks` supernodes (or the deadline). */
  async waitAttached(timeoutMs = 30_000, uplinks = 2): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let round = 0; Date.now() < deadline && round < 10_000; round++) {
      const statuses = await this.statuses();
      const supernodes = [...statuses.values()].filter((s) => s.node?.role === 'supernode').length;
      const want = Math.min(uplinks, supernodes);
      const planned = new Map(this.plan.map((p) => [p.config.id, p.config.seeds]));
      const ok = [...statuses.entries()].every(([id, s]) =>
        s.node?.role === 'supernode'
          ? (planned.get(id) ?? []).every((a) => !this.liveAddress(a) || s.neighbours.some((n) => n.grpc_address === a))
          : s.uplinks.length >= want,
      );
      if (ok && statuses.size === this.nodes.size && supernodes > 0) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  private liveAddress(grpc: string): boolean {
    for (const n of this.nodes.values()) if (n.grpc === grpc) return n.role === 'supernode';
    return false;
  }

  /** Status of every node that answers, by ID; refreshes roles and uplinks. */
  async statuses(timeoutMs = 2_000): Promise<Map<string, StatusResponse__Output>> {
    const out = new Map<string, StatusResponse__Output>();
    let changed = false;
    await Promise.all(
      [...this.nodes.values()].map(
        (n) =>
          new Promise<void>((resolve) => {
            this.dialer.clientClient(n.grpc).Status({}, { deadline: new Date(Date.now() + timeoutMs) }, (err, res) => {
              if (!err && res) {
                out.set(n.id, res);
                const role = res.node?.role ?? n.role;
                if (role !== n.role) changed = true;
                n.role = role;
                n.uplinks = res.uplinks.map((u) => u.node_id);
              }
              resolve();
            });
          }),
      ),
    );
    if (changed) this.changed();
    return out;
  }

  /**
   * Calls `listener` whenever the node set or a node's role changes: after a
   * kill, when a host process exits, when statuses() sees a new role.
   * Returns the unsubscribe function.
   */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.changeListeners) l();
  }

  private forget(ids: string[]): void {
    let removed = false;
    for (const id of ids) removed = this.nodes.delete(id) || removed;
    if (removed) this.changed();
  }

  /** The `cluster up --json` description: one entry per node. */
  async describe(): Promise<{ nodes: ClusterNode[] }> {
    await this.statuses();
    const order = new Map(this.plan.map((p, i) => [p.config.id, i]));
    const nodes = [...this.nodes.values()].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { nodes: nodes.map(({ host: _host, ...n }) => ({ ...n }) as ClusterNode) };
  }

  /** OS processes of the cluster's nodes, each with the ids it hosts (for CPU accounting). */
  processes(): Array<{ pid: number; ids: string[] }> {
    return this.hosts.flatMap((h) => (h.child.pid === undefined || h.child.exitCode !== null ? [] : [{ pid: h.child.pid, ids: [...h.ids] }]));
  }

  /** Whether a node has its process to itself (so killing it kills only it). */
  alone(id: string): boolean {
    const n = this.nodes.get(id);
    return n !== undefined && this.hosts[n.host].ids.length === 1;
  }

  supernodes(): ClusterNode[] {
    return [...this.nodes.values()].filter((n) => n.role === 'supernode');
  }

  leaves(): ClusterNode[] {
    return [...this.nodes.values()].filter((n) => n.role !== 'supernode');
  }

  /** Kills the process hosting a node (and any node sharing it). */
  kill(id: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    const host = this.hosts[n.host];
    host.child.kill(signal);
    this.forget(host.ids);
  }

  /**
   * Starts again, with the same configs, the process that hosted `id` after
   * it was killed (chaos tests: churn). Resolves when its nodes are ready.
   */
  async restart(id: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    let index = -1;
    for (let i = this.hosts.length - 1; i >= 0 && index < 0; i--) if (this.hosts[i].ids.includes(id)) index = i;
    if (index < 0) throw new Error(`no node ${id}`);
    const old = this.hosts[index];
    if (old.child.exitCode === null && old.child.signalCode === null) throw new Error(`${id} is still running`);
    const configs = this.plan.filter((p) => old.ids.includes(p.config.id)).map((p) => p.config);
    const entry = hostEntry(configs);
    const child = fork(entry.file, [], { execArgv: entry.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    this.hosts[index] = { child, ids: old.ids, exited };
    child.once('exit', () => this.forget(old.ids));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${id} did not restart within ${timeoutMs} ms`)), timeoutMs);
      child.on('message', (msg: HostReply) => {
        if (msg.type === 'ready') {
          clearTimeout(timer);
          for (const n of msg.nodes) this.nodes.set(n.id, { ...n, uplinks: [], host: index });
          this.changed();
          resolve();
        } else if (msg.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`node host failed: ${msg.message}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`restarted host exited with ${code}`));
      });
      child.send({ type: 'start', configs } satisfies HostRequest);
    });
  }

  async down(): Promise<void> {
    for (const h of this.hosts) {
      if (h.child.exitCode === null && h.child.connected) h.child.send({ type: 'stop' } satisfies HostRequest);
    }
    await Promise.all(
      this.hosts.map(async (h) => {
        const t = setTimeout(() => h.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await h.exited;
        clearTimeout(t);
      }),
    );
    this.dialer.close();
    await this.redis?.stop();
    if (this.ownWorkDir) await rm(this.ownWorkDir, { recursive: true, force: true });
  }
}

/**
 * The host process entry: compiled when this module is (the installed CLI,
 * `make demo`), the TypeScript sources through tsx otherwise (tests, dev).
 * A host of one leaf (or of one peer that may be elected) runs with a leaf's
 * memory flags, as a pod of the image does; hosts packing several nodes
 * (large runs) keep V8's defaults, their allocation rate being k leaves'.
 */
export function hostEntry(configs: Array<Pick<NodeConfig, 'role'>>): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const file = path.join(path.dirname(here), `host${ext}`);
  const base = configs.length === 1 && configs[0].role !== 'supernode' ? leafProcessFlags() : [];
  // Keep only loader and memory flags of ours (after the leaf's, so they win);
  // test-runner and inspector flags stay with us.
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--import' || a === '--require' || a === '--loader') && i + 1 < argv.length) base.push(a, argv[++i]);
    else if (/^--(import|require|loader)=/.test(a) || /^--max-(old|semi)-space-size=/.test(a) || a === '--enable-source-maps') base.push(a);
  }
  if (!base.some((a) => a.includes('tsx'))) base.push(...sourceLoaderFlags(import.meta.url));
  return { file, execArgv: base };
}
