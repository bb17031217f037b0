// A real Prometheus scrapes a few fake nodes (real HTTP servers on loopback
// serving the factory's /metrics) and evaluates deploy/prometheus/rules.yaml:
// every recording rule and every dashboard expression must return data, and
// the load-balance measures in PromQL must equal services/core/balance.ts.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { coefficientOfVariation, jainFairness } from '../../core/balance.js';
import { createMetrics, recordObservation, type Metrics, type NodeGaugeState } from '../metrics.js';
import { RULES_FILE, loadDashboards, loadRules, panelExprs, substitute, variableExprs } from './dashboard-files.js';
import { startPrometheus, type PromSample, type PrometheusServer } from './prometheus-server.js';

interface FakeNode {
  id: string;
  zone: string;
  state: Partial<NodeGaugeState>;
  /** Queries this supernode handles per scrape, so rates differ between supernodes. */
  queriesPerScrape: number;
}

const NODES: FakeNode[] = [
  { id: 's1', zone: 'zone-a', queriesPerScrape: 5, state: { role: 'supernode', leaves: 10, leafCapacity: 8, links: 2, indexFiles: 120, participationScore: 0.9, uploadSlots: 4, uploadSlotsInUse: 1, registryUp: true } },
  { id: 's2', zone: 'zone-b', queriesPerScrape: 2, state: { role: 'supernode', leaves: 4, leafCapacity: 64, links: 2, indexFiles: 40, participationScore: 0.7, uploadSlots: 4, uploadSlotsInUse: 0, registryUp: true } },
  { id: 's3', zone: 'zone-a', queriesPerScrape: 3, state: { role: 'supernode', leaves: 7, leafCapacity: 64, links: 2, indexFiles: 75, participationScore: 0.8, uploadSlots: 4, uploadSlotsInUse: 2, registryUp: true } },
  { id: 'l1', zone: 'zone-a', queriesPerScrape: 0, state: { role: 'leaf', leafCapacity: 64, uplinks: { sameZone: 1, crossZone: 0 }, participationScore: 0.2, uploadSlots: 4, registryUp: true } },
  { id: 'l2', zone: 'zone-b', queriesPerScrape: 0, state: { role: 'leaf', leafCapacity: 64, uplinks: { sameZone: 0, crossZone: 1 }, participationScore: 0.1, uploadSlots: 4, registryUp: true } },
  { id: 'l3', zone: 'zone-b', queriesPerScrape: 0, state: { role: 'leaf', leafCapacity: 64, uplinks: { sameZone: 1, crossZone: 1 }, participationScore: 0.3, uploadSlots: 4, registryUp: false } },
];
const LEAVES = NODES.filter((n) => n.state.role === 'supernode').map((n) => n.state.leaves ?? 0);

/** One scrape's worth of traffic: every node searches, supernodes handle queries. */
function traffic(node: FakeNode, m: Metrics, scrape: number): void {
  for (let i = 0; i < node.queriesPerScrape; i++) {
    recordObservation(m, { type: 'descriptor', kind: 'query', fate: 'received' });
    recordObservation(m, { type: 'query_handled', matched: i % 2 === 0 });
    recordObservation(m, { type: 'descriptor', kind: 'query', fate: i % 3 === 0 ? 'duplicate' : 'forwarded' });
    recordObservation(m, { type: 'descriptor', kind: 'query', fate: 'ttl_expired' });
  }
  recordObservation(m, { type: 'sent', kind: 'query', count: 3 });
  recordObservation(m, { type: 'hit', hops: 1 + (scrape % 3), sameZone: scrape % 2 === 0, results: 2 });
  const found = scrape % 5 !== 0;
  recordObservation(m, { type: 'search_done', firstHitMs: found ? 40 + scrape : null, durationMs: 1500, results: found ? 2 : 0 });
  m.transferBytes.inc({ direction: 'upload' }, 4096);
  m.transferBytes.inc({ direction: 'download' }, 2048);
  m.uploadsChoked.inc();
  m.rehomes.inc();
  m.roleChanges.inc({ direction: scrape % 2 === 0 ? 'promotion' : 'demotion' });
  m.registryErrors.inc('heartbeat');
  const search = { service: 'superpeer.v1.Client', method: 'Search', type: 'server_stream' } as const;
  const link = { service: 'superpeer.v1.Overlay', method: 'Link', type: 'bidi_stream' } as const;
  m.grpcServer.started(search);
  m.grpcServer.handled(search, scrape % 4 === 0 ? 'RESOURCE_EXHAUSTED' : 'OK', 0.02 * (1 + (scrape % 5)));
  if (scrape === 0) m.grpcServer.started(link);
}

let prometheus: PrometheusServer;
const servers: Server[] = [];

before(async () => {
  const targets: string[] = [];
  for (const node of NODES) {
    const metrics = createMetrics({ nodeId: node.id, zone: node.zone });
    metrics.collectState(() => node.state);
    let scrape = 0;
    const server = createServer((req, res) => {
      if (req.url !== '/metrics') { res.writeHead(404).end(); return; }
      traffic(node, metrics, scrape++);
      metrics.handler().then(({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    targets.push(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  prometheus = await startPrometheus({ staticTargets: targets, ruleFiles: [RULES_FILE], scrapeIntervalS: 1 });
  // Rates need two scrapes of every target, and the rules one evaluation after that.
  const finite = (s: PromSample[]): boolean => s.length > 0 && s.every((x) => Number.isFinite(x.value));
  await prometheus.queryUntil(`count(rate(superpeer_queries_handled_total[1m]) > 0) == ${NODES.filter((n) => n.queriesPerScrape > 0).length}`, (s) => s.length === 1);
  await prometheus.queryUntil('superpeer:queries_per_supernode:cv', finite);
  await prometheus.queryUntil('superpeer:hits_same_zone:ratio', finite);
  // The gRPC ratios divide by the rate of all calls: the OK series starts one scrape later than the first error.
  await prometheus.queryUntil('sum(rate(superpeer_grpc_server_handled_total{grpc_code="OK"}[1m])) > 0', (s) => s.length === 1);
});

after(async () => {
  await prometheus?.stop();
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
});

test('promtool accepts the rule file and the local scrape config', () => {
  const rules = spawnSync('promtool', ['check', 'rules', RULES_FILE], { encoding: 'utf8' });
  assert.equal(rules.status, 0, rules.stdout + rules.stderr);
  const config = spawnSync('promtool', ['check', 'config', join(dirname(RULES_FILE), 'prometheus-local.yml')], { encoding: 'utf8' });
  assert.equal(config.status, 0, config.stdout + config.stderr);
});

test('every recording rule returns data; every alert expression evaluates', async () => {
  const rules = loadRules();
  assert.ok(rules.some((r) => r.record) && rules.some((r) => r.alert));
  for (const r of rules) {
    if (r.record) {
      // Each rule group evaluates on its own tick; on a loaded machine one may lag the others.
      const samples = await prometheus.queryUntil(r.record, (x) => x.length > 0, 30_000);
      assert.ok(samples.length > 0, `recording rule ${r.record} has no data`);
    } else {
      await prometheus.query(r.expr); // throws on a PromQL error
    }
  }
  const zones = await prometheus.query('superpeer:uplinks_same_zone:ratio');
  const byZone = Object.fromEntries(zones.map((s) => [s.metric.zone, s.value]));
  assert.deepEqual(byZone, { 'zone-a': 1, 'zone-b': 1 / 3 });
});

test('every dashboard panel and variable expression returns data', async () => {
  const dashboards = loadDashboards();
  const exprs = [...panelExprs(dashboards), ...variableExprs(dashboards)];
  const empty: string[] = [];
  for (const e of exprs) {
    const samples = await prometheus.query(substitute(e.expr));
    if (samples.length === 0) empty.push(`${e.dashboard} / ${e.panel}: ${e.expr}`);
  }
  assert.deepEqual(empty, []);
  assert.ok(exprs.length > 50, `${exprs.length} expressions`);
});

test('CV and Jain of leaves per supernode in PromQL equal the ones computed in JS', async () => {
  const [cv] = await prometheus.query('superpeer:leaves_per_supernode:cv');
  const [jain] = await prometheus.query('superpeer:leaves_per_supernode:jain');
  assert.ok(Math.abs(cv.value - coefficientOfVariation(LEAVES)) < 1e-9, `${cv.value} vs ${coefficientOfVariation(LEAVES)}`);
  assert.ok(Math.abs(jain.value - jainFairness(LEAVES)) < 1e-9, `${jain.value} vs ${jainFairness(LEAVES)}`);
});

test('CV and Jain of queries per supernode in PromQL equal JS over the same per-node rates', async () => {
  const at = Date.now() / 1000;
  const panel = panelExprs(loadDashboards()).filter((e) => e.dashboard === 'superpeer-load-balance');
  const cvExpr = substitute(panel.find((e) => e.panel === 'CV of queries')?.expr ?? '');
  const jainExpr = substitute(panel.find((e) => e.panel === 'Jain of queries')?.expr ?? '');
  const perNode = await prometheus.query(
    'rate(superpeer_queries_handled_total[1m]) and on(node) (superpeer_role{role="supernode"} == 1)', at);
  assert.equal(perNode.length, 3);
  const rates = perNode.map((s) => s.value);
  const [cv] = await prometheus.query(cvExpr, at);
  const [jain] = await prometheus.query(jainExpr, at);
  assert.ok(Math.abs(cv.value - coefficientOfVariation(rates)) < 1e-9, `${cv.value} vs ${coefficientOfVariation(rates)}`);
  assert.ok(Math.abs(jain.value - jainFairness(rates)) < 1e-9, `${jain.value} vs ${jainFairness(rates)}`);
  assert.ok(cv.value > 0.1, 'supernodes handle different query rates');
});

test('a supernode above its leaf capacity raises a pending alert; others stay quiet', async () => {
  const pending = await prometheus.queryUntil('ALERTS{alertname="SuperpeerSupernodeOverLeafTarget"}', (s) => s.length > 0);
  assert.deepEqual(pending.map((s) => [s.metric.node, s.metric.alertstate]), [['s1', 'pending']]);
  const registry = await prometheus.queryUntil('ALERTS{alertname="SuperpeerRegistryUnreachable"}', (s) => s.length > 0);
  assert.deepEqual(registry.map((s) => s.metric.node), ['l3']);
  assert.deepEqual(await prometheus.query('ALERTS{alertname="SuperpeerNoSupernodes"}'), []);
});
