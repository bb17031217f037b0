// Two releases, one Prometheus: two small real local clusters are scraped at
// once under different `job` labels (the same namespace; one also carries a
// `cluster` label, the other none), with real searches,
// a refused call and Status calls on each. Every dashboard query, with the
// release variables set to one of them, must see that release alone: its
// counts are that cluster's own, and deleting the other release's series
// leaves every answer at the same instant unchanged.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../core/keywords.js';
import { Dialer } from '../dial.js';
import { LocalCluster } from '../cluster/local-cluster.js';
import { RULES_FILE, loadDashboards, panelExprs, substitute, variableExprs, type ReleaseSelection } from './dashboard-files.js';
import { startPrometheus, type PromSample, type PrometheusServer } from './prometheus-server.js';

const NAMESPACE = 'p2p';
/** Small and different, so a count that mixes them is visibly wrong. */
const RELEASES = [
  // One behind an external `cluster` label (as Thanos or Mimir add), one without.
  { job: 'sp-a', cluster: 'k1', supernodes: 2, peers: 4, seed: 21 },
  { job: 'sp-b', cluster: '', supernodes: 3, peers: 5, seed: 22 },
] as const;
const SEARCHES_PER_LEAF = 8;
const SEARCH_TIMEOUT_MS = 400;
const CALL_DEADLINE_MS = 5_000;

const clusters: LocalCluster[] = [];
let prometheus: PrometheusServer;
const dialer = new Dialer({});
/** An instant after both releases' traffic was scraped and the rules evaluated on it. */
let atS = 0;

/** The dashboard variables as Grafana sets them: an empty cluster where the label is absent. */
const release = (job: string): ReleaseSelection => ({ cluster: RELEASES.find((r) => r.job === job)!.cluster, namespace: NAMESPACE, job });
const finite = (s: PromSample[]): boolean => s.length > 0 && s.every((x) => Number.isFinite(x.value));

function search(grpc: string, query: string): Promise<void> {
  return new Promise((resolve) => {
    const call = dialer.clientClient(grpc).Search({ query, timeout_ms: SEARCH_TIMEOUT_MS }, { deadline: new Date(Date.now() + CALL_DEADLINE_MS) });
    call.on('data', () => undefined);
    call.on('end', () => resolve());
    call.on('error', () => resolve());
  });
}

function unary(f: (cb: (err: unknown) => void) => void): Promise<boolean> {
  return new Promise((resolve) => f((err) => resolve(err === null)));
}

async function traffic(cluster: LocalCluster): Promise<void> {
  const { nodes } = await cluster.describe();
  const terms = [...new Set(nodes.flatMap((n) => n.files.flatMap((f) => tokenize(f.name))))].slice(0, 6);
  const leaves = nodes.filter((n) => n.role !== 'supernode').slice(0, 2);
  await Promise.all(leaves.map(async (leaf, i) => {
    for (let k = 0; k < SEARCHES_PER_LEAF; k++) await search(leaf.grpc, terms[(i + k) % terms.length]);
  }));
  const client = dialer.clientClient(leaves[0].grpc);
  const deadline = () => ({ deadline: new Date(Date.now() + CALL_DEADLINE_MS) });
  // A refused call: the gRPC dashboard's error panels need one.
  assert.equal(await unary((cb) => client.Locate({ sha256: 'not-a-hash' }, deadline(), cb)), false);
  for (const n of nodes) assert.ok(await unary((cb) => dialer.clientClient(n.grpc).Status({}, deadline(), cb)), `Status of ${n.id}`);
}

before(async () => {
  for (const r of RELEASES) {
    clusters.push(await LocalCluster.up({ supernodes: r.supernodes, peers: r.peers, zones: 2, seed: r.seed, nodesPerProcess: 8, filesPerPeer: 6 }));
  }
  for (const c of clusters) assert.ok(await c.waitAttached(30_000), 'every leaf attached');
  prometheus = await startPrometheus({
    ruleFiles: [RULES_FILE], scrapeIntervalS: 1, adminApi: true,
    jobs: RELEASES.map((r, i) => ({
      name: r.job, labels: { namespace: NAMESPACE, ...(r.cluster ? { cluster: r.cluster } : {}) },
      staticTargets: [...clusters[i].nodes.values()].map((n) => n.http),
    })),
  });
  const total = RELEASES.reduce((sum, r) => sum + r.supernodes + r.peers, 0);
  await prometheus.queryUntil('count(up == 1)', (s) => s[0]?.value === total, 20_000);
  await Promise.all(clusters.map(traffic));
  const trafficEndS = Date.now() / 1000;
  await prometheus.queryUntil('min(timestamp(superpeer_grpc_server_handled_total))', (s) => (s[0]?.value ?? 0) > trafficEndS, 10_000);
  // A series born during the traffic (the refused call) needs two samples for a rate at atS, a second ago.
  await prometheus.queryUntil('min(count_over_time(superpeer_grpc_server_handled_total{grpc_code!="OK"}[1m]))', (s) => (s[0]?.value ?? 0) >= 3, 10_000);
  for (const r of RELEASES) {
    await prometheus.queryUntil(`superpeer:queries_per_supernode:jain{job="${r.job}"}`, finite, 15_000);
    await prometheus.queryUntil(`timestamp(superpeer:search_success:ratio{job="${r.job}"})`, (s) => (s[0]?.value ?? 0) > trafficEndS, 15_000);
  }
  atS = Date.now() / 1000 - 1;
});

after(async () => {
  await prometheus?.stop();
  for (const c of clusters) await c.down();
  dialer.close();
});

test('every panel and variable returns data for each release on its own', async () => {
  const dashboards = loadDashboards();
  const exprs = [...panelExprs(dashboards), ...variableExprs(dashboards)];
  for (const r of RELEASES) {
    const empty: string[] = [];
    for (const e of exprs) {
      if ((await prometheus.query(substitute(e.expr, release(r.job)), atS)).length === 0) empty.push(`${e.dashboard} / ${e.panel}: ${e.expr}`);
    }
    assert.deepEqual(empty, [], `${r.job}: expressions without data`);
  }
});

test('the overview counts each release\'s own nodes; leaves attached counts a leaf once, not per uplink', async () => {
  const overview = panelExprs(loadDashboards()).filter((e) => e.dashboard === 'superpeer-overview');
  const expr = (panel: string): string => overview.find((e) => e.panel === panel)!.expr;
  for (const [i, r] of RELEASES.entries()) {
    const { nodes } = await clusters[i].describe();
    const value = async (e: string): Promise<number> => {
      const s = await prometheus.query(substitute(e, release(r.job)), atS);
      assert.equal(s.length, 1, `${e}: ${JSON.stringify(s)}`);
      return s[0].value;
    };
    const leaves = nodes.filter((n) => n.role !== 'supernode').length;
    assert.equal(await value(expr('Supernodes')), nodes.length - leaves, r.job);
    assert.equal(await value(expr('Leaves')), leaves, r.job);
    assert.equal(await value(expr('Leaves attached')), leaves, `${r.job}: every leaf attached, counted once`);
    const attachments = await value(`sum(superpeer_leaves{namespace="${NAMESPACE}", job="${r.job}"})`);
    assert.equal(attachments, leaves * 2, `${r.job}: two uplinks per leaf`);
  }
});

test('a release whose targets are all down raises SuperpeerAllTargetsDown for itself alone', async () => {
  await clusters[1].down();
  const alerts = await prometheus.queryUntil('ALERTS{alertname="SuperpeerAllTargetsDown"}', (s) => s.length > 0, 30_000);
  assert.deepEqual(alerts.map((s) => [s.metric.namespace, s.metric.job, s.metric.alertstate]), [[NAMESPACE, 'sp-b', 'pending']]);
});

test('no dashboard query or variable sees the other release: deleting its series changes no answer', async () => {
  const dashboards = loadDashboards();
  // The release variables list every release by design; zone and node list the selected one's.
  const pickers = new Set(['variable cluster', 'variable namespace', 'variable job']);
  const exprs = [...panelExprs(dashboards), ...variableExprs(dashboards).filter((v) => !pickers.has(v.panel))].map((e) => ({ ...e, expr: substitute(e.expr, release('sp-a')) }));
  const answer = async (expr: string): Promise<string> => JSON.stringify((await prometheus.query(expr, atS))
    .map((s) => ({ ...s, value: Number.isNaN(s.value) ? 'NaN' : s.value }))
    .sort((x, y) => (JSON.stringify(x.metric) < JSON.stringify(y.metric) ? -1 : 1)));
  const before = new Map<string, string>();
  for (const e of exprs) before.set(e.expr, await answer(e.expr));
  assert.notEqual(await answer('sum(superpeer_role{job="sp-b"})'), '[]', 'the other release has data before');
  await prometheus.deleteSeries('{job="sp-b"}');
  assert.equal(await answer('sum(superpeer_role{job="sp-b"})'), '[]', 'and none after');
  const changed: string[] = [];
  for (const e of exprs) {
    const now = await answer(e.expr);
    if (now !== before.get(e.expr)) changed.push(`${e.dashboard} / ${e.panel}: ${before.get(e.expr)} -> ${now}`);
  }
  assert.deepEqual(changed, []);
  assert.ok(exprs.length > 70, `${exprs.length} expressions`);
});
