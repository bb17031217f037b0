// Debian's real Prometheus scrapes a real local cluster (node processes on
// their own loopback addresses) found through the file_sd targets that
// `superpeer cluster up --prometheus-config` writes, while leaves run real
// gRPC searches. Every dashboard expression and every recording rule must
// return data, and the load balance in PromQL must equal `superpeer topology --json`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coefficientOfVariation, jainFairness } from '../../core/balance.js';
import { tokenize } from '../../core/keywords.js';
import { runCli } from '../../cli/test/fake-client-node.js';
import type { TopologyGraph } from '../../cli/render/topology-model.js';
import { Dialer } from '../dial.js';
import { LocalCluster } from '../cluster/local-cluster.js';
import { PrometheusSd } from '../cluster/prometheus-sd.js';
import { RULES_FILE, loadDashboards, loadRules, panelExprs, substitute, variableExprs } from './dashboard-files.js';
import { startPrometheus, type PromSample, type PrometheusServer } from './prometheus-server.js';

const SUPERNODES = 4;
const PEERS = 16;
/** Long enough for every rate window to see several scrapes of traffic. */
const TRAFFIC_MS = 12_000;
const SEARCHERS = 6;
const SEARCH_TIMEOUT_MS = 600;
const MAX_SEARCHES_PER_LEAF = 200;

let cluster: LocalCluster;
let prometheus: PrometheusServer;
let dir: string;
let sd: PrometheusSd;
let unwatch: (() => void) | undefined;
let writeError: unknown;
const dialer = new Dialer({});
const traffic = { searches: 0, results: 0, failed: 0 };

const finite = (s: PromSample[]): boolean => s.length > 0 && s.every((x) => Number.isFinite(x.value));
const one = async (expr: string): Promise<number> => {
  const r = await prometheus.query(expr);
  assert.equal(r.length, 1, `${expr}: ${JSON.stringify(r)}`);
  return r[0].value;
};

/** The most common keywords of the cluster's shared file names. */
function popularTerms(files: { name: string }[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const f of files) for (const t of new Set(tokenize(f.name))) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([t]) => t);
}

function search(grpc: string, query: string): Promise<number> {
  return new Promise((resolve) => {
    let results = 0;
    const call = dialer.clientClient(grpc).Search(
      { query, timeout_ms: SEARCH_TIMEOUT_MS },
      { deadline: new Date(Date.now() + SEARCH_TIMEOUT_MS + 5_000) },
    );
    call.on('data', () => { results += 1; });
    call.on('end', () => resolve(results));
    call.on('error', () => { traffic.failed += 1; resolve(results); });
  });
}

async function driveSearches(leaves: string[], terms: string[]): Promise<void> {
  const until = Date.now() + TRAFFIC_MS;
  await Promise.all(leaves.map(async (grpc, i) => {
    for (let k = 0; k < MAX_SEARCHES_PER_LEAF && Date.now() < until; k++) {
      traffic.results += await search(grpc, terms[(i + k) % terms.length]);
      traffic.searches += 1;
    }
  }));
}

before(async () => {
  cluster = await LocalCluster.up({ supernodes: SUPERNODES, peers: PEERS, zones: 2, seed: 11, nodesPerProcess: 5, filesPerPeer: 12 });
  assert.ok(await cluster.waitAttached(30_000), 'every leaf attached');
  dir = await mkdtemp(path.join(tmpdir(), 'superpeer-prom-cluster-'));
  sd = await PrometheusSd.create(path.join(dir, 'prometheus.yml'));
  await sd.update(cluster.nodes.values());
  unwatch = cluster.onChange(() => { sd.update(cluster.nodes.values()).catch((err: unknown) => { writeError = err; }); });
  prometheus = await startPrometheus({ targetsFile: sd.targetsFile, ruleFiles: [RULES_FILE], scrapeIntervalS: 1 });
  const total = SUPERNODES + PEERS;
  await prometheus.queryUntil('count(up == 1)', (s) => s[0]?.value === total, 20_000);
  const description = await cluster.describe();
  const terms = popularTerms(description.nodes.flatMap((n) => n.files), 8);
  const leaves = description.nodes.filter((n) => n.role !== 'supernode').slice(0, SEARCHERS).map((n) => n.grpc);
  await driveSearches(leaves, terms);
  // One refused call, so the gRPC error panels have a series.
  await new Promise<void>((resolve) => dialer.clientClient(leaves[0]).Locate({ sha256: 'not-a-hash' }, { deadline: new Date(Date.now() + 5_000) }, () => resolve()));
  const trafficEndS = Date.now() / 1000;
  await prometheus.queryUntil('min(timestamp(superpeer_searches_total))', (s) => (s[0]?.value ?? 0) > trafficEndS, 10_000);
  // Rates need two scrapes of the traffic, the rules one evaluation after that.
  await prometheus.queryUntil('superpeer:queries_per_supernode:cv', finite, 15_000);
  await prometheus.queryUntil('superpeer:hits_same_zone:ratio', finite, 15_000);
  await prometheus.queryUntil('superpeer:search_success:ratio', finite, 15_000);
  await prometheus.queryUntil('min(count_over_time(superpeer_grpc_server_handled_total{grpc_code!="OK"}[1m]))', (s) => (s[0]?.value ?? 0) >= 2, 10_000);
});

after(async () => {
  await prometheus?.stop();
  unwatch?.();
  await sd?.flush();
  await cluster?.down();
  dialer.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the traffic was real: searches found files and supernodes handled the queries', async () => {
  assert.ok(traffic.searches >= 50, `searches ${JSON.stringify(traffic)}`);
  assert.ok(traffic.results > 0, `results ${JSON.stringify(traffic)}`);
  assert.equal(traffic.failed, 0);
  const searches = await one('sum(superpeer_searches_total)');
  assert.equal(searches, traffic.searches, 'every gRPC search counted once, at the searching leaf');
  assert.ok(await one('sum(superpeer_queries_handled_total)') > 0);
  assert.ok(await one('sum(superpeer_descriptors_total{type="query_hit",fate="received"})') > 0);
});

test('every dashboard panel, variable and recording rule returns data from the cluster', async () => {
  const dashboards = loadDashboards();
  const exprs = [
    ...panelExprs(dashboards),
    ...variableExprs(dashboards),
    ...loadRules().filter((r) => r.record).map((r) => ({ dashboard: 'rules.yaml', panel: r.record!, expr: r.record! })),
  ];
  const empty: string[] = [];
  const notFinite: string[] = [];
  for (const e of exprs) {
    const samples = await prometheus.query(substitute(e.expr));
    if (samples.length === 0) empty.push(`${e.dashboard} / ${e.panel}: ${e.expr}`);
    else if (!finite(samples)) notFinite.push(`${e.dashboard} / ${e.panel}: ${JSON.stringify(samples)}`);
  }
  assert.deepEqual(empty, [], 'expressions without data');
  assert.deepEqual(notFinite, [], 'expressions with NaN or Inf');
  assert.ok(exprs.length > 60, `${exprs.length} expressions`);
  const show = async (expr: string): Promise<string> => (await one(substitute(expr))).toFixed(3);
  console.log(`# ${exprs.length} expressions; success ${await show('superpeer:search_success:ratio')}, ` +
    `messages/query ${await show('superpeer:messages_per_query:ratio')}, ` +
    `mean hops ${await show('sum(superpeer_search_hops_sum) / sum(superpeer_search_hops_count)')}, ` +
    `p50 first hit ${await show('histogram_quantile(0.5, sum by (le) (rate(superpeer_search_first_hit_seconds_bucket[1m])))')} s, ` +
    `same-zone uplinks ${await show('sum(superpeer_uplinks{locality="same_zone"}) / sum(superpeer_uplinks)')}, ` +
    `same-zone hits ${await show('sum(superpeer_hits_total{locality="same_zone"}) / sum(superpeer_hits_total)')}`);
});

test('leaves-per-supernode CV and Jain in PromQL equal superpeer topology --json at the same moment', async () => {
  const supernode = cluster.supernodes()[0];
  const topologyLeaves = async (): Promise<number[]> => {
    const r = await runCli(['topology', '--target', supernode.grpc, '--json'], 30_000);
    assert.equal(r.code, 0, r.stderr);
    const g = JSON.parse(r.stdout) as TopologyGraph;
    return g.nodes.filter((n) => n.role === 'supernode').map((n) => n.leaves).sort((a, b) => a - b);
  };
  const supernodeLeaves = 'superpeer_leaves and on(node) (superpeer_role{role="supernode"} == 1)';
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await topologyLeaves();
    const t = Date.now() / 1000;
    // A scrape of every supernode after the crawl, then a rule evaluation after that scrape.
    const scraped = await prometheus.queryUntil(`min(timestamp(${supernodeLeaves}))`, (s) => (s[0]?.value ?? 0) > t, 10_000);
    await prometheus.queryUntil('timestamp(superpeer:leaves_per_supernode:jain)', (s) => (s[0]?.value ?? 0) > scraped[0].value, 10_000);
    const promLeaves = (await prometheus.query(supernodeLeaves)).map((s) => s.value).sort((a, b) => a - b);
    const cv = await one('superpeer:leaves_per_supernode:cv');
    const jain = await one('superpeer:leaves_per_supernode:jain');
    const afterwards = await topologyLeaves();
    if (JSON.stringify(before) !== JSON.stringify(afterwards) || JSON.stringify(promLeaves) !== JSON.stringify(before)) continue;
    assert.equal(before.length, SUPERNODES);
    assert.ok(Math.abs(cv - coefficientOfVariation(before)) < 1e-9, `CV ${cv} vs ${coefficientOfVariation(before)} (${before})`);
    assert.ok(Math.abs(jain - jainFairness(before)) < 1e-9, `Jain ${jain} vs ${jainFairness(before)} (${before})`);
    console.log(`# leaves per supernode ${before.join(',')}: CV ${cv.toFixed(4)}, Jain ${jain.toFixed(4)}; ${JSON.stringify(traffic)}`);
    return;
  }
  assert.fail('leaves per supernode kept changing between the crawl and the scrape');
});

test('the targets file follows the cluster: a killed host disappears from Prometheus', async () => {
  const byHost = new Map<number, string[]>();
  for (const n of cluster.nodes.values()) byHost.set(n.host, [...(byHost.get(n.host) ?? []), n.id]);
  const [, ids] = [...byHost.entries()].find(([, members]) =>
    members.every((id) => cluster.nodes.get(id)?.role !== 'supernode'))!;
  cluster.kill(ids[0]);
  await sd.flush();
  assert.equal(writeError, undefined);
  const groups = JSON.parse(await readFile(sd.targetsFile, 'utf8')) as { labels: { node: string } }[];
  const left = SUPERNODES + PEERS - ids.length;
  assert.equal(groups.length, left);
  assert.ok(groups.every((g) => !ids.includes(g.labels.node)));
  await prometheus.queryUntil('count(up)', (s) => s[0]?.value === left, 15_000);
});
