import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { buildDashboards, renderDashboard } from '../../../deploy/grafana/build-dashboards.js';
import { createMetrics } from '../metrics.js';
import { ROOT, loadDashboards, loadRules, panelExprs, referencedNames, variableExprs } from './dashboard-files.js';

const EXPECTED = ['election-churn', 'grpc', 'load-balance', 'locality', 'overview', 'search', 'transfers'];

async function knownNames(): Promise<Set<string>> {
  const registry = new Registry();
  createMetrics({ nodeId: 'n', zone: 'z', registry });
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  for (const r of loadRules()) if (r.record) names.add(r.record);
  return names;
}

test('the seven dashboards are valid JSON with unique stable uids', () => {
  const dashboards = loadDashboards();
  assert.deepEqual(dashboards.map((d) => d.file.replace(/\.json$/, '')), EXPECTED);
  const uids = dashboards.map((d) => d.json.uid);
  assert.equal(new Set(uids).size, uids.length);
  for (const d of dashboards) {
    assert.equal(d.json.uid, `superpeer-${d.file.replace(/\.json$/, '')}`);
    assert.ok(d.json.uid.length <= 40, 'Grafana uids are at most 40 characters');
  }
});

test('dashboards use the datasource variable, release variables (one at a time) and node/zone variables', () => {
  for (const d of loadDashboards()) {
    const vars = d.json.templating.list;
    const ds = vars.find((v) => v.name === 'datasource');
    assert.equal(ds?.type, 'datasource', `${d.file}: datasource variable`);
    assert.equal(ds?.query, 'prometheus');
    assert.deepEqual(vars.map((v) => v.name), ['datasource', 'cluster', 'namespace', 'job', 'zone', 'node']);
    for (const v of vars.slice(1)) {
      assert.equal(v.type, 'query', `${d.file}: ${v.name} variable`);
      assert.match(v.definition ?? '', /^label_values\(/);
      const release = ['cluster', 'namespace', 'job'].includes(v.name);
      assert.equal((v as { multi?: boolean }).multi, !release, `${d.file}: ${v.name} is ${release ? 'single' : 'multi'}-select`);
    }
    assert.ok(d.json.panels.length >= 5, `${d.file}: panels`);
    for (const p of d.json.panels) {
      assert.equal(p.datasource?.uid, '${datasource}', `${d.file}/${p.title}: panel datasource`);
      assert.ok((p.targets ?? []).length > 0, `${d.file}/${p.title}: has a query`);
      for (const t of p.targets ?? []) assert.equal(t.datasource?.uid, '${datasource}');
    }
  }
});

test('every expression of every panel, variable and rule names only metrics that exist', async () => {
  const names = await knownNames();
  const dashboards = loadDashboards();
  const exprs = [...panelExprs(dashboards), ...variableExprs(dashboards),
    ...loadRules().map((r) => ({ dashboard: 'rules.yaml', panel: r.record ?? r.alert ?? '?', expr: r.expr }))];
  let checked = 0;
  for (const e of exprs) {
    for (const name of referencedNames(e.expr)) {
      assert.ok(names.has(name), `${e.dashboard} / ${e.panel}: unknown metric ${name}`);
      checked += 1;
    }
  }
  assert.ok(checked > 50, `${checked} references checked`);
});

test('the committed JSON is what deploy/grafana/build-dashboards.ts builds', () => {
  const built = buildDashboards();
  for (const d of loadDashboards()) {
    const name = d.file.replace(/\.json$/, '');
    assert.ok(built[name], `${d.file} has a source`);
    assert.equal(d.text, renderDashboard(built[name]), `${d.file} is stale: run node --import tsx deploy/grafana/build-dashboards.ts`);
  }
  assert.equal(Object.keys(built).length, loadDashboards().length);
});

/** Every selector of a superpeer metric or recording rule, with its matchers. */
function selectors(expr: string): { name: string; matchers: string }[] {
  return [...expr.matchAll(/\b(superpeer[_:][a-zA-Z0-9_:]*)(\{[^}]*\})?/g)].map((m) => ({ name: m[1], matchers: m[2] ?? '' }));
}

test('every panel selector is confined to the selected release', () => {
  let checked = 0;
  for (const e of panelExprs(loadDashboards())) {
    for (const s of selectors(e.expr)) {
      for (const label of ['cluster', 'namespace', 'job']) {
        assert.ok(s.matchers.includes(`${label}=~"$${label}"`), `${e.dashboard} / ${e.panel}: ${s.name}${s.matchers} has no ${label} filter`);
      }
      checked += 1;
    }
  }
  assert.ok(checked > 100, `${checked} selectors`);
});

test('recording rules aggregate and join per release; every alert links its runbook in docs/metrics.md', () => {
  const anchors = new Set([...readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8').matchAll(/^#+ (.+)$/gm)]
    .map((m) => m[1].trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
  for (const r of loadRules()) {
    for (const m of r.expr.matchAll(/\b(sum|avg|count|stddev|group|max|min)\b\s*(by\s*\(([^)]*)\))?\s*\(/g)) {
      assert.ok(m[3]?.includes('cluster, namespace, job'), `${r.record ?? r.alert}: ${m[0]} does not keep the release labels`);
    }
    for (const m of r.expr.matchAll(/\bon\s*\(([^)]*)\)/g)) {
      assert.ok(m[1].startsWith('cluster, namespace, job'), `${r.record ?? r.alert}: on(${m[1]}) joins across releases`);
    }
    if (!r.alert) continue;
    const url = r.annotations?.runbook_url ?? '';
    const m = /^https:\/\/github\.com\/superpeer\/superpeer\/blob\/main\/docs\/metrics\.md#([a-z0-9-]+)$/.exec(url);
    assert.ok(m, `${r.alert}: runbook_url ${url}`);
    assert.equal(m[1], r.alert.toLowerCase());
    assert.ok(anchors.has(m[1]), `${r.alert}: docs/metrics.md has no section #${m[1]}`);
  }
});
