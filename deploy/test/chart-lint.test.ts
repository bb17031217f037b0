// helm lint --strict and helm template over the default values and every
// ci/*-values.yaml scenario; values.schema.json rejects wrong types.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CHART_DIR, REPO_ROOT, ciValuesFiles, helm, renderChart } from './support.js';

const SCENARIOS: Array<{ name: string; files: string[] }> = [
  { name: 'defaults', files: [] },
  ...ciValuesFiles().map((f) => ({ name: basename(f), files: [f] })),
];

describe('helm lint --strict', () => {
  for (const s of SCENARIOS) {
    it(`passes with ${s.name}`, () => {
      const r = helm(['lint', '--strict', CHART_DIR, ...s.files.flatMap((f) => ['--values', f])]);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(r.stdout, /\[(WARNING|ERROR)\]/);
    });
  }
});

describe('helm template', () => {
  for (const s of SCENARIOS) {
    it(`renders ${s.name}`, () => {
      const objects = renderChart(s.files);
      assert.ok(objects.length > 10, `only ${objects.length} objects`);
      for (const o of objects) assert.ok(o.apiVersion && o.kind && o.metadata?.name, JSON.stringify(o).slice(0, 200));
    });
  }

  it('covers the scenarios the docs promise', () => {
    const names = SCENARIOS.map((s) => s.name);
    for (const wanted of ['default-values.yaml', 'external-redis-values.yaml', 'monitoring-off-values.yaml', 'three-zones-values.yaml', 'tls-values.yaml']) {
      assert.ok(names.includes(wanted), `ci/${wanted} missing`);
    }
  });
});

describe('install output and packaging', () => {
  it('NOTES tell how to search and where the dashboards are', () => {
    const r = helm(['install', 'sp', CHART_DIR, '--namespace', 'p2p', '--dry-run=client']);
    assert.equal(r.status, 0, r.stderr);
    const notes = r.stdout.slice(r.stdout.indexOf('NOTES:'));
    assert.match(notes, /kubectl -n p2p port-forward svc\/sp-superpeer-client 6346:6346/);
    // A cluster user has kubectl and grpcurl, not the superpeer CLI.
    assert.doesNotMatch(notes, /superpeer search/);
    assert.match(notes, /grpcurl -plaintext 127\.0\.0\.1:6346 grpc\.health\.v1\.Health\/Check/);
    assert.match(notes, /grpcurl -plaintext -d '\{"query": "welcome", "timeoutMs": 5000\}' 127\.0\.0\.1:6346 superpeer\.v1\.Client\/Search/);
    assert.match(notes, /helm test sp -n p2p/);
    // With TLS: the client certificate's Secret and grpcurl's TLS flags.
    const tls = helm(['install', 'sp', CHART_DIR, '--namespace', 'p2p', '--dry-run=client', '--set', 'tls.enabled=true', '--set', 'tls.existingSecret=my-tls']);
    assert.equal(tls.status, 0, tls.stderr);
    const tlsNotes = tls.stdout.slice(tls.stdout.indexOf('NOTES:'));
    assert.match(tlsNotes, /kubectl -n p2p get secret my-tls -o go-template='\{\{index \.data "tls\.key" \| base64decode\}\}' > tls\.key/);
    assert.match(tlsNotes, /grpcurl -cacert ca\.crt -cert tls\.crt -key tls\.key -servername superpeer 127\.0\.0\.1:6346 grpc\.health\.v1\.Health\/Check/);
    assert.match(notes, /grafana_dashboard=1/);
  });

  it('a packaged chart carries the dashboards and rules the symlinks point at', () => {
    const dir = mkdtempSync(join(tmpdir(), 'superpeer-package-'));
    try {
      const r = helm(['package', CHART_DIR, '--destination', dir]);
      assert.equal(r.status, 0, r.stderr);
      const tgz = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
      const out = helm(['template', 'x', tgz, '--api-versions', 'monitoring.coreos.com/v1']);
      assert.equal(out.status, 0, out.stderr);
      const dashboards = readdirSync(join(REPO_ROOT, 'deploy', 'grafana', 'dashboards')).filter((f) => f.endsWith('.json'));
      assert.equal(out.stdout.match(/grafana_dashboard: "1"/g)?.length, dashboards.length);
      assert.match(out.stdout, /kind: PrometheusRule/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('values.schema.json', () => {
  const bad: Array<[string, string]> = [
    ['replicas as a string', 'supernode:\n  replicas: "three"\n'],
    ['negative peers', 'peer:\n  replicas: -1\n'],
    ['port out of range', 'overlay:\n  grpcPort: 70000\n'],
    ['unknown search mode', 'overlay:\n  mode: gossip\n'],
    ['TTL above the Gnutella cap', 'overlay:\n  searchTtl: 9\n'],
    ['boolean as a string', 'networkPolicy:\n  enabled: "yes"\n'],
    ['misspelt top-level key', 'supernodes:\n  replicas: 3\n'],
    ['bad redis URL', 'redis:\n  enabled: false\n  external:\n    url: http://redis:6379\n'],
    ['strict spread misspelt', 'topologySpread:\n  whenUnsatisfiable: Never\n'],
    ['dashboard label as a number', 'grafana:\n  dashboards:\n    labelValue: 1\n'],
    ['a CPU request that is no quantity', 'supernode:\n  resources:\n    requests: {cpu: lots}\n'],
    ['a memory limit in made-up units', 'peer:\n  resources:\n    limits: {memory: 2GB}\n'],
    ['a Redis memory request with spaces', 'redis:\n  resources:\n    requests: {memory: 64 Mi}\n'],
    ['no supernodes (an empty seed list)', 'supernode:\n  replicas: 0\n'],
    ['a Redis password with a quote', 'redis:\n  auth:\n    password: \'a"b\'\n'],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'superpeer-chart-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  for (const [name, yaml] of bad) {
    it(`rejects ${name}`, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, yaml);
      const lint = helm(['lint', '--strict', CHART_DIR, '--values', file]);
      assert.notEqual(lint.status, 0, `helm lint accepted ${name}`);
      const template = helm(['template', 'x', CHART_DIR, '--values', file]);
      assert.notEqual(template.status, 0, `helm template accepted ${name}`);
      assert.match(template.stderr, /schema|values don't meet|at '\//i);
    });
  }

  it('accepts quantities as Kubernetes writes them, and one supernode', () => {
    const r = helm(['template', 'x', CHART_DIR, '--set', 'supernode.replicas=1',
      '--set', 'supernode.resources.requests.cpu=0.5', '--set', 'supernode.resources.limits.cpu=2',
      '--set', 'peer.resources.requests.cpu=250m', '--set', 'peer.resources.limits.memory=1e9',
      '--set', 'redis.resources.limits.memory=512Mi', '--set', 'share.sizeLimit=2G']);
    assert.equal(r.status, 0, r.stderr);
  });

  it('requires a Redis URL or Secret when the bundled Redis is off', () => {
    const r = helm(['template', 'x', CHART_DIR, '--set', 'redis.enabled=false']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /redis\.external\.url or redis\.external\.existingSecret is required/);
  });

  it('requires a TLS Secret or cert-manager when TLS is on', () => {
    const r = helm(['template', 'x', CHART_DIR, '--set', 'tls.enabled=true']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /tls\.existingSecret is required/);
  });
});
