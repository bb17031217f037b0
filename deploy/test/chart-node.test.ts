// The chart against the real node: the environment every overlay container
// gets passes the node's own config validation, and the helm test hook's
// script finds the seeded file through a real node started with the chart's
// supernode environment (on loopback, port 0).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../services/node/config.js';
import { connectRedisRegistry } from '../../services/registry/redis.js';
import { ReflectionClient } from '../../services/node/test/reflection-client.js';
import { CHART_DIR, CI_DIR, REPO_ROOT, byKind, helm, podTemplates, renderChart, type Container, type K8sObject } from './support.js';

const READY_DEADLINE_MS = 20_000;
const EXIT_DEADLINE_MS = 15_000;
const POD_IP = '127.0.0.1';

/** One grpc.health.v1 Check, as the kubelet's gRPC probe sends it. */
function healthCheck(target: string, service: string): Promise<string> {
  const definition = protoLoader.loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true });
  type Check = (req: { service: string }, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { status: string }) => void) => void;
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: new (t: string, c: grpc.ChannelCredentials) => grpc.Client & { Check: Check } } } } };
  const client = new pkg.grpc.health.v1.Health(target, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.Check({ service }, new grpc.Metadata(), { deadline: Date.now() + 5_000 }, (err, res) => {
      client.close();
      if (err) reject(err); else resolve(res!.status);
    });
  });
}

/** The env a kubelet would give the container (fieldRefs and Secrets resolved). */
function containerEnv(c: Container, objects: K8sObject[], podName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) { env[e.name] = e.value; continue; }
    const from = e.valueFrom as { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
    if (from.fieldRef) {
      env[e.name] = ({ 'metadata.name': podName, 'status.podIP': POD_IP, 'spec.nodeName': 'worker-1' } as Record<string, string>)[from.fieldRef.fieldPath];
      assert.ok(env[e.name], `unexpected fieldRef ${from.fieldRef.fieldPath}`);
    } else if (from.secretKeyRef) {
      const secret = byKind(objects, 'Secret').find((s) => s.metadata.name === from.secretKeyRef!.name);
      const data = (secret?.data ?? {}) as Record<string, string>;
      // A Secret the user brings (existingSecret) is not rendered: stand in a valid value.
      env[e.name] = secret ? Buffer.from(data[from.secretKeyRef.key], 'base64').toString() : (e.name === 'SUPERPEER_REDIS_URL' ? 'redis://redis.example:6379/0' : 'secret');
    }
  }
  return env;
}

/** proto3 JSON names (lowerCamelCase) to the proto field names. */
function fieldNames(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

/**
 * Every grpcurl command the NOTES print, against a node, with a client that
 * knows no superpeer proto (as grpcurl): list, health check, search.
 */
async function runNotesGrpcurl(target: string): Promise<void> {
  const r = helm(['install', 'sp', CHART_DIR, '--namespace', 'p2p', '--dry-run=client']);
  assert.equal(r.status, 0, r.stderr);
  const notes = r.stdout.slice(r.stdout.indexOf('NOTES:'));
  const commands = notes.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('grpcurl '));
  assert.equal(commands.length, 3, notes);
  const rc = new ReflectionClient(target);
  try {
    for (const command of commands) {
      const m = /^grpcurl -plaintext (?:-d '([^']*)' )?127\.0\.0\.1:6346 (\S+)$/.exec(command);
      assert.ok(m, `unexpected NOTES line: ${command}`);
      const [, data, what] = m;
      if (what === 'list') {
        const services = await rc.list();
        for (const s of ['grpc.health.v1.Health', 'superpeer.v1.Client']) assert.ok(services.includes(s), `${s} in ${services}`);
        continue;
      }
      const [service, method] = what.split('/');
      const body = fieldNames(JSON.parse(data ?? '{}') as Record<string, unknown>);
      if (method === 'Check') assert.deepEqual(await rc.unary(service, method, body), { status: 'SERVING' });
      else if (method === 'Search') {
        const hits = await rc.serverStream(service, method, body);
        assert.ok(hits.some((h) => String(h.name).includes('welcome')), JSON.stringify(hits));
      } else assert.fail(`no check for ${what}`);
    }
  } finally {
    rc.close();
  }
}

describe('chart environment against the node configuration', () => {
  for (const file of ['default-values.yaml', 'three-zones-values.yaml', 'tls-values.yaml', 'external-redis-url-values.yaml', 'external-redis-values.yaml']) {
    it(`every overlay container of ${file} resolves to a valid node config`, () => {
      const objects = renderChart([join(CI_DIR, file)]);
      const overlay = podTemplates(objects).filter((p) => ['supernode', 'peer'].includes(p.labels['app.kubernetes.io/component']));
      assert.equal(overlay.length, 2);
      for (const p of overlay) {
        const c = p.spec.containers.find((x) => x.name === 'node')!;
        assert.deepEqual(c.args, ['node']);
        const config = resolveConfig({}, containerEnv(c, objects, `${p.owner.metadata.name}-0`));
        assert.equal(config.role, p.labels['app.kubernetes.io/component'] === 'supernode' ? 'supernode' : 'auto');
        assert.equal(config.advertiseHost, POD_IP);
        assert.equal(config.k8sNodeName, 'worker-1');
        assert.ok(config.seeds.length >= 3);
        assert.ok(config.redis?.startsWith('redis'));
        assert.ok(config.secret && config.secret.length >= 6);
        assert.equal(config.tlsCert !== undefined, file === 'tls-values.yaml');
      }
    });
  }
});

describe('helm test hook against a real node', () => {
  const objects = renderChart([], ['--set', 'registry.enabled=false']);
  const dir = mkdtempSync(join(tmpdir(), 'superpeer-helm-test-'));
  let node: ChildProcess | undefined;
  after(() => {
    if (node && node.exitCode === null) node.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the seeded file through a node run with the supernode environment, and fails on no hits', async () => {
    // The seed-share init container: ConfigMap files into the share directory.
    const share = join(dir, 'share');
    mkdirSync(share);
    const seed = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-share'))!;
    for (const [name, text] of Object.entries(seed.data as Record<string, string>)) writeFileSync(join(share, name), text);

    const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name.endsWith('-supernode'))!;
    const c = podTemplates([sts])[0].spec.containers[0];
    const env: Record<string, string> = {
      ...containerEnv(c, objects, `${sts.metadata.name}-0`),
      SUPERPEER_GRPC_LISTEN: '127.0.0.1:0', SUPERPEER_HTTP_LISTEN: '127.0.0.1:0',
      SUPERPEER_SEEDS: '', SUPERPEER_SHARE_DIR: share, SUPERPEER_K8S_NODE_NAME: '',
    };
    assert.equal(env.SUPERPEER_REDIS_URL, undefined);
    const spawned = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'services', 'cli', 'main.ts'), ...(c.args ?? [])], {
      cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    node = spawned;
    const grpcAddress = await new Promise<string>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`node not ready in ${READY_DEADLINE_MS} ms:\n${log}`)), READY_DEADLINE_MS);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const ready = /"grpc":"(127\.0\.0\.1:\d+)"[^\n]*"msg":"node ready"/.exec(log);
        if (ready) { clearTimeout(timer); resolve(ready[1]); }
      };
      spawned.stdout!.on('data', onData);
      spawned.stderr!.on('data', onData);
      spawned.on('exit', (code) => { clearTimeout(timer); reject(new Error(`node exited ${code}:\n${log}`)); });
    });

    // The kubelet's probes, exactly as the chart declares them.
    assert.equal(await healthCheck(grpcAddress, c.livenessProbe!.grpc!.service ?? ''), 'SERVING');
    assert.equal(await healthCheck(grpcAddress, c.readinessProbe!.grpc!.service ?? ''), 'SERVING');
    assert.equal(await healthCheck(grpcAddress, c.startupProbe!.grpc!.service ?? ''), 'SERVING');

    // The hook Pod's script, with `superpeer` on PATH as in the image.
    const pod = byKind(objects, 'Pod')[0] as K8sObject & { spec: { containers: Container[] } };
    const hook = pod.spec.containers[0];
    assert.deepEqual(hook.args?.length, 1);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'superpeer'), `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(REPO_ROOT, 'services', 'cli', 'main.ts')}" "$@"\n`);
    chmodSync(join(bin, 'superpeer'), 0o755);
    const hookEnv = Object.fromEntries((hook.env ?? []).map((e) => [e.name, e.value ?? '']));
    const runHook = (overrides: Record<string, string>) => spawnSync(hook.command![0], [...hook.command!.slice(1), hook.args![0]], {
      cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000,
      env: { PATH: `${bin}:${process.env.PATH}`, ...hookEnv, TARGET: grpcAddress, ...overrides },
    });

    const found = runHook({ TIMEOUT_MS: '1500' });
    assert.equal(found.status, 0, `${found.stdout}\n${found.stderr}`);
    assert.match(found.stdout, /superpeer-welcome\.txt/);

    const missing = runHook({ TIMEOUT_MS: '500', SEARCH_TERM: 'nosuchfileanywhere' });
    assert.equal(missing.status, 1, `${missing.stdout}\n${missing.stderr}`);
    assert.match(missing.stderr, /no hits for nosuchfileanywhere/);

    // The grpcurl lines of the NOTES, run the way grpcurl runs them: through reflection alone.
    await runNotesGrpcurl(grpcAddress);

    // SIGTERM (what the kubelet sends) ends the node by itself, well inside the grace period.
    spawned.removeAllListeners('exit'); // the readiness wait's listener
    const exited = new Promise<number | null>((resolve) => spawned.once('exit', (code) => resolve(code)));
    spawned.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), EXIT_DEADLINE_MS).unref())]);
    assert.notEqual(code, 'timeout', 'node did not exit on SIGTERM');
  });
});

describe('the bundled Redis as the chart runs it', () => {
  const objects = renderChart();
  const dir = mkdtempSync(join(tmpdir(), 'superpeer-chart-redis-'));
  let redis: ChildProcess | undefined;
  after(() => {
    if (redis && redis.exitCode === null) redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('requires the Secret\'s password; the probe and the nodes (SUPERPEER_REDIS_PASSWORD) authenticate with it', async () => {
    const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name.endsWith('-redis'))!;
    const c = podTemplates([sts])[0].spec.containers[0] as Container & { command: string[]; readinessProbe: { exec: { command: string[] } } };
    const env = containerEnv(c, objects, `${sts.metadata.name}-0`);
    assert.ok(env.REDIS_PASSWORD.length >= 32);
    // The container's own command and args, on a free port and a private directory.
    const port = await new Promise<number>((res) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => res(p));
      });
    });
    const args = [...(c.args ?? [])];
    args[args.indexOf('--port') + 1] = String(port);
    args[args.indexOf('--dir') + 1] = dir;
    redis = spawn(c.command[0], [...c.command.slice(1), ...args, '--bind', '127.0.0.1'], {
      env: { PATH: process.env.PATH, TMPDIR: dir, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const probe = c.readinessProbe.exec.command.map((a) => (a === '6379' ? String(port) : a));
    const ping = (extraEnv: Record<string, string>) => spawnSync(probe[0], probe.slice(1), { encoding: 'utf8', env: { PATH: process.env.PATH, ...extraEnv } });
    const deadline = Date.now() + READY_DEADLINE_MS;
    while (!ping(env).stdout.includes('PONG')) {
      assert.ok(Date.now() < deadline, 'redis-server did not answer the readiness probe');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(ping({}).stdout + ping({}).stderr, /NOAUTH/, 'without the password Redis refuses');
    assert.doesNotMatch(readFileSync(`/proc/${redis.pid}/cmdline`, 'utf8'), new RegExp(env.REDIS_PASSWORD), 'the password is not on the command line');

    // A supernode's environment, pointed at this Redis.
    const node = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name.endsWith('-supernode'))!;
    const nodeEnv = containerEnv(podTemplates([node])[0].spec.containers[0], objects, `${node.metadata.name}-0`);
    assert.equal(nodeEnv.SUPERPEER_REDIS_PASSWORD, env.REDIS_PASSWORD);
    const config = resolveConfig({}, { ...nodeEnv, SUPERPEER_REDIS_URL: `redis://127.0.0.1:${port}/0` });
    const withPassword = await connectRedisRegistry({ url: config.redis!, password: config.redisPassword });
    try {
      assert.ok(await withPassword.acquireLease('n1', 5_000), 'a write with the password');
    } finally {
      await withPassword.close();
    }
    const without = await connectRedisRegistry({ url: config.redis! });
    try {
      await assert.rejects(without.liveNodes(), /NOAUTH|Authentication|closed|writeable/i);
    } finally {
      await without.close();
    }
  });
});
