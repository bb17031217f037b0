// What an idle overlay costs: a local cluster is started, left to settle,
// then watched doing nothing. CPU comes from /proc (user + system time of
// every node process and of redis-server), Redis traffic from its own
// command counter. The control plane is meant to cost little per leaf and
// to grow with the supernodes, not the peers.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Redis } from 'ioredis';
import { LocalCluster } from '../node/cluster/local-cluster.js';

export interface IdleOptions {
  supernodes: number;
  peers: number;
  zones: number;
  nodesPerProcess: number;
  /** Seconds after start before the window opens. */
  settleS: number;
  /** Seconds of watching. */
  windowS: number;
  seed: number;
  /** Leaves a supernode accepts (default: the node's 64); raise it to compare leaf counts with room for all. */
  leafCapacity?: number;
  log?: (msg: string) => void;
}

export const DEFAULT_IDLE: IdleOptions = { supernodes: 4, peers: 100, zones: 2, nodesPerProcess: 25, settleS: 20, windowS: 30, seed: 1 };

export interface IdleReport {
  supernodes: number;
  peers: number;
  nodesPerProcess: number;
  settleS: number;
  windowS: number;
  /** 1/5/15-minute load average when the window closed: the machine may be shared. */
  loadAverage: number[];
  cpuSecondsPerSecond: { nodes: number; redis: number; total: number };
  /** Process CPU of the leaves' processes, per leaf. */
  cpuMsPerLeafPerSecond: number;
  /** Process CPU of the supernodes' own processes, per supernode. */
  cpuMsPerSupernodePerSecond: number;
  redisCommandsPerSecond: number;
}

const CLOCK_TICKS_PER_S = 100;

/** User + system CPU seconds of a process so far (Linux /proc); 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

async function commandsProcessed(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  const m = /total_commands_processed:(\d+)/.exec(info);
  return m ? Number(m[1]) : 0;
}

export async function runIdle(o: IdleOptions): Promise<IdleReport> {
  const log = o.log ?? (() => {});
  log(`idle: starting ${o.supernodes} supernodes + ${o.peers} peers (${o.nodesPerProcess} per process)`);
  const cluster = await LocalCluster.up({ supernodes: o.supernodes, peers: o.peers, zones: o.zones, seed: o.seed, nodesPerProcess: o.nodesPerProcess, filesPerPeer: 5,
    nodeOverrides: o.leafCapacity ? { leafCapacity: o.leafCapacity } : undefined,
  });
  const redis = new Redis(cluster.redis!.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    log(`idle: settling ${o.settleS} s`);
    await new Promise((r) => setTimeout(r, o.settleS * 1000));
    const procs = cluster.processes();
    const roleOf = new Map(cluster.supernodes().map((n) => [n.id, 'supernode']));
    const redisPid = cluster.redis!.pid();
    const before = new Map(procs.map((p) => [p.pid, processCpuSeconds(p.pid)]));
    const redisBefore = redisPid ? processCpuSeconds(redisPid) : 0;
    const cmdBefore = await commandsProcessed(redis);
    const started = performance.now();
    log(`idle: watching ${o.windowS} s`);
    await new Promise((r) => setTimeout(r, o.windowS * 1000));
    const seconds = (performance.now() - started) / 1000;
    // Our own INFO calls are commands too: one before, this one after.
    const commands = (await commandsProcessed(redis)) - cmdBefore - 1;
    let leafCpu = 0;
    let leaves = 0;
    let supernodeCpu = 0;
    let supernodes = 0;
    for (const p of procs) {
      const cpu = processCpuSeconds(p.pid) - before.get(p.pid)!;
      const sn = p.ids.filter((id) => roleOf.has(id)).length;
      // A process is counted where most of its nodes are; configured supernodes run alone.
      if (sn > p.ids.length / 2) {
        supernodeCpu += cpu;
        supernodes += p.ids.length;
      } else {
        leafCpu += cpu;
        leaves += p.ids.length;
      }
    }
    const redisCpu = redisPid ? processCpuSeconds(redisPid) - redisBefore : 0;
    const nodes = (leafCpu + supernodeCpu) / seconds;
    return {
      supernodes: o.supernodes,
      peers: o.peers,
      nodesPerProcess: o.nodesPerProcess,
      settleS: o.settleS,
      windowS: o.windowS,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
      cpuSecondsPerSecond: { nodes: round4(nodes), redis: round4(redisCpu / seconds), total: round4(nodes + redisCpu / seconds) },
      cpuMsPerLeafPerSecond: round4(leaves ? (leafCpu * 1000) / seconds / leaves : 0),
      cpuMsPerSupernodePerSecond: round4(supernodes ? (supernodeCpu * 1000) / seconds / supernodes : 0),
      redisCommandsPerSecond: round4(commands / seconds),
    };
  } finally {
    redis.disconnect();
    await cluster.down();
  }
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
