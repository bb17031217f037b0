// dht mode under a supernode crash: Locate load from random live leaves,
// then SIGKILL of a third of the ring's members at once. Measured: the
// ring's maintenance messages per member per second before the kill (from
// /metrics), whether any record was lost although a replica lives (every
// file still held by a live node is located through a live supernode right
// after the kill, before re-stabilisation), the Locate success over time,
// and how long the ring took to serve ≥ 99 % again.
import * as grpc from '@grpc/grpc-js';
import type { LocalCluster } from '../cluster/local-cluster.js';
import { loadProto } from '../proto.js';
import { restore, sleep, type ChaosCluster, type Scale } from './cluster.js';
import { overTime, summarize, type Sample } from './load.js';

const LOCATE_TIMEOUT_MS = 2_000;
/** Windows of the success series; re-stabilised = every window from then on at ≥ 99 %. */
const WINDOW_MS = 5_000;
const SWEEP_CONCURRENCY = 16;

function locateOnce(address: string, sha256: string): Promise<{ ok: boolean; ms: number }> {
  const { pkg } = loadProto();
  const c = new pkg.superpeer.v1.Client(address, grpc.credentials.createInsecure());
  const started = performance.now();
  return new Promise((resolve) =>
    c.Locate({ sha256, timeout_ms: LOCATE_TIMEOUT_MS, max_results: 1 }, { deadline: new Date(Date.now() + LOCATE_TIMEOUT_MS + 3_000) }, (err, res) => {
      c.close();
      resolve({ ok: !err && (res?.sources.length ?? 0) > 0, ms: performance.now() - started });
    }),
  );
}

/** Files held by at least one node still running. */
function liveFiles(cluster: LocalCluster): string[] {
  const out = new Set<string>();
  for (const n of cluster.nodes.values()) for (const f of n.files) out.add(f.sha256);
  return [...out];
}

/** Every file, located through live supernodes (the ring itself, not a leaf's uplink); returns the misses. */
async function sweep(cluster: LocalCluster, files: string[]): Promise<string[]> {
  const missed: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const sha = files[next++];
      const sns = cluster.supernodes();
      if (sns.length === 0) return;
      const r = await locateOnce(sns[next % sns.length].grpc, sha);
      if (!r.ok) missed.push(sha);
    }
  };
  await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, worker));
  return missed;
}

async function maintenanceSent(cluster: LocalCluster): Promise<number> {
  let total = 0;
  for (const n of cluster.supernodes()) {
    const body = await (await fetch(`http://${n.http}/metrics`)).text().catch(() => '');
    const line = body.split('\n').find((l) => l.startsWith('superpeer_dht_messages_sent_total') && l.includes('purpose="maintenance"'));
    if (line) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

function startLocateLoad(cluster: LocalCluster, files: () => string[], ratePerS: number) {
  const samples: Sample[] = [];
  const t0 = performance.now();
  const running = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const leaves = cluster.leaves();
    const list = files();
    if (leaves.length === 0 || list.length === 0) return;
    const leaf = leaves[Math.floor(Math.random() * leaves.length)];
    const sha = list[Math.floor(Math.random() * list.length)];
    const at = performance.now() - t0;
    const p = locateOnce(leaf.grpc, sha).then((r) => {
      if (cluster.nodes.has(leaf.id)) samples.push({ at, ok: r.ok, ms: r.ms, hung: r.ms > LOCATE_TIMEOUT_MS + 1_000 });
    });
    running.add(p);
    void p.finally(() => running.delete(p));
  }, 1000 / ratePerS);
  return {
    t0,
    async stop(): Promise<Sample[]> {
      clearInterval(timer);
      await Promise.all(running);
      return samples;
    },
  };
}

export async function dhtCrash({ cluster }: ChaosCluster, s: Scale) {
  const members = cluster.supernodes().length;
  // The ring has formed and every record is placed when a sweep misses nothing.
  const formedFrom = performance.now();
  let formedMs = -1;
  for (let i = 0; i < 60 && formedMs < 0; i++) {
    if ((await sweep(cluster, liveFiles(cluster))).length === 0) formedMs = performance.now() - formedFrom;
    else await sleep(2_000);
  }
  let files = liveFiles(cluster);
  const load = startLocateLoad(cluster, () => files, s.rate);
  const m0 = await maintenanceSent(cluster);
  const steadyFrom = performance.now();
  await sleep(s.phaseMs);
  const maintenancePerMemberPerS = (await maintenanceSent(cluster)) - m0;
  const steadyS = (performance.now() - steadyFrom) / 1000;
  const victims = cluster.supernodes().slice(0, Math.max(1, Math.floor(members / 3))).map((n) => n.id);
  const killedAt = performance.now() - load.t0;
  for (const v of victims) cluster.kill(v, 'SIGKILL');
  files = liveFiles(cluster);
  const lost = await sweep(cluster, files);
  const sweptMs = performance.now() - load.t0 - killedAt;
  await sleep(2 * s.phaseMs);
  const samples = await load.stop();
  const after = samples.filter((x) => x.at >= killedAt);
  // Re-stabilised: the start of the first window after the kill from which every window is ≥ 99 %.
  const windows = new Map<number, { ok: number; n: number }>();
  for (const x of after) {
    const k = Math.floor((x.at - killedAt) / WINDOW_MS);
    const w = windows.get(k) ?? { ok: 0, n: 0 };
    w.n++;
    if (x.ok) w.ok++;
    windows.set(k, w);
  }
  const keys = [...windows.keys()].sort((a, b) => a - b);
  let stableFrom = keys.length;
  for (let i = keys.length - 1; i >= 0 && windows.get(keys[i])!.ok >= 0.99 * windows.get(keys[i])!.n; i--) stableFrom = keys[i];
  const stabilisedMs = stableFrom < keys.length ? stableFrom * WINDOW_MS : -1;
  const settled = after.filter((x) => x.at - killedAt >= stabilisedMs && stabilisedMs >= 0);
  const finalMissed = await sweep(cluster, liveFiles(cluster));
  await restore(cluster, victims);
  return {
    members,
    killed: victims.length,
    files: files.length,
    formedMs: Math.round(formedMs),
    maintenancePerMemberPerS: Number((maintenancePerMemberPerS / members / steadyS).toFixed(2)),
    lostRightAfterKill: lost.length,
    sweptWithinMs: Math.round(sweptMs),
    before: summarize(samples.filter((x) => x.at < killedAt)),
    afterKill: summarize(after),
    stabilisedMs,
    afterStabilised: summarize(settled),
    missedAtEnd: finalMissed.length,
    successOverTime: overTime(after.map((x) => ({ ...x, at: x.at - killedAt })), WINDOW_MS),
  };
}
