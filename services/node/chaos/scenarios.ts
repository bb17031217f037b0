// Fault scenarios against a real local cluster (chaos/cluster.ts). Each takes
// a running cluster, returns its figures and leaves the cluster whole again
// (what it killed is restarted), so one cluster can serve several scenarios;
// chaos/run.ts runs them at full scale for `make chaos` and writes
// docs/reliability.md, test/chaos-fast.test.ts runs them small.
import { Redis } from 'ioredis';
import { allRehomed, restore, rssMiB, sleep, type ChaosCluster, type Scale } from './cluster.js';
import { overTime, replicated, startLoad, summarize } from './load.js';
import { downloadThroughStop } from './download-stop.js';

export { zonePartition } from './partition.js';
export { chaosCluster, type Scale } from './cluster.js';

/** SIGKILL a third of the supernodes under search load. */
export async function supernodeCrash({ cluster }: ChaosCluster, s: Scale, opts: { restore?: boolean } = {}) {
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
  if (opts.restore !== false) await restore(cluster, victims);
  return { killed: victims.length, orphans, allRehomedMs: Math.round(rehomeMs), maxLeafRehomeMs: Math.max(0, ...leafRehomes), ...summarize(samples), ...loopLag(load.lag), successOverTime: overTime(samples, 2_000) };
}

/** Random peers (and now and then a supernode) killed and restarted at a set rate. */
export async function churn({ cluster }: ChaosCluster, s: Scale & { killEveryMs: number; downMs: number }) {
  const files = replicated(cluster);
  const longLived = cluster.supernodes()[0].id;
  const rss0 = await rssMiB(cluster, longLived);
  const load = startLoad(cluster, files, s.rate);
  const started = performance.now();
  let kills = 0;
  const killed: string[] = [];
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
    killed.push(victim.id);
    restarts.push(sleep(s.downMs).then(() => cluster.restart(victim.id)).catch(() => undefined));
  }
  await Promise.all(restarts);
  const samples = await load.stop();
  const rss1 = await rssMiB(cluster, longLived);
  await restore(cluster, killed);
  return { kills, replicatedFiles: files.length, ...summarize(samples), ...loopLag(load.lag), rssStartMiB: Math.round(rss0), rssEndMiB: Math.round(rss1), successOverTime: overTime(samples, 10_000) };
}

/** Redis killed, then restarted empty (it never persists): the supernodes write the directory again. */
export async function redisLoss({ cluster }: ChaosCluster, s: Scale) {
  const redis = new Redis(cluster.redis!.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    // Directory entries: what the registry holds in steady state (leaves stay off it).
    const entries = async () => (await redis.keys('superpeer:supernode:*')).length;
    const keysBefore = await entries();
    const load = startLoad(cluster, replicated(cluster), s.rate);
    await sleep(s.phaseMs / 2);
    await cluster.redis!.kill();
    const outageFrom = performance.now();
    await sleep(s.phaseMs);
    await cluster.redis!.restart();
    const back = performance.now();
    let rebuiltMs = -1;
    for (let i = 0; i < 300 && performance.now() - back < 30_000; i++) {
      const n = await entries().catch(() => 0);
      if (n >= keysBefore) {
        rebuiltMs = performance.now() - back;
        break;
      }
      await sleep(100);
    }
    await sleep(s.phaseMs / 2);
    const samples = await load.stop();
    return { keysBefore, keysAfter: await entries(), outageMs: Math.round(back - outageFrom), rebuiltMs: Math.round(rebuiltMs), ...summarize(samples) };
  } finally {
    redis.disconnect();
  }
}

/**
 * SIGTERM a supernode that holds a large file while a client downloads it
 * from that supernode and one other: it redirects its leaves before it goes,
 * and the download finishes from the other source, verified.
 */
export async function gracefulStop(c: ChaosCluster, s: Scale) {
  const { cluster } = c;
  const load = startLoad(cluster, replicated(cluster), s.rate);
  await sleep(s.phaseMs / 2);
  const victim = c.big ? cluster.nodes.get(c.big.holders[0])! : cluster.supernodes().find((n) => cluster.alone(n.id))!;
  const leavesOfVictim = cluster.leaves().filter((l) => l.uplinks.includes(victim.id)).length;
  let rehomed: Promise<number> = Promise.resolve(-1);
  const stop = () => {
    const at = performance.now();
    cluster.kill(victim.id, 'SIGTERM');
    rehomed = allRehomed(cluster, at);
  };
  const dl = c.big ? await downloadThroughStop(c, victim, stop) : (stop(), undefined);
  const rehomeMs = await rehomed;
  await sleep(s.phaseMs / 2);
  const samples = await load.stop();
  await restore(cluster, [victim.id]);
  return { stopped: victim.id, itsLeaves: leavesOfVictim, allRehomedMs: Math.round(rehomeMs), ...summarize(samples), ...loopLag(load.lag), download: dl };
}

/** The client's own event-loop stalls during a scenario: what a late search may owe to a starved client. */
function loopLag(lag: { maxMs: number; p99Ms(): number }) {
  return { clientLagMaxMs: Math.round(lag.maxMs), clientLagP99Ms: Math.round(lag.p99Ms()) };
}
