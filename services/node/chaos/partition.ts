// Zone partition: every node of zone A refuses zone B and the other way
// round (the transport's fault-injection switch, POST /admin/faults), so no
// Link or Attach crosses the cut. Each side must keep finding what its own
// zone holds; after the heal the overlay must re-merge and cross-zone hits
// come back. Redis stays reachable from both sides.
import type { LocalCluster } from '../cluster/local-cluster.js';
import { sleep, type ChaosCluster, type Scale } from './cluster.js';
import { searchOnce, summarize, type Sample } from './load.js';

interface Probe {
  from: string;
  sha256: string;
}

/** Files held in `zone` only (`own`), or only outside it (`other`), each paired with a leaf of `zone` to search from. */
function probes(cluster: LocalCluster, zone: string, which: 'own' | 'other'): Probe[] {
  const zonesOf = new Map<string, Set<string>>();
  for (const n of cluster.nodes.values()) for (const f of n.files) (zonesOf.get(f.sha256) ?? zonesOf.set(f.sha256, new Set()).get(f.sha256)!).add(n.zone);
  const leaves = cluster.leaves().filter((l) => l.zone === zone);
  const files = [...zonesOf].filter(([, z]) => (which === 'own' ? z.size === 1 && z.has(zone) : !z.has(zone))).map(([h]) => h);
  // Never from a holder: a node's own files are not hits of its own search.
  return files.flatMap((sha256, i) => {
    const askers = leaves.filter((l) => !l.files.some((f) => f.sha256 === sha256));
    return askers.length ? [{ from: askers[i % askers.length].grpc, sha256 }] : [];
  });
}

/** `count` probes of both zones, `ratePerS` a second; one sample each. */
async function searchRound(cluster: LocalCluster, which: 'own' | 'other', count: number, ratePerS: number): Promise<Sample[]> {
  const zones = [...new Set([...cluster.nodes.values()].map((n) => n.zone))].sort();
  const all = zones.flatMap((z) => probes(cluster, z, which));
  const picked = Array.from({ length: Math.min(count, all.length) }, (_, i) => all[Math.floor((i * all.length) / Math.min(count, all.length))]);
  const t0 = performance.now();
  const running: Promise<Sample>[] = [];
  for (const p of picked) {
    const at = performance.now() - t0;
    running.push(searchOnce(p.from, p.sha256).then((r) => ({ at, ok: r.ok, ms: r.ms, hung: false })));
    await sleep(1000 / ratePerS);
  }
  return Promise.all(running);
}

async function setFaults(cluster: LocalCluster, blockOther: boolean): Promise<void> {
  const zones = [...new Set([...cluster.nodes.values()].map((n) => n.zone))];
  await Promise.all(
    [...cluster.nodes.values()].map(async (n) => {
      const block = blockOther ? zones.filter((z) => z !== n.zone).join(',') : '';
      const res = await fetch(`http://${n.http}/admin/faults?block_zones=${encodeURIComponent(block)}`, { method: 'POST' });
      if (!res.ok) throw new Error(`${n.id}: /admin/faults answered ${res.status}`);
    }),
  );
}

/** Live overlay streams (uplinks, links) that cross zones. */
async function crossZoneStreams(cluster: LocalCluster): Promise<{ crossing: number; supernodeLinksAcross: number }> {
  const st = await cluster.statuses(1_000);
  const zoneById = new Map([...cluster.nodes.values()].map((n) => [n.id, n.zone]));
  const zoneByGrpc = new Map([...cluster.nodes.values()].map((n) => [n.grpc, n.zone]));
  let crossing = 0;
  let across = 0;
  for (const [id, s] of st) {
    const z = zoneById.get(id);
    crossing += s.uplinks.filter((u) => zoneById.get(u.node_id) !== z).length;
    const links = s.neighbours.filter((n) => zoneByGrpc.get(n.grpc_address) !== undefined && zoneByGrpc.get(n.grpc_address) !== z).length;
    crossing += links;
    across += links;
  }
  return { crossing, supernodeLinksAcross: across };
}

/** Every leaf holds min(2, supernodes of its zone) uplinks. */
async function rehomedInZone(cluster: LocalCluster): Promise<boolean> {
  const st = await cluster.statuses(1_000);
  const sns = cluster.supernodes();
  return cluster.leaves().every((l) => (st.get(l.id)?.uplinks.length ?? 0) >= Math.min(2, sns.filter((n) => n.zone === l.zone).length));
}

async function waitFor(check: () => Promise<boolean>, since: number, deadlineMs: number): Promise<number> {
  for (let i = 0; i < 1_000 && performance.now() - since < deadlineMs; i++) {
    if (await check()) return Math.round(performance.now() - since);
    await sleep(100);
  }
  return -1;
}

export async function zonePartition({ cluster }: ChaosCluster, s: Scale & { probes: number }) {
  const rate = Math.max(2 * s.rate, 20);
  const before = summarize(await searchRound(cluster, 'other', s.probes, rate));
  const cutAt = performance.now();
  await setFaults(cluster, true);
  const splitMs = await waitFor(async () => (await crossZoneStreams(cluster)).crossing === 0, cutAt, 30_000);
  // Leaves that lost a cross-zone uplink find another in their own zone.
  const rehomedMs = await waitFor(() => rehomedInZone(cluster), cutAt, 30_000);
  const ownDuring = summarize(await searchRound(cluster, 'own', s.probes, rate));
  const otherDuring = summarize(await searchRound(cluster, 'other', Math.ceil(s.probes / 2), rate));
  const healAt = performance.now();
  await setFaults(cluster, false);
  // Re-merged: supernode links cross the cut again, and a cross-zone search finds its file.
  const remergeMs = await waitFor(async () => (await crossZoneStreams(cluster)).supernodeLinksAcross > 0, healAt, 30_000);
  const firstHitMs = await waitFor(async () => (await searchRound(cluster, 'other', 4, 50)).every((x) => x.ok), healAt, 30_000);
  const after = summarize(await searchRound(cluster, 'other', s.probes, rate));
  if (!(await cluster.waitAttached(60_000))) throw new Error('overlay did not re-form after the heal');
  return {
    crossZoneBeforePct: before.successPct,
    splitMs,
    rehomedMs,
    ownZoneDuringPct: ownDuring.successPct,
    ownZoneDuringP99Ms: Math.round(ownDuring.p99Ms),
    ownZoneSearches: ownDuring.searches,
    crossZoneDuringPct: otherDuring.successPct,
    remergeMs,
    crossZoneHitsBackMs: firstHitMs,
    crossZoneAfterPct: after.successPct,
    crossZoneAfterP99Ms: Math.round(after.p99Ms),
  };
}
