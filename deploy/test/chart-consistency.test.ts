// Consistency of the rendered chart: selectors, ports, probes, env variables,
// NetworkPolicy ports, dashboards, security context, seeds, helm test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_ENV_VARS } from '../../services/node/config.js';
import {
  CI_DIR, REPO_ROOT, TEST_NAMESPACE, TEST_RELEASE, byKind, podTemplates, renderChart, selectorMatches,
  type Container, type K8sObject, type LabelSelector,
} from './support.js';

const GRPC_PORT = 6346;
const HTTP_PORT = 6347;
const REDIS_PORT = 6379;
const SCENARIOS: Array<[string, string[]]> = [
  ['defaults', []],
  ['three-zones', [join(CI_DIR, 'three-zones-values.yaml')]],
  ['tls', [join(CI_DIR, 'tls-values.yaml')]],
  ['external-redis', [join(CI_DIR, 'external-redis-values.yaml')]],
];

type Spec<T> = K8sObject & { spec: T };
const named = (objects: K8sObject[], kind: string, suffix: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix));
  assert.ok(found, `${kind} *${suffix} not rendered`);
  return found;
};
const overlayContainer = (pod: { spec: { containers: Container[] } }): Container => {
  const c = pod.spec.containers.find((x) => x.name === 'node');
  assert.ok(c, 'container "node" missing');
  return c;
};

for (const [scenario, files] of SCENARIOS) {
  describe(`chart consistency (${scenario})`, () => {
    const objects = renderChart(files);
    const pods = podTemplates(objects);
    const workloads = objects.filter((o) => ['StatefulSet', 'Deployment'].includes(o.kind));

    it('workload selectors use only name/instance/component and match their pod labels', () => {
      for (const w of workloads) {
        const selector = (w as Spec<{ selector: LabelSelector }>).spec.selector;
        assert.deepEqual(Object.keys(selector.matchLabels ?? {}).sort(),
          ['app.kubernetes.io/component', 'app.kubernetes.io/instance', 'app.kubernetes.io/name']);
        const pod = pods.find((p) => p.owner === w);
        assert.ok(pod && selectorMatches(selector, pod.labels), `${w.metadata.name}: selector does not match its pods`);
      }
    });

    it('every Service, PDB and NetworkPolicy selects pods of the release', () => {
      const overlayPods = pods.filter((p) => p.owner.kind !== 'Pod');
      for (const svc of byKind(objects, 'Service')) {
        const selector = { matchLabels: (svc as Spec<{ selector: Record<string, string> }>).spec.selector };
        assert.ok(overlayPods.some((p) => selectorMatches(selector, p.labels)), `Service ${svc.metadata.name} selects nothing`);
      }
      for (const pdb of byKind(objects, 'PodDisruptionBudget')) {
        const selector = (pdb as Spec<{ selector: LabelSelector }>).spec.selector;
        assert.equal(overlayPods.filter((p) => selectorMatches(selector, p.labels)).length, 1, `PDB ${pdb.metadata.name}`);
      }
      for (const np of byKind(objects, 'NetworkPolicy')) {
        const selector = (np as Spec<{ podSelector: LabelSelector }>).spec.podSelector;
        assert.ok(overlayPods.some((p) => selectorMatches(selector, p.labels)), `NetworkPolicy ${np.metadata.name} selects nothing`);
      }
    });

    it('Service target ports and probe ports exist on the selected containers', () => {
      for (const svc of byKind(objects, 'Service')) {
        const spec = (svc as Spec<{ selector: Record<string, string>; ports: Array<{ port: number; targetPort: string | number }> }>).spec;
        for (const p of pods.filter((x) => selectorMatches({ matchLabels: spec.selector }, x.labels))) {
          const ports = p.spec.containers.flatMap((c) => c.ports ?? []);
          for (const sp of spec.ports) {
            const target = ports.find((cp) => cp.name === sp.targetPort || cp.containerPort === sp.targetPort);
            assert.ok(target, `${svc.metadata.name}: targetPort ${sp.targetPort} not on ${p.owner.metadata.name}`);
            if (sp.targetPort === 'grpc') assert.equal(target.containerPort, GRPC_PORT);
          }
        }
      }
      for (const p of pods) {
        for (const c of p.spec.containers) {
          const ports = c.ports ?? [];
          for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe].filter((x) => x !== undefined)) {
            const port = probe.grpc?.port ?? probe.httpGet?.port ?? probe.tcpSocket?.port;
            if (port === undefined) continue; // exec probes
            assert.ok(ports.some((cp) => cp.name === port || cp.containerPort === port), `${p.owner.metadata.name}/${c.name}: probe port ${port}`);
          }
        }
      }
    });

    it('overlay nodes probe grpc.health.v1 natively unless TLS is on', () => {
      for (const p of pods.filter((x) => x.owner.kind !== 'Pod' && x.labels['app.kubernetes.io/component'] !== 'redis')) {
        const c = overlayContainer(p);
        if (scenario === 'tls') {
          assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
          assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
          assert.equal(c.startupProbe?.httpGet?.path, '/healthz');
        } else {
          assert.deepEqual(c.livenessProbe?.grpc, { port: GRPC_PORT, service: 'superpeer.v1.Overlay' });
          assert.deepEqual(c.readinessProbe?.grpc, { port: GRPC_PORT });
          assert.deepEqual(c.startupProbe?.grpc, { port: GRPC_PORT, service: 'superpeer.v1.Overlay' });
        }
        // A slow first start (share scan) gets a minute before liveness may restart it.
        const startup = c.startupProbe as { periodSeconds: number; failureThreshold: number };
        assert.ok(startup.periodSeconds * startup.failureThreshold >= 60);
      }
    });

    it('sets only the environment variables the node reads', () => {
      const known = new Set(NODE_ENV_VARS);
      for (const p of pods) {
        for (const c of [...p.spec.containers, ...(p.spec.initContainers ?? [])]) {
          for (const e of c.env ?? []) {
            if (e.name.startsWith('SUPERPEER_')) assert.ok(known.has(e.name), `${p.owner.metadata.name}/${c.name}: ${e.name} is not read by the node`);
          }
        }
      }
      const supernode = overlayContainer(pods.find((p) => p.labels['app.kubernetes.io/component'] === 'supernode')!);
      const env = new Map((supernode.env ?? []).map((e) => [e.name, e]));
      assert.equal(env.get('SUPERPEER_ROLE')?.value, 'supernode');
      assert.deepEqual(env.get('SUPERPEER_K8S_NODE_NAME')?.valueFrom, { fieldRef: { fieldPath: 'spec.nodeName' } });
      assert.deepEqual(env.get('SUPERPEER_ADVERTISE_HOST')?.valueFrom, { fieldRef: { fieldPath: 'status.podIP' } });
      assert.ok(env.has('SUPERPEER_SECRET') && env.has('SUPERPEER_REDIS_URL') && env.has('SUPERPEER_GRPC_MAX_CONNECTION_AGE_MS'));
      assert.equal(env.has('SUPERPEER_TLS_CERT'), scenario === 'tls');
      const peer = overlayContainer(pods.find((p) => p.labels['app.kubernetes.io/component'] === 'peer')!);
      assert.equal(peer.env?.find((e) => e.name === 'SUPERPEER_ROLE')?.value, 'auto');
    });

    it('seeds are the headless DNS names of every supernode pod', () => {
      const sts = named(objects, 'StatefulSet', '-supernode') as Spec<{ replicas: number; serviceName: string }>;
      const headless = named(objects, 'Service', '-supernode-headless') as Spec<{ clusterIP: string; publishNotReadyAddresses: boolean }>;
      assert.equal(sts.spec.serviceName, headless.metadata.name);
      assert.equal(headless.spec.clusterIP, 'None');
      assert.equal(headless.spec.publishNotReadyAddresses, true);
      const want = Array.from({ length: sts.spec.replicas },
        (_, i) => `${sts.metadata.name}-${i}.${headless.metadata.name}.${TEST_NAMESPACE}.svc.cluster.local:${GRPC_PORT}`).join(',');
      for (const p of pods.filter((x) => x.owner.kind !== 'Pod' && x.labels['app.kubernetes.io/component'] !== 'redis')) {
        assert.equal(overlayContainer(p).env?.find((e) => e.name === 'SUPERPEER_SEEDS')?.value, want);
      }
    });

    it('every container runs non-root with a read-only root filesystem and no capabilities', () => {
      for (const p of pods) {
        assert.equal(p.spec.securityContext?.runAsNonRoot, true, p.owner.metadata.name);
        assert.deepEqual(p.spec.securityContext?.seccompProfile, { type: 'RuntimeDefault' });
        for (const c of [...p.spec.containers, ...(p.spec.initContainers ?? [])]) {
          const sc = c.securityContext ?? {};
          assert.equal(sc.readOnlyRootFilesystem, true, `${p.owner.metadata.name}/${c.name}`);
          assert.equal(sc.allowPrivilegeEscalation, false);
          assert.deepEqual(sc.capabilities, { drop: ['ALL'] });
        }
        for (const c of p.spec.containers) {
          assert.ok((c.volumeMounts ?? []).some((m) => m.mountPath === '/tmp'), `${p.owner.metadata.name}/${c.name}: no writable /tmp`);
        }
      }
    });

    it('spreads supernodes and peers across zones', () => {
      for (const w of workloads.filter((x) => x.metadata.labels?.['app.kubernetes.io/component'] !== 'redis')) {
        const spec = (w as Spec<{ template: { spec: { topologySpreadConstraints: Array<{ topologyKey: string; whenUnsatisfiable: string; labelSelector: LabelSelector }> } } }>).spec;
        const zone = spec.template.spec.topologySpreadConstraints.find((t) => t.topologyKey === 'topology.kubernetes.io/zone');
        assert.ok(zone, w.metadata.name);
        assert.equal(zone.whenUnsatisfiable, scenario === 'three-zones' ? 'DoNotSchedule' : 'ScheduleAnyway');
        assert.ok(selectorMatches(zone.labelSelector, pods.find((p) => p.owner === w)!.labels));
      }
    });
  });
}

describe('NetworkPolicy admits exactly the overlay ports', () => {
  const objects = renderChart();
  type Rule = { from: Array<{ podSelector?: LabelSelector; namespaceSelector?: LabelSelector }>; ports: Array<{ port: number; protocol: string }> };
  const policies = byKind(objects, 'NetworkPolicy') as Array<Spec<{ podSelector: LabelSelector; policyTypes: string[]; ingress: Rule[] }>>;
  const ports = (r: Rule) => r.ports.map((p) => `${p.protocol}/${p.port}`).sort();
  const overlayLabels = (component: string) => ({
    'app.kubernetes.io/name': 'superpeer', 'app.kubernetes.io/instance': TEST_RELEASE, 'app.kubernetes.io/component': component,
  });

  it('overlay pods: gRPC and HTTP from overlay pods, HTTP (metrics) from the monitoring namespace', () => {
    const overlay = policies.find((p) => p.metadata.name.endsWith('-overlay'))!;
    assert.ok(selectorMatches(overlay.spec.podSelector, overlayLabels('supernode')));
    assert.ok(selectorMatches(overlay.spec.podSelector, overlayLabels('peer')));
    assert.ok(!selectorMatches(overlay.spec.podSelector, overlayLabels('redis')));
    assert.deepEqual(overlay.spec.policyTypes, ['Ingress']);
    const [peers, metrics] = overlay.spec.ingress;
    assert.equal(overlay.spec.ingress.length, 2);
    assert.deepEqual(ports(peers), [`TCP/${GRPC_PORT}`, `TCP/${HTTP_PORT}`]);
    assert.ok(peers.from.every((f) => f.podSelector && !f.namespaceSelector && selectorMatches(f.podSelector, overlayLabels('peer'))));
    assert.ok(peers.from.every((f) => !selectorMatches(f.podSelector!, overlayLabels('redis'))));
    assert.deepEqual(ports(metrics), [`TCP/${HTTP_PORT}`]);
    assert.deepEqual(metrics.from[0].namespaceSelector, { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } });
  });

  it('clients (superpeer.io/client=true) reach only the overlay ports', () => {
    const client = policies.find((p) => p.metadata.name.endsWith('-client'))!;
    assert.equal(client.spec.ingress.length, 1);
    assert.deepEqual(ports(client.spec.ingress[0]), [`TCP/${GRPC_PORT}`, `TCP/${HTTP_PORT}`]);
    assert.deepEqual(client.spec.ingress[0].from, [{ podSelector: { matchLabels: { 'superpeer.io/client': 'true' } } }]);
    const testPod = byKind(objects, 'Pod')[0];
    assert.equal(testPod.metadata.labels?.['superpeer.io/client'], 'true');
  });

  it('Redis only from overlay pods, only its port', () => {
    const redis = policies.find((p) => p.metadata.name.endsWith('-redis'))!;
    assert.ok(selectorMatches(redis.spec.podSelector, overlayLabels('redis')));
    assert.equal(redis.spec.ingress.length, 1);
    assert.deepEqual(ports(redis.spec.ingress[0]), [`TCP/${REDIS_PORT}`]);
    const from = redis.spec.ingress[0].from;
    assert.equal(from.length, 1);
    assert.ok(selectorMatches(from[0].podSelector!, overlayLabels('supernode')) && selectorMatches(from[0].podSelector!, overlayLabels('peer')));
    assert.ok(!selectorMatches(from[0].podSelector!, overlayLabels('test')));
  });

  it('metrics namespace selector is configurable', () => {
    const custom = renderChart([], ['--set', 'networkPolicy.metricsNamespaceSelector.matchLabels.team=observability']);
    const overlay = byKind(custom, 'NetworkPolicy').find((p) => p.metadata.name.endsWith('-overlay')) as Spec<{ ingress: Rule[] }>;
    assert.equal(overlay.spec.ingress[1].from[0].namespaceSelector?.matchLabels?.team, 'observability');
  });
});

describe('monitoring objects', () => {
  const dashboards = readdirSync(join(REPO_ROOT, 'deploy', 'grafana', 'dashboards')).filter((f) => f.endsWith('.json')).sort();

  it('every dashboard JSON file is in a ConfigMap with the sidecar label, byte for byte', async () => {
    const { readFileSync } = await import('node:fs');
    assert.ok(dashboards.length > 0, 'no dashboards in deploy/grafana/dashboards');
    const maps = byKind(renderChart(), 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
    const found = new Map<string, string>();
    for (const m of maps) for (const [k, v] of Object.entries(m.data as Record<string, string>)) found.set(k, v);
    assert.deepEqual([...found.keys()].sort(), dashboards);
    for (const d of dashboards) {
      const text = found.get(d)!;
      assert.equal(text.trimEnd(), readFileSync(join(REPO_ROOT, 'deploy', 'grafana', 'dashboards', d), 'utf8').trimEnd(), d);
      JSON.parse(text);
    }
    for (const m of maps) assert.equal(m.metadata.annotations?.grafana_folder, 'superpeer');
  });

  it('the PrometheusRule carries deploy/prometheus/rules.yaml', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const rule = byKind(renderChart(), 'PrometheusRule')[0] as Spec<{ groups: unknown }>;
    const source = parse(readFileSync(join(REPO_ROOT, 'deploy', 'prometheus', 'rules.yaml'), 'utf8')) as { groups: unknown };
    assert.deepEqual(rule.spec.groups, source.groups);
  });

  it('the ServiceMonitor scrapes the http port of supernode and peer Services', () => {
    const objects = renderChart();
    const sm = byKind(objects, 'ServiceMonitor')[0] as Spec<{ selector: LabelSelector; endpoints: Array<{ port: string; path: string }> }>;
    const selected = byKind(objects, 'Service').filter((s) => selectorMatches(sm.spec.selector, s.metadata.labels ?? {}));
    assert.deepEqual(selected.map((s) => s.metadata.labels?.['app.kubernetes.io/component']).sort(), ['peer', 'supernode']);
    for (const s of selected) {
      const ports = (s as Spec<{ ports: Array<{ name: string; port: number }> }>).spec.ports;
      assert.equal(ports.find((p) => p.name === sm.spec.endpoints[0].port)?.port, HTTP_PORT);
    }
    assert.equal(sm.spec.endpoints[0].path, '/metrics');
    // One job per release, not per headless Service: the dashboards' job variable picks a release.
    assert.equal((sm.spec as { jobLabel?: string }).jobLabel, 'app.kubernetes.io/instance');
    for (const s of selected) assert.equal(s.metadata.labels?.['app.kubernetes.io/instance'], 'sp');
  });

  it('the bundled Redis requires a generated password from a Secret, which the nodes get too, and has a PDB', () => {
    const objects = renderChart();
    const secret = byKind(objects, 'Secret').find((s) => s.metadata.name === 'sp-superpeer-redis')!;
    const password = Buffer.from((secret.data as { password: string }).password, 'base64').toString();
    assert.match(password, /^[A-Za-z0-9]{40}$/);
    const again = Buffer.from((byKind(renderChart([], ['--set', 'supernode.replicas=2']), 'Secret')
      .find((s) => s.metadata.name === 'sp-superpeer-redis')!.data as { password: string }).password, 'base64').toString();
    assert.notEqual(again, password, 'generated, not a fixed default');
    const redis = podTemplates(objects).find((p) => p.labels['app.kubernetes.io/component'] === 'redis')!;
    const refs = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, (e.valueFrom as { secretKeyRef?: { name: string; key: string } } | undefined)?.secretKeyRef]));
    assert.deepEqual(refs(redis.spec.containers[0]).REDIS_PASSWORD, { name: 'sp-superpeer-redis', key: 'password' });
    assert.deepEqual(refs(redis.spec.containers[0]).REDISCLI_AUTH, { name: 'sp-superpeer-redis', key: 'password' });
    for (const p of podTemplates(objects).filter((x) => ['supernode', 'peer'].includes(x.labels['app.kubernetes.io/component']))) {
      assert.deepEqual(refs(overlayContainer(p)).SUPERPEER_REDIS_PASSWORD, { name: 'sp-superpeer-redis', key: 'password' });
    }
    const pdb = byKind(objects, 'PodDisruptionBudget').find((o) => o.metadata.name === 'sp-superpeer-redis') as Spec<{ maxUnavailable: number; selector: LabelSelector }>;
    assert.equal(pdb.spec.maxUnavailable, 1);
    assert.ok(selectorMatches(pdb.spec.selector, redis.labels));

    const given = renderChart([], ['--set', 'redis.auth.existingSecret=mine', '--set', 'redis.auth.existingSecretKey=pw']);
    assert.equal(byKind(given, 'Secret').find((s) => s.metadata.name === 'sp-superpeer-redis'), undefined);
    const peer = podTemplates(given).find((x) => x.labels['app.kubernetes.io/component'] === 'peer')!;
    assert.deepEqual(refs(overlayContainer(peer)).SUPERPEER_REDIS_PASSWORD, { name: 'mine', key: 'pw' });
    const off = renderChart([], ['--set', 'redis.auth.enabled=false']);
    const peerOff = podTemplates(off).find((x) => x.labels['app.kubernetes.io/component'] === 'peer')!;
    assert.equal(refs(overlayContainer(peerOff)).SUPERPEER_REDIS_PASSWORD, undefined);
  });

  it('a plain cluster (no prometheus-operator) gets no CRD objects, so the defaults install anywhere', () => {
    const objects = renderChart([], [], true);
    assert.deepEqual(objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/')), []);
    assert.ok(objects.some((o) => o.metadata.labels?.grafana_dashboard === '1'), 'dashboards are plain ConfigMaps: kept');
  });

  it('cert-manager TLS on a cluster without cert-manager fails with a clear message', () => {
    assert.throws(() => renderChart([join(CI_DIR, 'tls-cert-manager-values.yaml')], [], true), /needs cert-manager/);
    assert.ok(renderChart([join(CI_DIR, 'tls-cert-manager-values.yaml')]).some((o) => o.kind === 'Certificate'));
  });

  it('cert-manager issues one certificate per role, each naming the overlay and its role; each pod mounts its own', () => {
    const objects = renderChart([join(CI_DIR, 'tls-cert-manager-values.yaml')]);
    const certs = byKind(objects, 'Certificate') as Array<Spec<{ secretName: string; dnsNames: string[] }>>;
    const byRole = new Map(certs.map((c) => [c.spec.dnsNames.find((n) => n.endsWith('.superpeer'))!, c]));
    assert.deepEqual([...byRole.keys()].sort(), ['client.superpeer', 'peer.superpeer', 'supernode.superpeer']);
    for (const c of certs) assert.ok(c.spec.dnsNames.includes('superpeer'), `${c.metadata.name} names the overlay`);
    const secretOf = (suffix: string) => {
      const w = named(objects, suffix === 'test' ? 'Pod' : suffix === 'peer' ? 'Deployment' : 'StatefulSet', suffix === 'test' ? '' : suffix) as Spec<unknown> & { spec: { template?: { spec: { volumes: Array<{ name: string; secret?: { secretName: string } }> } }; volumes?: Array<{ name: string; secret?: { secretName: string } }> } };
      const volumes = w.spec.template?.spec.volumes ?? w.spec.volumes ?? [];
      return volumes.find((v) => v.name === 'tls')?.secret?.secretName;
    };
    assert.equal(secretOf('supernode'), byRole.get('supernode.superpeer')!.spec.secretName);
    assert.equal(secretOf('peer'), byRole.get('peer.superpeer')!.spec.secretName);
    assert.equal(secretOf('test'), byRole.get('client.superpeer')!.spec.secretName);
    const single = renderChart([join(CI_DIR, 'tls-cert-manager-values.yaml')], ['--set', 'tls.certManager.perRole=false']);
    assert.equal(byKind(single, 'Certificate').length, 1);
  });

  it('monitoring off renders no CRD objects and no dashboards', () => {
    const objects = renderChart([join(CI_DIR, 'monitoring-off-values.yaml')]);
    assert.deepEqual(objects.filter((o) => ['ServiceMonitor', 'PrometheusRule'].includes(o.kind) || o.metadata.labels?.grafana_dashboard), []);
  });
});

describe('helm test hook', () => {
  it('runs a real search through the client Service', () => {
    const objects = renderChart();
    const pod = byKind(objects, 'Pod')[0] as Spec<{ restartPolicy: string; containers: Array<Container & { command?: string[] }> }>;
    assert.equal(pod.metadata.annotations?.['helm.sh/hook'], 'test');
    // Cleaned up once it passes; kept after a failure for its logs.
    assert.equal(pod.metadata.annotations?.['helm.sh/hook-delete-policy'], 'before-hook-creation,hook-succeeded');
    assert.equal(pod.spec.restartPolicy, 'Never');
    const client = named(objects, 'Service', '-client');
    const c = pod.spec.containers[0];
    assert.match(c.args![0], /superpeer search --json --target "\$TARGET" --timeout-ms "\$TIMEOUT_MS" "\$SEARCH_TERM"/);
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
    assert.deepEqual(env, { TARGET: `${client.metadata.name}:${GRPC_PORT}`, TIMEOUT_MS: '5000', SEARCH_TERM: 'welcome' });
    const share = named(objects, 'ConfigMap', '-share');
    assert.ok(Object.keys(share.data as object).some((f) => f.includes('welcome')), 'the searched term is not a shared file');
  });
});

describe('RBAC', () => {
  it('grants only get on nodes, bound to the overlay ServiceAccount', () => {
    const objects = renderChart();
    const role = byKind(objects, 'ClusterRole')[0] as K8sObject & { rules: unknown };
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
    const binding = byKind(objects, 'ClusterRoleBinding')[0] as K8sObject & { subjects: Array<{ name: string; namespace: string }>; roleRef: { name: string } };
    const sa = byKind(objects, 'ServiceAccount')[0];
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: TEST_NAMESPACE }]);
    assert.equal(binding.roleRef.name, role.metadata.name);
    for (const p of podTemplates(objects).filter((x) => x.labels['app.kubernetes.io/component'] === 'supernode' || x.labels['app.kubernetes.io/component'] === 'peer')) {
      assert.equal(p.spec.serviceAccountName, sa.metadata.name);
    }
  });
});
