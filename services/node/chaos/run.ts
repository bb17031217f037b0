// `make chaos`: every fault scenario at full size on this machine, bounded in
// time, loopback only. Prints the figures and rewrites the measured section
// of docs/reliability.md. With scenario names as arguments (crash, churn,
// redis, sigterm, partition, dht) runs only those and prints their rows.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chaosCluster, churn, gracefulStop, redisLoss, supernodeCrash, zonePartition, type Scale } from './scenarios.js';
import type { ChaosCluster } from './cluster.js';
import { dhtCrash } from './dht.js';

const FULL: Scale = { supernodes: 6, peers: 60, nodesPerProcess: 6, rate: 20, phaseMs: 20_000 };
/** The dht ring scenario: the same supernodes, fewer leaves (it measures the ring, not the tier). */
const DHT: Scale = { ...FULL, peers: 24, mode: 'dht' };
const BIG_FILE_MIB = 256;
const PROBES = 200;
const CHURN_MS = 180_000;
const DOC = fileURLToPath(new URL('../../../docs/reliability.md', import.meta.url));
const BEGIN = '<!-- chaos:begin -->';
const END = '<!-- chaos:end -->';

const rows: string[] = [];
const loadAtStart = os.loadavg()[0];
const pct = (x: number) => `${x.toFixed(2)} %`;
const ms = (x: number) => `${Math.round(x)} ms`;

/** Each scenario on a fresh cluster, so one's aftermath never colours the next's figures. */
async function fresh<T>(f: (c: ChaosCluster) => Promise<T>, scale: Scale = FULL): Promise<T> {
  const c = await chaosCluster(scale);
  try {
    return await f(c);
  } finally {
    await c.down();
  }
}

/** Scenario name (the argument that runs it alone) → its run, which pushes its table row. */
const SCENARIOS: Record<string, () => Promise<void>> = {
  async crash() {
    const crash = await fresh((c) => supernodeCrash(c, FULL));
    console.log('crash', crash);
    rows.push(`| supernode crash | SIGKILL ${crash.killed} of ${FULL.supernodes} supernodes under ${FULL.rate} searches/s; ${crash.orphans} leaves lost an uplink | ${pct(crash.successPct)} of ${crash.searches} (${crash.successOverTime}) | ${ms(crash.p99Ms)} | every leaf back to 2 uplinks ${ms(crash.allRehomedMs)} after the kill; slowest leaf's own loss→Welcome ${ms(crash.maxLeafRehomeMs)}; hung searches: ${crash.hung} | — |`);
  },
  async churn() {
    const ch = await fresh((c) => churn(c, { ...FULL, phaseMs: CHURN_MS, killEveryMs: 3_000, downMs: 2_000 }));
    console.log('churn', ch);
    rows.push(`| churn | ${CHURN_MS / 60_000} min: a node SIGKILLed every 3 s (one in five a supernode), restarted 2 s later; ${ch.kills} kills | ${pct(ch.successPct)} of ${ch.searches} for files with ≥ 3 replicas (${ch.successOverTime}) | ${ms(ch.p99Ms)} | hung searches: ${ch.hung} | long-lived supernode RSS ${ch.rssStartMiB} → ${ch.rssEndMiB} MiB |`);
  },
  async redis() {
    const rl = await fresh((c) => redisLoss(c, FULL));
    console.log('redis', rl);
    rows.push(`| Redis loss | redis-server SIGKILLed for ${ms(rl.outageMs)}, restarted empty | ${pct(rl.successPct)} of ${rl.searches} | ${ms(rl.p99Ms)} | directory back to ${rl.keysAfter} supernode entries (${rl.keysBefore} before) ${ms(rl.rebuiltMs)} after Redis returned | — |`);
  },
  async sigterm() {
    const gs = await fresh((c) => gracefulStop(c, FULL), { ...FULL, bigFileMiB: BIG_FILE_MIB });
    console.log('sigterm', gs);
    const d = gs.download!;
    rows.push(`| graceful stop | SIGTERM ${gs.stopped}, which had ${gs.itsLeaves} leaves and was serving a ${d.fileMiB} MiB download (\`superpeer get\`, two sources) ${d.stoppedAtPct} % in | ${pct(gs.successPct)} of ${gs.searches} | ${ms(gs.p99Ms)} | every leaf back to 2 uplinks ${ms(gs.allRehomedMs)} after the signal; hung: ${gs.hung}. Download: exit ${d.exitCode}, ${d.verified ? 'sha256 verified' : 'NOT verified'}, ${(d.fromStopped / 2 ** 20).toFixed(1)} MiB from the stopped source and ${(d.fromOther / 2 ** 20).toFixed(1)} MiB from the other, ${d.durationMs} ms; final file seen before verification: ${d.finalBeforeVerified} times; .part left: ${d.partLeft ? 'yes' : 'no'} | — |`);
  },
  async partition() {
    const zp = await fresh((c) => zonePartition(c, { ...FULL, probes: PROBES }));
    console.log('partition', zp);
    rows.push(`| zone partition | every node refuses the other zone (fault switch, \`POST /admin/faults\`) | own-zone files ${pct(zp.ownZoneDuringPct)} of ${zp.ownZoneSearches} during the cut (cross-zone: ${pct(zp.crossZoneBeforePct)} before, ${pct(zp.crossZoneDuringPct)} during, ${pct(zp.crossZoneAfterPct)} after the heal) | ${ms(zp.ownZoneDuringP99Ms)} during; ${ms(zp.crossZoneAfterP99Ms)} after | no stream across the cut ${ms(zp.splitMs)} after it, leaves re-homed in their zone ${ms(zp.rehomedMs)} after it; supernode links across ${ms(zp.remergeMs)} and cross-zone hits ${ms(zp.crossZoneHitsBackMs)} after the heal | — |`);
  },
  async dht() {
    const d = await fresh((c) => dhtCrash(c, DHT), DHT);
    console.log('dht', d);
    rows.push(`| dht ring crash | dht mode (${d.members} ring members × 8 positions, r = 3, ${d.files} files); SIGKILL ${d.killed} of ${d.members} supernodes and ${DHT.peers} leaves under ${DHT.rate} Locates/s | records lost although a replica lives: ${d.lostRightAfterKill} of ${d.files} (swept through live members within ${ms(d.sweptWithinMs)} of the kill); Locate ${pct(d.afterKill.successPct)} of ${d.afterKill.searches} after the kill (${d.successOverTime}), ${pct(d.afterStabilised.successPct)} of ${d.afterStabilised.searches} once re-stabilised | ${ms(d.afterKill.p99Ms)} | ≥ 99 % in every 5 s window from ${d.stabilisedMs < 0 ? 'never' : ms(d.stabilisedMs)} after the kill; ${d.missedAtEnd} files unlocatable at the end | ring maintenance ${d.maintenancePerMemberPerS} msgs/member/s before the kill |`);
  },
};

const wanted = process.argv.slice(2);
for (const name of wanted) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
for (const [name, run] of Object.entries(SCENARIOS)) if (wanted.length === 0 || wanted.includes(name)) await run();
if (wanted.length > 0) {
  // Only a whole run rewrites the document's figures.
  console.log(rows.join('\n'));
  process.exit(0);
}

const table = [
  BEGIN,
  `Cluster: ${FULL.supernodes} supernodes, ${FULL.peers} leaves in 2 zones (${FULL.nodesPerProcess} leaves per process, each supernode alone), private redis-server; load: exact-hash searches (2 s deadline) for files with ≥ 3 replicas from random live leaves. Run of ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0].toFixed(1)} at the end; reproduced by \`make chaos\`.`,
  '',
  '| scenario | injected | search success | p99 latency | recovery | memory |',
  '|---|---|---|---|---|---|',
  ...rows,
  END,
].join('\n');
const doc = await readFile(DOC, 'utf8');
const i = doc.indexOf(BEGIN);
const j = doc.indexOf(END);
await writeFile(DOC, i >= 0 && j > i ? doc.slice(0, i) + table + doc.slice(j + END.length) : `${doc}\n${table}\n`);
console.log(`wrote ${DOC}`);
