// The peers of a run: zone, access link, NAT, participation score, shared
// files, and who is elected supernode — by the core's own score and
// election code, so the simulated overlay is the one the cluster would form.
import { decideElection, type ElectionNode } from '../core/election.js';
import type { PeerInfo } from '../core/peer.js';
import { participationScore } from '../core/score.js';
import type { Catalogue } from './catalogue.js';
import { pareto } from './distributions.js';
import type { SimParams } from './params.js';

/** Access-link classes (Saroiu et al. 2002 measured Gnutella/Napster peers roughly so). */
export const BANDWIDTH_CLASSES = [
  { name: 'modem', share: 0.2, accessMs: 60, uploadBps: 56e3, cpuCores: 1, memoryBytes: 0.5 * 1024 ** 3 },
  { name: 'broadband', share: 0.55, accessMs: 15, uploadBps: 1e6, cpuCores: 2, memoryBytes: 1 * 1024 ** 3 },
  { name: 'campus', share: 0.25, accessMs: 2, uploadBps: 50e6, cpuCores: 4, memoryBytes: 4 * 1024 ** 3 },
] as const;
/** Mean uptime before the run, for the score's uptime component: 2 h. */
const MEAN_PRIOR_UPTIME_MS = 2 * 60 * 60 * 1000;
/** Above this many peers only the best-scored 3·S eligible peers are offered to the election (see docs/simulation.md). */
export const ELECTION_FULL_VIEW_MAX = 20_000;

export interface Population {
  n: number;
  zone: Uint16Array;
  bwClass: Uint8Array;
  accessMs: Float32Array;
  firewalled: Uint8Array;
  score: Float32Array;
  isSupernode: Uint8Array;
  /** Supernode peer indices, in election order. */
  supernodes: number[];
  /** Files of peer i: fileIds[shareStart[i] .. shareStart[i+1]). */
  shareStart: Int32Array;
  fileIds: Int32Array;
  leafCapacity: number;
  info(i: number): PeerInfo;
}

export function serventIdOf(i: number): string {
  return i.toString(16).padStart(32, '0');
}

export function buildPopulation(p: SimParams, catalogue: Catalogue, random: () => number): Population {
  const n = p.peers;
  const zone = new Uint16Array(n);
  const bwClass = new Uint8Array(n);
  const accessMs = new Float32Array(n);
  const firewalled = new Uint8Array(n);
  const score = new Float32Array(n);
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    zone[i] = Math.floor(random() * p.zones);
    let u = random();
    let c = 0;
    while (c < BANDWIDTH_CLASSES.length - 1 && u >= BANDWIDTH_CLASSES[c].share) u -= BANDWIDTH_CLASSES[c++].share;
    bwClass[i] = c;
    accessMs[i] = BANDWIDTH_CLASSES[c].accessMs;
    firewalled[i] = random() < p.firewalled ? 1 : 0;
    counts[i] = random() < p.freeRiders ? 0 : Math.min(1000, Math.max(1, Math.round(pareto(p.meanShared, 1.5, random))));
  }
  const shareStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) shareStart[i + 1] = shareStart[i] + counts[i];
  const fileIds = new Int32Array(shareStart[n]);
  for (let i = 0; i < n; i++) {
    const seen = new Set<number>();
    for (let j = shareStart[i]; j < shareStart[i + 1]; j++) {
      let f = catalogue.drawReplica();
      for (let t = 0; t < 8 && seen.has(f); t++) f = catalogue.drawReplica();
      seen.add(f);
      fileIds[j] = f;
    }
  }
  for (let i = 0; i < n; i++) {
    const bw = BANDWIDTH_CLASSES[bwClass[i]];
    score[i] = participationScore({
      uptimeMs: pareto(MEAN_PRIOR_UPTIME_MS, 1.5, random),
      cpuCores: bw.cpuCores,
      memoryBytes: bw.memoryBytes,
      uploadBandwidthBps: bw.uploadBps,
      firewalled: firewalled[i] === 1,
      filesShared: counts[i],
      bytesUploaded: 0,
      hitsServed: 0,
      reliability: 0.5 + 0.5 * random(),
    }).score;
  }
  const supernodes = elect(p, n, zone, firewalled, score);
  const isSupernode = new Uint8Array(n);
  for (const s of supernodes) isSupernode[s] = 1;
  const leaves = n - supernodes.length;
  // Room for every leaf's uplinks with half again to spare for re-homing.
  const leafCapacity = Math.max(64, Math.ceil((1.5 * leaves * p.uplinks) / Math.max(1, supernodes.length)));
  const info = (i: number): PeerInfo => ({
    nodeId: `p${i}`,
    serventId: serventIdOf(i),
    zone: `z${zone[i]}`,
    grpcAddress: `p${i}:6346`,
    httpAddress: `p${i}:6347`,
    firewalled: firewalled[i] === 1,
    score: score[i],
    role: isSupernode[i] ? 'supernode' : 'leaf',
    leafCapacity,
  });
  return { n, zone, bwClass, accessMs, firewalled, score, isSupernode, supernodes, shareStart, fileIds, leafCapacity, info };
}

/** The core's election, asked for exactly S supernodes: its load target is set to what S supernodes would carry. */
function elect(p: SimParams, n: number, zone: Uint16Array, firewalled: Uint8Array, score: Float32Array): number[] {
  const s = p.supernodes;
  let offered: Set<number> | undefined;
  if (n > ELECTION_FULL_VIEW_MAX) {
    const eligible: number[] = [];
    for (let i = 0; i < n; i++) if (!firewalled[i]) eligible.push(i);
    eligible.sort((a, b) => score[b] - score[a] || a - b);
    offered = new Set(eligible.slice(0, 3 * s));
  }
  const nodes: ElectionNode[] = [];
  for (let i = 0; i < n; i++) {
    const eligible = firewalled[i] === 0 && (offered?.has(i) ?? true);
    nodes.push({ id: String(i), score: score[i], eligible, role: 'leaf', zone: `z${zone[i]}`, leaves: 0, leafCapacity: 0, lastChangeMs: -Infinity });
  }
  const target = Math.max(1, ((n - s) * p.uplinks) / s);
  const decision = decideElection({
    nodes,
    now: 0,
    options: { targetLeavesPerSupernode: target, minSupernodes: s, minRoleHoldMs: 0, uplinksPerLeaf: p.uplinks, promoteAboveRatio: 1 },
  });
  return decision.promote.map(Number);
}
