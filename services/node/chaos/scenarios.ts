// Fault scenarios against a real local cluster (every node a process on its
// own loopback address, a private redis-server). Each returns its figures;
// chaos/run.ts runs them at full scale for `make chaos` and writes
// docs/reliability.md, test/chaos-fast.test.ts runs them small.
import { Redis } from 'ioredis';
import { LocalCluster, type UpOptions } from '../cluster/local-cluster.js';
import { overTime, replicated, startLoad, summarize } from './load.js';

export interface Scale {
  supernodes: number;
  peers: number;
  nodesPerProcess: number;
  /** searches per second */
  rate: number;
  /** how long each phase of a scenario runs */
  phaseMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function up(s: Scale, extra: UpOptions = {}): Promise<LocalCluster> {
  const cluster = await LocalCluster.up({ supernodes: s.supernodes, peers: s.peers, zones: 2, filesPerPeer: 10, nodesPerProcess: s.nodesPerProcess, seed: 11, ...extra });
  if (!(await cluster.waitAttached(60_000))) throw new Error('overlay did not form');
  return cluster;
}

/** Every live leaf holds min(2, live supernodes) uplinks; resolves with ms it took (or -1 at the deadline). */
async function allRehomed(cluster: LocalCluster, since: number, deadlineMs = 30_000): Promise<number> {
  for (let i = 0; i < 1_000 && performance.now() - since < deadlineMs; i++) {
    const st = await cluster.statuses(1_000);
    const sns = [...st.values()].filter((s) => s.node?.role === 'supernode').length;
    const leaves = [...st.values()].filter((s) => s.node?.role !== 'supernode');
    if (leaves.length > 0 && leaves.every((s) => s.uplinks.length >= Math.min(2, sns))) return performance.now() - since;
    await sleep(100);
  }
  return -1;
}

async function rssMiB(cluster: LocalCluster, id: string): Promise<number> {
  const n = cluster.nodes.get(id);
  if (!n) return NaN;
  const body = await (await fetch(`http://${n.http}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith('superpeer_process_resident_memory_bytes'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) / 2 ** 20 : NaN;
}

/** SIGKILL a third of the supernodes under search load. */
export async function supernodeCrash(s: Scale) {
  const cluster = await up(s);
  try {
    const load = startLoad(cluster, replicated(cluster), s.rate);
    await sleep(s.phaseMs);
    const victims = cluster.supernodes().slice(0, Math.max(1, Math.floor(s.supernodes / 3))).map((n) => n.id);
    const orphans = cluster.leaves().filter((l) => l.uplinks.some((u) => victims.includes(u))).length;
    const killedAt = performance.now();
    for (const v of victims) cluster.kill(v, 'SIGKILL');
    const rehomeMs = await allRehomed(cluster, killedAt);
    await sleep(s.phaseMs);
    const samples = await load.stop();
    const st = await cluster.statuses();
    const leafRehomes = [...st.values()].flatMap((x) => x.counters.filter((c) => c.name === 'rehome_last_ms').map((c) => Number(c.value)));
    return { killed: victims.length, orphans, allRehomedMs: Math.round(rehomeMs), maxLeafRehomeMs: Math.max(0, ...leafRehomes), ...summarize(samples), successOverTime: overTime(samples, 2_000) };
  } finally {
    await cluster.down();
  }
}

/** Random peers (and now and then a supernode) killed and restarted at a set rate. */
export async function churn(s: Scale & { killEveryMs: number; downMs: number }) {
  const cluster = await up(s);
  try {
    const files = replicated(cluster);
    const longLived = cluster.supernodes()[0].id;
    const rss0 = await rssMiB(cluster, longLived);
    const load = startLoad(cluster, files, s.rate);
    const started = performance.now();
    let kills = 0;
    const restarts: Promise<void>[] = [];
    let seq = 0;
    while (performance.now() - started < s.phaseMs) {
      await sleep(s.killEveryMs);
      // One kill in five is a supernode (never the long-lived one we measure).
      const pool = ++seq % 5 === 0 ? cluster.supernodes().filter((n) => n.id !== longLived) : cluster.leaves();
      const alone = pool.filter((n) => cluster.alone(n.id));
      const victim = (alone.length ? alone : pool)[Math.floor(Math.random() * (alone.length || pool.length))];
      if (!victim || (victim.role === 'supernode' && cluster.supernodes().length <= 2)) continue;
      cluster.kill(victim.id, 'SIGKILL');
      kills++;
      restarts.push(sleep(s.downMs).then(() => cluster.restart(victim.id)).catch(() => undefined));
    }
    await Promise.all(restarts);
    const samples = await load.stop();
    const rss1 = await rssMiB(cluster, longLived);
    return { kills, replicatedFiles: files.length, ...summarize(samples), rssStartMiB: Math.round(rss0), rssEndMiB: Math.round(rss1), successOverTime: overTime(samples, 10_000) };
  } finally {
    await cluster.down();
  }
}

/** Redis killed, then restarted empty (it never persists): the registry is rebuilt from live nodes. */
export async function redisLoss(s: Scale) {
  const cluster = await up(s);
  const redis = new Redis(cluster.redis!.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const keysBefore = await redis.dbsize();
    const load = startLoad(cluster, replicated(cluster), s.rate);
    await sleep(s.phaseMs / 2);
    await cluster.redis!.kill();
    const outageFrom = performance.now();
    await sleep(s.phaseMs);
    await cluster.redis!.restart();
    const back = performance.now();
    let rebuiltMs = -1;
    for (let i = 0; i < 300 && performance.now() - back < 30_000; i++) {
      const n = await redis.dbsize().catch(() => 0);
      if (n >= keysBefore) {
        rebuiltMs = performance.now() - back;
        break;
      }
      await sleep(100);
    }
    await sleep(s.phaseMs / 2);
    const samples = await load.stop();
    return { keysBefore, keysAfter: await redis.dbsize(), outageMs: Math.round(back - outageFrom), rebuiltMs: Math.round(rebuiltMs), ...summarize(samples) };
  } finally {
    redis.disconnect();
    await cluster.down();
  }
}

/** SIGTERM a supernode: it redirects its leaves before it goes. */
export async function gracefulStop(s: Scale) {
  const cluster = await up(s);
  try {
    const load = startLoad(cluster, replicated(cluster), s.rate);
    await sleep(s.phaseMs / 2);
    const victim = cluster.supernodes().find((n) => cluster.alone(n.id))!;
    const leavesOfVictim = cluster.leaves().filter((l) => l.uplinks.includes(victim.id)).length;
    const at = performance.now();
    cluster.kill(victim.id, 'SIGTERM');
    const rehomeMs = await allRehomed(cluster, at);
    await sleep(s.phaseMs / 2);
    const samples = await load.stop();
    return { stopped: victim.id, itsLeaves: leavesOfVictim, allRehomedMs: Math.round(rehomeMs), ...summarize(samples) };
  } finally {
    await cluster.down();
  }
}
