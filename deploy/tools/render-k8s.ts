// Renders the kustomize base deploy/k8s/base from the Helm chart's defaults,
// so `kubectl apply -k deploy/k8s` and `helm install` deploy the same objects.
// kustomize reads no file outside its root, so the dashboards are copied in
// (the chart reads them through a symlink). Run through `make k8s-sync`; a
// test fails when the committed base differs from what this prints.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { ensureHelm } from './helm-binary.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHART_DIR = join(REPO_ROOT, 'deploy', 'helm', 'superpeer');
export const K8S_DIR = join(REPO_ROOT, 'deploy', 'k8s');
export const BASE_DIR = join(K8S_DIR, 'base');
export const DASHBOARDS_DIR = join(REPO_ROOT, 'deploy', 'grafana', 'dashboards');
/** Release name and namespace of the base: fullname is then plain "superpeer". */
export const BASE_RELEASE = 'superpeer';
export const BASE_NAMESPACE = 'superpeer';
/** The base is the chart on a cluster with prometheus-operator; overlays/no-monitoring drops the monitors. */
export const BASE_HELM_ARGS = ['--api-versions', 'monitoring.coreos.com/v1'];
/**
 * The base ships no secret: kustomize cannot generate a random one, so the
 * Secrets come from these files beside the base's kustomization, which
 * `make k8s-secrets` writes (random) and git ignores; kustomize fails naming
 * the file until they exist.
 */
export const SECRET_FILES = { overlay: 'overlay-secret.env', redis: 'redis-secret.env' } as const;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

const HEADER = '# Generated from deploy/helm/superpeer (default values) by `make k8s-sync`; edit the chart, not this file.\n';
const SECRETS_NOTE = `# Needs ${SECRET_FILES.overlay} and ${SECRET_FILES.redis} in this directory: \`make k8s-secrets\` writes them.\n`;

/** Runs `helm template` and returns the parsed objects. */
export function helmTemplate(release: string, namespace: string, args: string[] = []): K8sObject[] {
  const out = execFileSync(ensureHelm(), ['template', release, CHART_DIR, '--namespace', namespace, ...args], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
  });
  return parseObjects(out);
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`YAML: ${doc.errors[0].message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

function cleanLabels(labels: Record<string, string> | undefined): void {
  if (!labels) return;
  delete labels['helm.sh/chart'];
  if (labels['app.kubernetes.io/managed-by']) labels['app.kubernetes.io/managed-by'] = 'kustomize';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops Helm's labels and annotations everywhere in an object. */
function clean(value: Json): void {
  if (Array.isArray(value)) { value.forEach(clean); return; }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'labels' && child && typeof child === 'object' && !Array.isArray(child)) {
      cleanLabels(child as Record<string, string>);
    }
    if (key === 'annotations' && child && typeof child === 'object' && !Array.isArray(child)) {
      const annotations = child as Record<string, Json>;
      delete annotations['checksum/share'];
      delete annotations['helm.sh/resource-policy'];
      if (Object.keys(annotations).length === 0) delete value[key];
    }
    clean(child);
  }
}

/** Seeds by short headless names: they resolve in whatever namespace an overlay picks. */
function shortSeeds(obj: K8sObject): void {
  const text = JSON.stringify(obj);
  const suffix = `.${BASE_NAMESPACE}.svc.cluster.local`;
  Object.assign(obj, JSON.parse(text.split(suffix).join('')));
}

const FILES: Record<string, (o: K8sObject) => boolean> = {
  'rbac.yaml': (o) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind),
  'supernode.yaml': (o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'supernode',
  'peer.yaml': (o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'peer',
  'client-service.yaml': (o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'client',
  'redis.yaml': (o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'redis',
  'share-configmap.yaml': (o) => o.kind === 'ConfigMap',
  'networkpolicy.yaml': (o) => o.kind === 'NetworkPolicy',
  'monitoring.yaml': (o) => o.kind === 'ServiceMonitor' || o.kind === 'PrometheusRule',
};

/** The files of deploy/k8s/base, by path relative to it. */
export function renderBase(): Map<string, string> {
  const objects = helmTemplate(BASE_RELEASE, BASE_NAMESPACE, BASE_HELM_ARGS)
    .filter((o) => o.kind !== 'Pod') // the helm test hook
    .filter((o) => o.kind !== 'Secret') // secretGenerator below
    .filter((o) => !(o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard)); // configMapGenerator below
  const files = new Map<string, string>();
  const placed = new Set<K8sObject>();
  for (const [file, wanted] of Object.entries(FILES)) {
    const chosen = objects.filter((o) => !placed.has(o) && wanted(o));
    chosen.forEach((o) => placed.add(o));
    if (chosen.length === 0) continue;
    for (const o of chosen) { delete o.metadata.namespace; clean(o as unknown as Json); shortSeeds(o); }
    files.set(file, HEADER + chosen.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  }
  const left = objects.filter((o) => !placed.has(o));
  if (left.length > 0) throw new Error(`render-k8s: no file for ${left.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);

  files.set('namespace.yaml', HEADER + stringify({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: BASE_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'superpeer' } },
  }));
  const dashboards = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json')).sort();
  for (const d of dashboards) files.set(`dashboards/${d}`, readFileSync(join(DASHBOARDS_DIR, d), 'utf8'));
  const commonLabels = {
    'app.kubernetes.io/name': 'superpeer', 'app.kubernetes.io/instance': BASE_RELEASE,
    'app.kubernetes.io/part-of': 'superpeer', 'app.kubernetes.io/managed-by': 'kustomize',
  };
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: BASE_NAMESPACE,
    resources: ['namespace.yaml', ...[...files.keys()].filter((f) => f.endsWith('.yaml') && f !== 'namespace.yaml')],
    secretGenerator: [
      { name: 'superpeer-overlay', envs: [SECRET_FILES.overlay], options: { labels: commonLabels } },
      { name: 'superpeer-redis', envs: [SECRET_FILES.redis], options: { labels: { ...commonLabels, 'app.kubernetes.io/component': 'redis' } } },
      { name: 'superpeer-redis-url', literals: [`url=redis://superpeer-redis:6379/0`], options: { labels: commonLabels } },
    ],
    configMapGenerator: dashboards.map((d) => ({
      name: `superpeer-dashboard-${d.replace(/\.json$/, '').toLowerCase().replace(/[_.]/g, '-')}`,
      files: [`dashboards/${d}`],
      options: {
        disableNameSuffixHash: true,
        labels: { ...commonLabels, grafana_dashboard: '1' },
        annotations: { grafana_folder: 'superpeer' },
      },
    })),
  };
  files.set('kustomization.yaml', HEADER + SECRETS_NOTE + stringify(kustomization, { lineWidth: 0, aliasDuplicateObjects: false }));
  return files;
}

/** Writes the base, removing files the chart no longer renders (the secret files stay). */
export function writeBase(files: Map<string, string>): void {
  const kept = Object.values(SECRET_FILES).filter((f) => existsSync(join(BASE_DIR, f))).map((f) => [f, readFileSync(join(BASE_DIR, f), 'utf8')] as const);
  rmSync(BASE_DIR, { recursive: true, force: true });
  for (const [file, text] of [...files, ...kept]) {
    mkdirSync(dirname(join(BASE_DIR, file)), { recursive: true });
    writeFileSync(join(BASE_DIR, file), text, kept.some(([f]) => f === file) ? { mode: 0o600 } : {});
  }
}

/** Random secrets for the base, in the files it reads; existing ones are kept. Returns the files written. */
export function writeSecrets(dir = BASE_DIR): string[] {
  const wanted: [string, string][] = [[SECRET_FILES.overlay, 'secret'], [SECRET_FILES.redis, 'password']];
  const written: string[] = [];
  for (const [file, key] of wanted) {
    const path = join(dir, file);
    if (existsSync(path)) continue;
    writeFileSync(path, `${key}=${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
    written.push(path);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'secrets') {
  const written = writeSecrets();
  console.log(written.length > 0 ? `wrote ${written.join(', ')}` : `kept the existing ${Object.values(SECRET_FILES).join(' and ')} in ${BASE_DIR}`);
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = renderBase();
  writeBase(files);
  console.log(`wrote ${files.size} files to ${BASE_DIR}`);
}
