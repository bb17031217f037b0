// loadtest/k8s: the k6 Job gets every scenario, its lib/ and the protos, laid
// out as in the repository so the scripts' relative imports and ../proto work.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, byKind, kustomize, podTemplates, type K8sObject } from './support.js';

const LOADTEST = join(REPO_ROOT, 'loadtest');
const jsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.js')).sort();

describe('loadtest/k8s', () => {
  const objects = kustomize(join(LOADTEST, 'k8s'), ['--load-restrictor', 'LoadRestrictionsNone']);
  const job = byKind(objects, 'Job')[0];
  const pod = podTemplates([job])[0];
  type Projected = { projected: { sources: Array<{ configMap: { name: string; items: Array<{ key: string; path: string }> } }> } };
  const work = (pod.spec.volumes as Array<{ name: string } & Partial<Projected>>).find((v) => v.name === 'work')!.projected!;
  const paths = work.sources.flatMap((s) => s.configMap.items.map((i) => i.path)).sort();

  it('mounts every scenario, lib module and proto at its repository path', () => {
    const want = [
      ...jsIn(LOADTEST).map((f) => `loadtest/${f}`),
      ...jsIn(join(LOADTEST, 'lib')).map((f) => `loadtest/lib/${f}`),
      ...readdirSync(join(REPO_ROOT, 'proto', 'superpeer', 'v1')).filter((f) => f.endsWith('.proto')).map((f) => `proto/superpeer/v1/${f}`),
    ].sort();
    assert.deepEqual(paths, want);
  });

  it('every mounted key exists in its (hash-named) ConfigMap with the file content', () => {
    const maps = new Map(byKind(objects, 'ConfigMap').map((c) => [c.metadata.name, c.data as Record<string, string>]));
    for (const s of work.sources) {
      const data = maps.get(s.configMap.name);
      assert.ok(data, `ConfigMap ${s.configMap.name} not generated`);
      for (const item of s.configMap.items) {
        // the projected path is the file's path in the repository
        assert.equal(data[item.key], readFileSync(join(REPO_ROOT, item.path), 'utf8'), item.path);
      }
    }
  });

  it('runs k6 on a scenario that exists, against the client Service, as a NetworkPolicy client', () => {
    const c = pod.spec.containers[0];
    const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
    assert.ok(jsIn(LOADTEST).includes(`${env.get('SCENARIO')}.js`));
    assert.deepEqual(c.args, ['run', '--no-usage-report', '/work/loadtest/$(SCENARIO).js']);
    assert.equal(env.get('SUPERPEER_TARGET'), 'superpeer-client:6346');
    assert.equal(env.get('PROTO_DIR'), '/work/proto');
    assert.equal(pod.labels['superpeer.io/client'], 'true');
    assert.equal((job.spec as { backoffLimit: number }).backoffLimit, 0);
  });

  it('the k6-operator TestRun example parses and targets the same Service', () => {
    const run = parse(readFileSync(join(LOADTEST, 'k8s', 'testrun-example.yaml'), 'utf8')) as K8sObject & { spec: { runner: { env: Array<{ name: string; value: string }> } } };
    assert.equal(run.apiVersion, 'k6.io/v1alpha1');
    assert.equal(run.kind, 'TestRun');
    assert.equal(run.spec.runner.env.find((e) => e.name === 'SUPERPEER_TARGET')?.value, 'superpeer-client:6346');
  });
});
