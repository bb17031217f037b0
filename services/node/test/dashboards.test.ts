import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { buildDashboards, renderDashboard } from '../../../deploy/grafana/build-dashboards.js';
import { createMetrics } from '../metrics.js';
import { loadDashboards, loadRules, panelExprs, referencedNames, variableExprs } from './dashboard-files.js';

const EXPECTED = ['election-churn', 'load-balance', 'locality', 'overview', 'search', 'transfers'];

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

test('the six dashboards are valid JSON with unique stable uids', () => {
  const dashboards = loadDashboards();
  assert.deepEqual(dashboards.map((d) => d.file.replace(/\.json$/, '')), EXPECTED);
  const uids = dashboards.map((d) => d.json.uid);
  assert.equal(new Set(uids).size, uids.length);
  for (const d of dashboards) {
    assert.equal(d.json.uid, `superpeer-${d.file.replace(/\.json$/, '')}`);
    assert.ok(d.json.uid.length <= 40, 'Grafana uids are at most 40 characters');
  }
});

test('dashboards use the datasource variable and node/zone variables', () => {
  for (const d of loadDashboards()) {
    const vars = d.json.templating.list;
    const ds = vars.find((v) => v.name === 'datasource');
    assert.equal(ds?.type, 'datasource', `${d.file}: datasource variable`);
    assert.equal(ds?.query, 'prometheus');
    for (const name of ['node', 'zone']) {
      const v = vars.find((x) => x.name === name);
      assert.equal(v?.type, 'query', `${d.file}: ${name} variable`);
      assert.match(v?.definition ?? '', /^label_values\(/);
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
