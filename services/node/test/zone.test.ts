import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverZone, type ZoneDiscoveryOptions } from '../zone.js';

// A local HTTPS server with a self-signed certificate plays the Kubernetes API.
const TOKEN = 'test-service-account-token';
let dir: string;
let server: Server;
let apiUrl: string;
const seenAuth: string[] = [];

const nodes: Record<string, Record<string, string>> = {
  'node-a': { 'topology.kubernetes.io/zone': 'eu-west-1a', 'kubernetes.io/hostname': 'node-a' },
  'node-legacy': { 'failure-domain.beta.kubernetes.io/zone': 'us-east-1c' },
  'node-both': { 'topology.kubernetes.io/zone': 'new', 'failure-domain.beta.kubernetes.io/zone': 'old' },
  'node-bare': {},
};

function selfSigned(out: string, name: string): void {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(out, `${name}.key`), '-out', join(out, `${name}.crt`), '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'superpeer-zone-'));
  selfSigned(dir, 'api');
  selfSigned(dir, 'other');
  const sa = join(dir, 'sa');
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'token'), `${TOKEN}\n`);
  writeFileSync(join(sa, 'ca.crt'), readFileSync(join(dir, 'api.crt')));
  server = createServer({ key: readFileSync(join(dir, 'api.key')), cert: readFileSync(join(dir, 'api.crt')) }, (req, res) => {
    seenAuth.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end('{"kind":"Status","code":401}');
      return;
    }
    const m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(req.url ?? '');
    const labels = m ? nodes[decodeURIComponent(m[1])] : undefined;
    if (req.method !== 'GET' || !labels) {
      res.writeHead(404).end('{"kind":"Status","code":404}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Node', metadata: { name: m?.[1], labels } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function k8s(extra: Partial<ZoneDiscoveryOptions> = {}): ZoneDiscoveryOptions {
  return { env: {}, apiUrl, serviceAccountDir: join(dir, 'sa'), nodeName: 'node-a', timeoutMs: 2_000, ...extra };
}

test('the --zone override wins over the environment and Kubernetes', async () => {
  assert.deepEqual(await discoverZone(k8s({ override: 'flag-zone', env: { SUPERPEER_ZONE: 'env-zone' } })), { zone: 'flag-zone', source: 'override' });
});

test('SUPERPEER_ZONE wins over Kubernetes', async () => {
  assert.deepEqual(await discoverZone(k8s({ env: { SUPERPEER_ZONE: 'env-zone' } })), { zone: 'env-zone', source: 'override' });
});

test('in Kubernetes: reads topology.kubernetes.io/zone with the bearer token over TLS', async () => {
  seenAuth.length = 0;
  assert.deepEqual(await discoverZone(k8s()), { zone: 'eu-west-1a', source: 'kubernetes' });
  assert.deepEqual(seenAuth, [`Bearer ${TOKEN}`]);
});

test('host, port and node name come from the environment when not given', async () => {
  const port = (server.address() as AddressInfo).port;
  const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port), SUPERPEER_K8S_NODE_NAME: 'node-a' };
  assert.deepEqual(await discoverZone({ env, serviceAccountDir: join(dir, 'sa') }), { zone: 'eu-west-1a', source: 'kubernetes' });
});

test('falls back to the beta label, and prefers the GA label when both exist', async () => {
  assert.equal((await discoverZone(k8s({ nodeName: 'node-legacy' }))).zone, 'us-east-1c');
  assert.equal((await discoverZone(k8s({ nodeName: 'node-both' }))).zone, 'new');
});

test('"default" with a reason when the label, the node, the token or the trust is missing', async () => {
  const bare = await discoverZone(k8s({ nodeName: 'node-bare' }));
  assert.equal(bare.zone, 'default');
  assert.match(bare.reason ?? '', /no topology.kubernetes.io\/zone label/);

  const missing = await discoverZone(k8s({ nodeName: 'no-such-node' }));
  assert.equal(missing.zone, 'default');
  assert.match(missing.reason ?? '', /HTTP 404/);

  const sa2 = join(dir, 'sa-wrong');
  mkdirSync(sa2, { recursive: true });
  writeFileSync(join(sa2, 'token'), 'wrong');
  writeFileSync(join(sa2, 'ca.crt'), readFileSync(join(dir, 'api.crt')));
  assert.match((await discoverZone(k8s({ serviceAccountDir: sa2 }))).reason ?? '', /HTTP 401/);

  // A CA that did not sign the server's certificate: the lookup must refuse it.
  const sa3 = join(dir, 'sa-untrusted');
  mkdirSync(sa3, { recursive: true });
  writeFileSync(join(sa3, 'token'), TOKEN);
  writeFileSync(join(sa3, 'ca.crt'), readFileSync(join(dir, 'other.crt')));
  const untrusted = await discoverZone(k8s({ serviceAccountDir: sa3 }));
  assert.equal(untrusted.source, 'default');
  assert.match(untrusted.reason ?? '', /lookup failed/);

  const noSa = await discoverZone(k8s({ serviceAccountDir: join(dir, 'nope') }));
  assert.equal(noSa.zone, 'default');
});

test('outside Kubernetes, or without a node name: "default"', async () => {
  assert.deepEqual(await discoverZone({ env: {} }), {
    zone: 'default',
    source: 'default',
    reason: 'not in Kubernetes (KUBERNETES_SERVICE_HOST unset)',
  });
  assert.equal((await discoverZone(k8s({ nodeName: undefined }))).reason, 'SUPERPEER_K8S_NODE_NAME unset');
});
