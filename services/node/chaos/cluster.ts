// The cluster chaos scenarios run on, and helpers they share: every node a
// process on its own loopback address, a private redis-server, fault
// injection on (test facility, faults.ts), optionally one large file on two
// supernodes for the download-under-SIGTERM check.
import { randomBytes, createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalCluster } from '../cluster/local-cluster.js';

export interface Scale {
  supernodes: number;
  peers: number;
  nodesPerProcess: number;
  /** searches per second */
  rate: number;
  /** how long each phase of a scenario runs */
  phaseMs: number;
  /** size of the large file two supernodes share (0: none) */
  bigFileMiB?: number;
  /** search mode of the cluster (default supernode) */
  mode?: 'supernode' | 'dht';
  /** files each peer shares (default 10) */
  filesPerPeer?: number;
}

/** The large file: held by two supernodes, each alone in its process. */
export interface BigFile {
  sha256: string;
  size: number;
  name: string;
  holders: [string, string];
}

export interface ChaosCluster {
  cluster: LocalCluster;
  big?: BigFile;
  workDir: string;
  down(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function chaosCluster(s: Scale): Promise<ChaosCluster> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'superpeer-chaos-'));
  let big: BigFile | undefined;
  if (s.bigFileMiB) {
    // Written before the nodes start so their first share scan indexes it.
    const body = randomBytes(s.bigFileMiB * 2 ** 20);
    const holders: [string, string] = ['sn-0', 'sn-1'];
    big = { sha256: createHash('sha256').update(body).digest('hex'), size: body.length, name: 'large.bin', holders };
    for (const h of holders) {
      await mkdir(path.join(workDir, 'share', h), { recursive: true });
      await writeFile(path.join(workDir, 'share', h, big.name), body);
    }
  }
  const cluster = await LocalCluster.up({
    supernodes: s.supernodes,
    peers: s.peers,
    zones: 2,
    filesPerPeer: s.filesPerPeer ?? 10,
    mode: s.mode ?? 'supernode',
    nodesPerProcess: s.nodesPerProcess,
    seed: 11,
    workDir,
    nodeOverrides: { faultInjection: true },
  }).catch(async (err: unknown) => {
    await rm(workDir, { recursive: true, force: true });
    throw err;
  });
  const down = async () => {
    await cluster.down();
    await rm(workDir, { recursive: true, force: true });
  };
  if (!(await cluster.waitAttached(60_000))) {
    await down();
    throw new Error('overlay did not form');
  }
  return { cluster, big, workDir, down };
}

/** Every live leaf holds min(2, live supernodes) uplinks; resolves with ms it took (or -1 at the deadline). */
export async function allRehomed(cluster: LocalCluster, since: number, deadlineMs = 30_000): Promise<number> {
  for (let i = 0; i < 1_000 && performance.now() - since < deadlineMs; i++) {
    const st = await cluster.statuses(1_000);
    const sns = [...st.values()].filter((s) => s.node?.role === 'supernode').length;
    const leaves = [...st.values()].filter((s) => s.node?.role !== 'supernode');
    if (leaves.length > 0 && leaves.every((s) => s.uplinks.length >= Math.min(2, sns))) return performance.now() - since;
    await sleep(100);
  }
  return -1;
}

/** Starts again the nodes a scenario killed, so the next scenario finds the whole cluster. */
export async function restore(cluster: LocalCluster, ids: string[]): Promise<void> {
  for (const id of ids) if (!cluster.nodes.has(id)) await cluster.restart(id).catch(() => undefined);
  if (!(await cluster.waitAttached(60_000))) throw new Error('overlay did not re-form after the scenario');
}

export async function rssMiB(cluster: LocalCluster, id: string): Promise<number> {
  const n = cluster.nodes.get(id);
  if (!n) return NaN;
  const body = await (await fetch(`http://${n.http}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith('superpeer_process_resident_memory_bytes'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) / 2 ** 20 : NaN;
}
