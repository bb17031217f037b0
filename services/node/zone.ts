// Where this node runs, for locality: an explicit override (--zone /
// SUPERPEER_ZONE) wins; inside Kubernetes, the zone label of the node the pod
// is scheduled on, read through the API with the pod's service account; else
// "default". Discovery never fails the node: on any error it falls back to
// "default" and says why.

import { readFile } from 'node:fs/promises';
import { request } from 'node:https';

export const DEFAULT_ZONE = 'default';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Clusters older than Kubernetes 1.17 only set the beta label. */
export const LEGACY_ZONE_LABEL = 'failure-domain.beta.kubernetes.io/zone';
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The API server answers in milliseconds; don't hold node startup hostage to it. */
export const ZONE_LOOKUP_TIMEOUT_MS = 5_000;
/** A node object is a few kB; anything far larger is not one. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ZoneDiscoveryOptions {
  /** The --zone flag; wins over everything. */
  override?: string;
  /** Environment to read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Holds `token` and `ca.crt` (default SERVICE_ACCOUNT_DIR). */
  serviceAccountDir?: string;
  /** API base URL (default https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT). */
  apiUrl?: string;
  /** Kubernetes node name (default $SUPERPEER_K8S_NODE_NAME, set from spec.nodeName by the chart). */
  nodeName?: string;
  timeoutMs?: number;
}

export interface ZoneResult {
  zone: string;
  source: 'override' | 'kubernetes' | 'default';
  /** Why Kubernetes discovery was not used or failed (for a startup log line). */
  reason?: string;
}

interface NodeObject {
  metadata?: { labels?: Record<string, string> };
}

function apiBase(env: Record<string, string | undefined>): string | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) return undefined;
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function getJson(url: URL, token: string, ca: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'GET', ca, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('response too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function discoverZone(options: ZoneDiscoveryOptions = {}): Promise<ZoneResult> {
  const env = options.env ?? process.env;
  const override = options.override?.trim() || env.SUPERPEER_ZONE?.trim();
  if (override) return { zone: override, source: 'override' };

  const base = options.apiUrl ?? apiBase(env);
  const nodeName = options.nodeName ?? env.SUPERPEER_K8S_NODE_NAME;
  if (!base) return { zone: DEFAULT_ZONE, source: 'default', reason: 'not in Kubernetes (KUBERNETES_SERVICE_HOST unset)' };
  if (!nodeName) return { zone: DEFAULT_ZONE, source: 'default', reason: 'SUPERPEER_K8S_NODE_NAME unset' };

  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  try {
    const [token, ca] = await Promise.all([readFile(`${dir}/token`, 'utf8'), readFile(`${dir}/ca.crt`, 'utf8')]);
    const url = new URL(`/api/v1/nodes/${encodeURIComponent(nodeName)}`, base);
    const node = (await getJson(url, token.trim(), ca, options.timeoutMs ?? ZONE_LOOKUP_TIMEOUT_MS)) as NodeObject;
    const labels = node.metadata?.labels ?? {};
    const zone = labels[ZONE_LABEL] ?? labels[LEGACY_ZONE_LABEL];
    if (zone) return { zone, source: 'kubernetes' };
    return { zone: DEFAULT_ZONE, source: 'default', reason: `node ${nodeName} has no ${ZONE_LABEL} label` };
  } catch (err) {
    return { zone: DEFAULT_ZONE, source: 'default', reason: `zone lookup failed: ${(err as Error).message}` };
  }
}
