// Every object the chart renders in every scenario, and everything
// `kubectl kustomize` renders, validates against the Kubernetes API schemas
// (kubernetes-models; prometheus-operator and cert-manager CRDs too).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { REPO_ROOT, ciValuesFiles, kustomize, renderChart, type K8sObject } from './support.js';
import { validateObject } from './k8s-validate.js';

function assertValid(objects: K8sObject[]): void {
  const problems = objects.flatMap(validateObject);
  assert.deepEqual(problems, []);
}

describe('Kubernetes API schemas', () => {
  it('chart defaults (helm test Pod included)', () => {
    const objects = renderChart();
    assert.ok(objects.some((o) => o.kind === 'Pod'));
    assertValid(objects);
  });

  for (const file of ciValuesFiles()) {
    it(`chart with ${basename(file)}`, () => assertValid(renderChart([file])));
  }

  it('kubectl kustomize deploy/k8s', () => {
    const objects = kustomize(join(REPO_ROOT, 'deploy', 'k8s'));
    assert.ok(objects.length > 10);
    assertValid(objects);
  });

  it('kubectl kustomize deploy/k8s/overlays/three-zones', () => {
    assertValid(kustomize(join(REPO_ROOT, 'deploy', 'k8s', 'overlays', 'three-zones')));
  });

  it('kubectl kustomize deploy/k8s/overlays/no-monitoring', () => {
    assertValid(kustomize(join(REPO_ROOT, 'deploy', 'k8s', 'overlays', 'no-monitoring')));
  });

  it('chart defaults on a plain cluster', () => assertValid(renderChart([], [], true)));

  it('kubectl kustomize loadtest/k8s', () => {
    assertValid(kustomize(join(REPO_ROOT, 'loadtest', 'k8s'), ['--load-restrictor', 'LoadRestrictionsNone']));
  });

  it('catches an invalid object (the validator is not a no-op)', () => {
    const broken = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'three' } };
    assert.notDeepEqual(validateObject(broken as unknown as K8sObject), []);
    const unknownKind = { apiVersion: 'example.com/v1', kind: 'Nope', metadata: { name: 'x' } };
    assert.match(validateObject(unknownKind as K8sObject)[0], /no schema/);
  });
});
