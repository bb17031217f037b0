// The kustomize base is the chart's defaults: committed files equal what the
// generator renders from the chart now, and both render the same objects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BASE_DIR, BASE_HELM_ARGS, BASE_NAMESPACE, BASE_RELEASE, K8S_DIR, SECRET_FILES, helmTemplate, renderBase, writeSecrets } from '../tools/render-k8s.js';
import { byKind, k8sCopy, kustomize, kustomizeRaw, parseObjects, podTemplates, type Container, type K8sObject, type PodSpec } from './support.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

describe('deploy/k8s kustomize base', () => {
  it('is in sync with the chart and the dashboards (run `make k8s-sync` if not)', () => {
    const want = renderBase();
    const secretFiles: string[] = Object.values(SECRET_FILES);
    const have = new Map(listFiles(BASE_DIR).map((p) => [relative(BASE_DIR, p), readFileSync(p, 'utf8')] as const)
      .filter(([f]) => !secretFiles.includes(f)));
    assert.deepEqual([...have.keys()].sort(), [...want.keys()].sort(), 'files differ: run make k8s-sync');
    for (const [file, text] of want) assert.equal(have.get(file), text, `${file} is stale: run make k8s-sync`);
  });

  const base = kustomize(K8S_DIR);
  const chart = helmTemplate(BASE_RELEASE, BASE_NAMESPACE, BASE_HELM_ARGS);
  const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

  it('renders the same workloads, Services, policies and monitors as the chart', () => {
    const comparable = (o: K8sObject) => !['Pod', 'Secret', 'Namespace'].includes(o.kind);
    assert.deepEqual(base.filter(comparable).map(key).sort(), chart.filter(comparable).map(key).sort());
    assert.equal(byKind(base, 'Namespace')[0]?.metadata.name, 'superpeer');
    assert.equal(byKind(base, 'Secret').length, byKind(chart, 'Secret').length);
  });

  it('runs the same containers with the same env names, ports, probes and security context', () => {
    const pods = (objects: K8sObject[]): Map<string, PodSpec> => new Map(podTemplates(objects).filter((p) => p.owner.kind !== 'Pod').map((p) => [key(p.owner), p.spec]));
    const fromChart = pods(chart);
    for (const [name, spec] of pods(base)) {
      const other = fromChart.get(name);
      assert.ok(other, name);
      for (const [i, c] of spec.containers.entries()) {
        const o: Container = other.containers[i];
        assert.deepEqual((c.env ?? []).map((e) => e.name), (o.env ?? []).map((e) => e.name), `${name}/${c.name} env`);
        assert.deepEqual(c.ports, o.ports);
        assert.deepEqual(c.livenessProbe, o.livenessProbe);
        assert.deepEqual(c.readinessProbe, o.readinessProbe);
        assert.deepEqual(c.securityContext, o.securityContext);
      }
    }
  });

  it('seeds by short headless names, resolvable in any namespace an overlay picks', () => {
    const sts = base.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'superpeer-supernode')!;
    const seeds = podTemplates([sts])[0].spec.containers[0].env?.find((e) => e.name === 'SUPERPEER_SEEDS')?.value;
    assert.equal(seeds, [0, 1, 2].map((i) => `superpeer-supernode-${i}.superpeer-supernode-headless:6346`).join(','));
  });

  it('generated Secrets are referenced under their hashed names', () => {
    const secrets = new Set(byKind(base, 'Secret').map((s) => s.metadata.name));
    for (const p of podTemplates(base)) {
      for (const e of p.spec.containers.flatMap((c) => c.env ?? [])) {
        const ref = (e.valueFrom as { secretKeyRef?: { name: string } } | undefined)?.secretKeyRef;
        if (ref) assert.ok(secrets.has(ref.name), `${e.name} -> ${ref.name}`);
      }
    }
  });

  it('the no-monitoring overlay drops only the prometheus-operator objects', () => {
    const objects = kustomize(join(K8S_DIR, 'overlays', 'no-monitoring'));
    const dropped = base.filter((o) => !objects.some((x) => key(x) === key(o))).map(key).sort();
    assert.deepEqual(dropped, ['PrometheusRule/superpeer', 'ServiceMonitor/superpeer']);
  });

  it('the three-zones overlay scales out and spreads strictly', () => {
    const objects = kustomize(join(K8S_DIR, 'overlays', 'three-zones'));
    const get = (name: string) => objects.find((o) => o.metadata.name === name && o.kind !== 'Service' && o.kind !== 'PodDisruptionBudget') as K8sObject & { spec: { replicas: number } };
    assert.equal(get('superpeer-supernode').spec.replicas, 6);
    assert.equal(get('superpeer-peer').spec.replicas, 30);
    for (const p of podTemplates(objects).filter((x) => x.owner.metadata.name !== 'superpeer-redis')) {
      const zone = (p.spec.topologySpreadConstraints ?? []).filter((t) => t.topologyKey === 'topology.kubernetes.io/zone');
      assert.deepEqual(zone.map((t) => t.whenUnsatisfiable), ['DoNotSchedule'], p.owner.metadata.name);
    }
    const secret = byKind(objects, 'Secret').find((s) => s.metadata.name.startsWith('superpeer-overlay'))!;
    assert.equal(`secret=${Buffer.from((secret.data as { secret: string }).secret, 'base64').toString()}\n`,
      readFileSync(join(k8sCopy(), 'base', SECRET_FILES.overlay), 'utf8'), 'the base\'s generated secret');
    for (const kind of ['ServiceMonitor', 'PrometheusRule']) assert.equal(byKind(objects, kind)[0].metadata.labels?.release, 'kube-prometheus-stack');
  });

  it('ships no secret: without the files `make k8s-secrets` writes, kustomize fails naming them', () => {
    const bare = k8sCopy(false);
    assert.throws(() => kustomizeRaw(bare), (err: Error & { stderr?: string }) => (err.stderr ?? '').includes(SECRET_FILES.overlay));
    const text = readFileSync(join(BASE_DIR, 'kustomization.yaml'), 'utf8');
    assert.doesNotMatch(text, /literals:\n\s+- secret=|password=/);
  });

  it('generates different random secrets each time, Redis password and overlay secret apart', () => {
    const secrets = (objects: K8sObject[]) => byKind(objects, 'Secret').map((s) => JSON.stringify(s.data)).sort();
    const one = secrets(kustomize(K8S_DIR));
    const fresh = k8sCopy(false);
    writeSecrets(join(fresh, 'base'));
    const two = secrets(parseObjects(kustomizeRaw(fresh)));
    assert.equal(one.length, 3);
    assert.notDeepEqual(one.filter((x) => !x.includes('url')), two.filter((x) => !x.includes('url')));
  });
});
